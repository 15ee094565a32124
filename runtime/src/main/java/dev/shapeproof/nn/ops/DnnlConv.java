package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.DnnlNative.check;
import static org.bytedeco.dnnl.global.dnnl.*;

import dev.shapeproof.nn.ops.DnnlNative.Plan;
import dev.shapeproof.nn.ops.DnnlNative.Reorder;
import dev.shapeproof.shape.Window;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_blocking_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code conv2d} on oneDNN's own convolution primitive (dilated or not, any groups, asymmetric padding), with bias,
 * an optional residual sum and an optional (leaky) ReLU fused into it.
 *
 * <p>Layouts: oneDNN picks the source, weight and destination layouts ({@code format_tag any}); forcing plain NCHW
 * makes it fall back to im2col + GEMM (2–3× slower than PyTorch), and forcing {@code nChw16c} lands some dilated
 * shapes on its reference kernel (hundreds of times slower). When it picks a plain layout (channels last, as its
 * {@code brgconv} kernels do), the result is an ND4J array with those strides, shaped NCHW: the next convolution reads
 * it without a reorder, and every other op sees an ordinary (permuted) NCHW array. When it picks a blocked layout,
 * channels last is asked for explicitly, and kept if oneDNN has a non-reference kernel for it; otherwise the blocked
 * result is reordered into a channels-last array. A reference ({@code ref:}) kernel is never used: the caller falls
 * back to ND4J.
 *
 * <p>Weights: reordered into oneDNN's layout once per plan when they are a layer's (which replaces its arrays on
 * load, never writes them), on every call otherwise. Weights derived from a layer's state ({@link DerivedWeights}: a
 * BatchNorm folded in) are keyed on their handle, and their plain array is computed only for the reorder and freed
 * after it: the plan's copy is the only one that lives. Each plan (per thread, per thread count) holds its own copy.
 */
final class DnnlConv {
    /** The calls a chain's first convolution takes to choose how to start it (a constant: no oneDNN class loads). */
    static final int CHAIN_START_CALLS = 2 + ChainStart.TIMED_CALLS;

    private DnnlConv() {}

    /**
     * {@code conv2d} of {@code x}, a plain array (any strides) or a blocked activation read in its layout, or
     * {@code null} when oneDNN only has its reference kernel for this shape and layout. {@code reluSlope}: {@code NaN}
     * for no activation, 0 for ReLU, else leaky ReLU's slope, applied after the residual sum; {@code reluMax}: the
     * ReLU's upper bound (6 for ReLU6), or {@code Float.POSITIVE_INFINITY}. {@code residual}: added to the
     * convolution's output, or {@code null}. {@code layerWeights}: the weights are a layer's, reordered once and
     * reused while the same array comes. {@code keep}: the result stays in the layout oneDNN writes (blocked or
     * plain); else it is a plain array, channels last where oneDNN's kernel writes that.
     */
    static ConvActivation conv2d(ConvActivation x, INDArray weight, INDArray bias, Window height, Window width,
                                 int groups, int outH, int outW, float reluSlope, float reluMax, INDArray residual,
                                 boolean layerWeights, boolean keep) {
        if (!Layouts.isDenseC(weight)) {
            weight = weight.dup('c');
            layerWeights = false;
        }
        return convolve(x, new Weights(weight, null, layerWeights), weight.shape(), bias, height, width, groups, outH,
                outW, reluSlope, reluMax, residual, dnnl_format_tag_any, keep);
    }

    /**
     * As {@code conv2d} above, with the source and destination in the oneDNN layout {@code activationTag} (its
     * format tag, e.g. {@code dnnl_aBcd16b}) instead of the one oneDNN picks: for tests of the blocked-destination
     * path, which oneDNN's choice reaches only on CPUs whose channels-last kernels are reference ones.
     */
    static INDArray conv2dInLayout(INDArray x, INDArray weight, INDArray bias, Window height, Window width,
                                   int outH, int outW, int activationTag) {
        ConvActivation y = convolve(ConvActivation.of(x), new Weights(weight.dup('c'), null, false), weight.shape(),
                bias, height, width, 1, outH, outW, Float.NaN, Float.POSITIVE_INFINITY, null, activationTag, false);
        return y == null ? null : y.array();
    }

    /**
     * As above on weights derived from a layer's state: the plan's copy is keyed on {@code weight}'s identity, and
     * the plain array is asked for only to reorder it, once per plan ({@link DerivedWeights#readOnce}).
     */
    static ConvActivation conv2d(ConvActivation x, DerivedWeights weight, INDArray bias, Window height, Window width,
                                 int groups, int outH, int outW, float reluSlope, float reluMax, INDArray residual,
                                 boolean keep) {
        return convolve(x, new Weights(null, weight, true), weight.shape(), bias, height, width, groups, outH, outW,
                reluSlope, reluMax, residual, dnnl_format_tag_any, keep);
    }

    private static ConvActivation convolve(ConvActivation x, Weights weights, long[] weightShape, INDArray bias,
                                           Window height, Window width, int groups, int outH, int outW,
                                           float reluSlope, float reluMax, INDArray residual, int activationTag,
                                           boolean keep) {
        if (bias != null && bias.stride(0) != 1) {
            bias = bias.dup('c');
        }
        long[] shape = x.shape();
        long[] dst = {shape[0], weightShape[0], outH, outW};
        Object identity = weights.identity();
        String source = x.isBlocked() ? x.layout().key() : Arrays.toString(shape) + Arrays.toString(x.array().stride());
        String key = "conv|" + source + Arrays.toString(weightShape)
                + window(height) + window(width) + "|g" + groups + (bias != null ? "|b" : "") + "|r" + reluSlope
                + "|m" + reluMax
                + (residual == null ? "" : "|s" + Arrays.toString(residual.stride())) + "|t" + DnnlNative.threads()
                + (identity != null ? "|w" + System.identityHashCode(identity) : "")
                + (activationTag != dnnl_format_tag_any ? "|l" + activationTag : "") + (keep ? "|keep" : "");
        Plan cached = DnnlNative.plan(key);
        if (cached == null) {
            dnnl_memory_desc_t xMd = x.isBlocked() ? ((Blocked) x.layout()).md : DnnlNative.describe(x.array());
            ConvPlan picked = ConvPlan.build(shape, xMd, x.isBlocked(), weightShape, bias != null, height, width,
                    groups, dst, reluSlope, reluMax, residual, activationTag, keep);
            cached = picked;
            // A chain's start may also read its input as it lies, unless oneDNN's pick already does (then both starts
            // are one plan, and building the second only to drop it churns the allocator with a copy of the weights).
            if (keep && !x.isBlocked() && picked.usable && picked.srcReorder != null) {
                ConvPlan asLaid = ConvPlan.build(shape, xMd, true, weightShape, bias != null, height, width, groups,
                        dst, reluSlope, reluMax, residual, activationTag, true);
                cached = ChainStart.of(picked, asLaid);
            }
            DnnlNative.remember(key, cached);
        }
        if (cached instanceof ChainStart start) {
            ConvPlan plan = start.next();
            long began = System.nanoTime();
            ConvActivation y = plan.run(x.array(), weights, bias, residual);
            return y.within(start.trial(plan, began, x.trial()));
        }
        ConvPlan plan = (ConvPlan) cached;
        return plan.usable ? plan.run(x.array(), weights, bias, residual).within(x.trial()) : null;
    }

    /**
     * The first convolution of a kept chain, which can start it two ways: with oneDNN's pick of every layout (the
     * input reordered into the one it picks: channels last with its {@code brgconv} kernels, on this project's
     * machines), or reading the input as it lies and letting oneDNN choose only the output (a plain NCHW input:
     * often its {@code jit} kernel writing {@code nChw16c}, which the next convolutions then read as it is). Which is
     * faster depends on the shape, the machine and the rest of the chain, which reads the layout the start writes, so
     * both run on the first calls, each timed to where the chain's result leaves it ({@link ChainTrial}), and the
     * faster is kept: after one untimed call each, {@link #TIMED_CALLS} alternating calls, the start with the least
     * time of one call wins (the least, not the total: other work on the machine only ever adds time). Timed on its
     * first convolution alone, the dilated stack at two threads kept the slower start in one process of six; timed on
     * the chain without the copy of its result into c order (which a channels-last exit needs and a blocked one does
     * not), in half of them; as here, in none of twelve. A call whose chain never ended (a forward that failed) has
     * its first convolution's time only, and then every call is compared that way.
     */
    private static final class ChainStart extends Plan {
        static final int TIMED_CALLS = 8;
        private final ConvPlan picked;
        private final ConvPlan asLaid;
        private final Owned ownedPicked;
        private final Owned ownedAsLaid;
        // per start (picked, as laid), the least time of a timed call: the whole chain's, and its first convolution's
        private final long[] chainNanos = {Long.MAX_VALUE, Long.MAX_VALUE};
        private final long[] firstNanos = {Long.MAX_VALUE, Long.MAX_VALUE};
        private int calls;
        private int chainsEnded;                         // timed calls whose chain ended
        private ChainTrial open;                         // the last call's chain, until its result leaves it
        private ConvPlan winner;

        private ChainStart(ConvPlan picked, ConvPlan asLaid) {
            this.picked = picked;
            this.asLaid = asLaid;
            ownedPicked = new Owned(picked);
            ownedAsLaid = new Owned(asLaid);
            own(ownedPicked);
            own(ownedAsLaid);
        }

        /**
         * The choice between the two, or {@code picked} alone when reading the input as it lies is no other way, or
         * only oneDNN's im2col + GEMM fallback (an NCHW input of many channels): that start lost wherever it was timed
         * (resnet18 b8's first block, one thread: 25–64 ms against 12–14 ms for {@code brgconv}; the context
         * module's first convolution), and timing it costs those slow calls and their im2col scratchpad.
         */
        static Plan of(ConvPlan picked, ConvPlan asLaid) {
            if (!asLaid.usable || picked.sameLayouts(asLaid)
                    || DnnlNative.implementation(asLaid.pd).contains("gemm")) {
                asLaid.close();
                return picked;
            }
            return new ChainStart(picked, asLaid);
        }

        synchronized ConvPlan next() {
            if (open != null && !open.isOver()) {
                open.abandon(); // the last call's chain never ended: its first convolution's time stands for it
            }
            open = null;
            if (winner == null && calls == 2 + TIMED_CALLS) {
                decide();
            }
            return winner != null ? winner : calls % 2 == 0 ? picked : asLaid;
        }

        /**
         * This call's run of {@code plan}, begun at {@code began} and just done with its first convolution, as a
         * trial that ends where the chain's result leaves it (and ends {@code outer} with it, a chain this one started
         * inside); once the choice is made, {@code outer} alone.
         */
        synchronized ChainTrial trial(ConvPlan plan, long began, ChainTrial outer) {
            if (winner != null) {
                return outer;
            }
            int side = plan == picked ? 0 : 1;
            boolean timed = calls >= 2;
            if (timed) {
                firstNanos[side] = Math.min(firstNanos[side], System.nanoTime() - began);
            }
            calls++;
            open = new ChainTrial(began, elapsed -> ended(side, timed, elapsed), outer);
            return open;
        }

        private synchronized void ended(int side, boolean timed, long elapsed) {
            if (timed) {
                chainNanos[side] = Math.min(chainNanos[side], elapsed);
                chainsEnded++;
            }
            if (winner == null && calls == 2 + TIMED_CALLS && chainsEnded == TIMED_CALLS) {
                decide();
            }
        }

        private void decide() {
            long[] nanos = chainsEnded == TIMED_CALLS ? chainNanos : firstNanos;
            // The loser's primitive and reordered weights go now, not when the cache drops the start: a network
            // of many chains would otherwise keep two of each for its life.
            boolean laid = nanos[1] < nanos[0];
            winner = laid ? asLaid : picked;
            (laid ? ownedPicked : ownedAsLaid).close();
        }
    }

    /**
     * A blocked layout a convolution wrote: its descriptor (a copy, which outlives the plan it came from) and the
     * reorder back to c order, built once per thread.
     */
    private static final class Blocked implements BlockedLayout {
        final dnnl_memory_desc_t md;
        private final long[] shape;
        private final String key;
        private final long floats;

        Blocked(dnnl_memory_desc_t of, long[] shape) {
            md = new dnnl_memory_desc_t();
            Pointer.memcpy(md, of, md.sizeof()); // a plain struct: the copy stands alone
            this.shape = shape.clone();
            floats = dnnl_memory_desc_get_size(md) / Float.BYTES;
            key = describe(md, shape.length);
        }

        /**
         * The layout in a few characters, the same for every convolution that writes it ({@code blocked[2, 8, 33,
         * 33]/[2, 16, 33, 33]/[17424, 1089, 33, 1]/b16@1}: dims, padded dims, strides, inner blocks and the axes they
         * block), so a chain's plan keys do not grow with its length. The dims matter: 8 channels padded to a block of
         * 16 lie exactly as 16 channels do, and a plan or reorder built for one must never read the other.
         */
        private static String describe(dnnl_memory_desc_t md, int rank) {
            long[] dims = new long[rank];
            md.dims().get(dims);
            long[] padded = new long[rank];
            md.padded_dims().get(padded);
            StringBuilder text = new StringBuilder("blocked").append(Arrays.toString(dims))
                    .append('/').append(Arrays.toString(padded)).append('/')
                    .append(Arrays.toString(DnnlNative.strides(md)));
            dnnl_blocking_desc_t blocking = md.format_desc_blocking();
            for (int i = 0; i < blocking.inner_nblks(); i++) {
                text.append("/b").append(blocking.inner_blks().get(i)).append('@').append(blocking.inner_idxs().get(i));
            }
            return text.toString();
        }

        @Override
        public long[] shape() {
            return shape;
        }

        @Override
        public long floats() {
            return floats;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public INDArray toDenseC(INDArray blocks) {
            String reorderKey = "unblock|" + key + "|t" + DnnlNative.threads();
            Plan cached = DnnlNative.plan(reorderKey);
            Reorder reorder = cached != null ? (Reorder) cached : DnnlNative.remember(reorderKey,
                    new Reorder(md, DnnlNative.byTag(shape, dnnl_nchw), null));
            INDArray y = Nd4j.createUninitialized(DataType.FLOAT, shape);
            Plan.bind(reorder.from, DnnlNative.address(blocks));
            Plan.bind(reorder.to, DnnlNative.address(y));
            reorder.execute();
            return y;
        }
    }

    /**
     * A convolution's weights: a plain array ({@code derived} {@code null}) or weights derived from a layer's state
     * ({@code plain} {@code null}); {@code kept}: they belong to a layer, which never writes them, so the plan's
     * reordered copy stays valid while the same ones come back.
     */
    private record Weights(INDArray plain, DerivedWeights derived, boolean kept) {
        /** What the plan's reordered copy stands for, or {@code null} when it is good for one call only. */
        Object identity() {
            return !kept ? null : derived != null ? derived : plain;
        }
    }

    private static String window(Window w) {
        return "|" + w.kernel() + "," + w.stride() + "," + w.padBefore() + "," + w.padAfter() + "," + w.dilation();
    }

    /** One convolution's primitive, its memories and the reorders around it. */
    private static final class ConvPlan extends Plan {
        boolean usable = true;
        dnnl_memory src;
        dnnl_memory weights;
        dnnl_memory bias;
        dnnl_memory dst;
        Reorder srcReorder;     // x's layout → the convolution's, into scratch memory; null when they match
        Reorder weightReorder;  // OIHW → the convolution's weight layout, into weights' own buffer
        Reorder residualReorder; // residual → the destination, before the convolution sums onto it
        Reorder dstReorder;     // a blocked destination → channels last; null when the destination is plain
        Blocked kept;           // the blocked destination handed on as it is (a kept result); else null
        long srcFloats;
        long[] dstDims;
        long[] outputStrides;   // the result array's layout
        Pointer ownedDst;       // the blocked destination's buffer
        /** What the reordered weights are a copy of ({@link Weights#identity}), or nothing. */
        WeakReference<Object> weightsIn = new WeakReference<>(null);

        /**
         * {@code xMd}: the source as it comes; {@code asLaid}: the primitive is asked to read it in that layout (a
         * blocked activation, or a chain's plain input), else oneDNN picks the layout and the source is reordered into
         * it; {@code keep}: a blocked destination is handed on, not reordered.
         */
        static ConvPlan build(long[] srcDims, dnnl_memory_desc_t xMd, boolean asLaid, long[] weightShape,
                              boolean hasBias, Window height, Window width, int groups, long[] dstDims,
                              float reluSlope, float reluMax, INDArray residual, int activationTag, boolean keep) {
            ConvPlan plan = new ConvPlan();
            plan.dstDims = dstDims;
            long out = weightShape[0];
            long[] weightDims = groups == 1 ? weightShape
                    : new long[] {groups, out / groups, weightShape[1], weightShape[2], weightShape[3]};
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            check(dnnl_primitive_attr_create(attr), "attribute");
            plan.own(attr);
            if (residual != null || !Float.isNaN(reluSlope)) {
                dnnl_post_ops postOps = new dnnl_post_ops();
                check(dnnl_post_ops_create(postOps), "post-ops");
                if (residual != null) {
                    check(dnnl_post_ops_append_sum(postOps, 1f), "sum post-op");
                }
                if (reluMax != Float.POSITIVE_INFINITY) {
                    // min(max(0, y), alpha): ReLU6 with alpha 6
                    check(dnnl_post_ops_append_eltwise(postOps, 1f, dnnl_eltwise_bounded_relu, reluMax, 0f),
                            "bounded relu post-op");
                } else if (!Float.isNaN(reluSlope)) {
                    check(dnnl_post_ops_append_eltwise(postOps, 1f, dnnl_eltwise_relu, reluSlope, 0f), "relu post-op");
                }
                check(dnnl_primitive_attr_set_post_ops(attr, postOps), "set post-ops");
                dnnl_post_ops_destroy(postOps); // the attribute keeps its own copy
            }
            dnnl_primitive_desc pd = asLaid
                    ? create(xMd, DnnlNative.byTag(dstDims, dnnl_format_tag_any), weightDims, out, hasBias, height,
                            width, attr)
                    : null;
            if (pd == null) {
                pd = create(DnnlNative.byTag(srcDims, activationTag), DnnlNative.byTag(dstDims, activationTag),
                        weightDims, out, hasBias, height, width, attr);
            }
            if (!keep && activationTag == dnnl_format_tag_any
                    && (pd == null || !DnnlNative.isPlain(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0)))) {
                // Blocked (or only a reference kernel): ask for channels last, which later ops read as it is.
                dnnl_primitive_desc channelsLast = create(DnnlNative.byTag(srcDims, dnnl_nhwc),
                        DnnlNative.byTag(dstDims, dnnl_nhwc), weightDims, out, hasBias, height, width, attr);
                if (channelsLast != null) {
                    if (pd != null) {
                        dnnl_primitive_desc_destroy(pd);
                    }
                    pd = channelsLast;
                }
            }
            if (pd == null) {
                plan.usable = false;
                return plan;
            }
            plan.create(pd);
            dnnl_memory_desc_t srcMd = dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0);
            dnnl_memory_desc_t weightMd = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
            dnnl_memory_desc_t dstMd = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0);

            plan.src = plan.memory(srcMd, null);
            if (!DnnlNative.same(xMd, srcMd)) {
                plan.srcReorder = plan.part(new Reorder(xMd, srcMd, null));
                plan.srcFloats = dnnl_memory_desc_get_size(srcMd) / Float.BYTES;
            }
            plan.weights = plan.memory(weightMd, DnnlNative.allocate());
            plan.weightReorder = plan.part(new Reorder(DnnlNative.byTag(weightDims, groups == 1 ? dnnl_oihw
                    : dnnl_goihw), weightMd, handle(plan.weights)));
            plan.bias = hasBias ? plan.memory(DnnlNative.byTag(new long[] {out}, dnnl_x), null) : null;
            dnnl_memory_desc_t outputMd;
            if (DnnlNative.isPlain(dstMd)) {
                plan.dst = plan.memory(dstMd, null);
                outputMd = dstMd;
            } else if (keep) {
                plan.dst = plan.memory(dstMd, null);
                plan.kept = new Blocked(dstMd, dstDims);
                outputMd = null;
            } else {
                plan.dst = plan.memory(dstMd, DnnlNative.allocate());
                plan.ownedDst = handle(plan.dst);
                outputMd = DnnlNative.byTag(dstDims, dnnl_nhwc);
                plan.dstReorder = plan.part(new Reorder(dstMd, outputMd, null));
                bind(plan.dstReorder.from, plan.ownedDst); // the convolution's own buffer, for the plan's life
            }
            plan.outputStrides = outputMd == null ? null : DnnlNative.strides(outputMd);
            if (residual != null) {
                plan.residualReorder = plan.part(new Reorder(DnnlNative.describe(residual), dstMd, null));
            }
            int[] ids = hasBias ? new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST}
                    : new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST};
            plan.arguments(ids, hasBias ? new dnnl_memory[] {plan.src, plan.weights, plan.bias, plan.dst}
                    : new dnnl_memory[] {plan.src, plan.weights, plan.dst});
            return plan;
        }

        /** The primitive descriptor for these layouts, or {@code null} if oneDNN has only its reference kernel. */
        private static dnnl_primitive_desc create(dnnl_memory_desc_t srcMd, dnnl_memory_desc_t dstMd,
                                                  long[] weightDims, long out, boolean hasBias, Window height,
                                                  Window width, dnnl_primitive_attr attr) {
            dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
            int status = dnnl_dilated_convolution_forward_desc_init(desc, dnnl_forward_inference,
                    dnnl_convolution_direct, srcMd,
                    DnnlNative.byTag(weightDims, dnnl_format_tag_any),
                    hasBias ? DnnlNative.byTag(new long[] {out}, dnnl_x) : null,
                    dstMd,
                    new long[] {height.stride(), width.stride()},
                    new long[] {height.dilation() - 1, width.dilation() - 1}, // oneDNN counts dilation from 0
                    new long[] {height.padBefore(), width.padBefore()},
                    new long[] {height.padAfter(), width.padAfter()});
            if (status != dnnl_success) {
                return null;
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            if (dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), attr, DnnlNative.engine(), null)
                    != dnnl_success) {
                return null;
            }
            if (DnnlNative.implementation(pd).startsWith("ref")) {
                dnnl_primitive_desc_destroy(pd);
                return null;
            }
            return pd;
        }

        private <P extends Plan> P part(P child) {
            own(new Owned(child));
            return child;
        }

        private static Pointer handle(dnnl_memory memory) {
            PointerPointer<Pointer> handle = new PointerPointer<>(1);
            check(dnnl_memory_get_data_handle(memory, handle), "get data handle");
            return handle.get(0);
        }

        ConvActivation run(INDArray x, Weights weights, INDArray biasArray, INDArray residual) {
            INDArray output = kept != null ? Nd4j.createUninitialized(DataType.FLOAT, kept.floats())
                    : DnnlNative.arrayWithStrides(dstDims, outputStrides);
            Object identity = weights.identity();
            if (identity == null || weightsIn.get() != identity) {
                if (weights.derived() != null) {
                    weights.derived().readOnce(this::reorderWeights);
                } else {
                    reorderWeights(weights.plain());
                }
                weightsIn = new WeakReference<>(identity);
            }
            if (biasArray != null) {
                bind(bias, DnnlNative.address(biasArray));
            }
            Pointer dstHandle = dstReorder == null ? DnnlNative.address(output) : ownedDst;
            if (dstReorder == null) {
                bind(dst, dstHandle);
            }
            if (residual != null) {
                bind(residualReorder.from, DnnlNative.address(residual));
                bind(residualReorder.to, dstHandle);
                residualReorder.execute();
            }
            if (srcReorder == null) {
                bind(src, DnnlNative.address(x));
                execute();
            } else {
                try (MemoryWorkspace scratch = CallMemory.scratch()) {
                    INDArray reordered = Nd4j.createUninitialized(DataType.FLOAT, srcFloats);
                    Pointer handle = DnnlNative.address(reordered);
                    bind(srcReorder.from, DnnlNative.address(x));
                    bind(srcReorder.to, handle);
                    srcReorder.execute();
                    bind(src, handle);
                    execute();
                }
            }
            if (dstReorder != null) {
                bind(dstReorder.to, DnnlNative.address(output));
                dstReorder.execute();
            }
            return kept != null ? ConvActivation.blocked(output, kept) : ConvActivation.of(output);
        }

        /** Whether {@code other} reads and writes the same layouts as this plan. */
        boolean sameLayouts(ConvPlan other) {
            return DnnlNative.same(dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0),
                    dnnl_primitive_desc_query_md(other.pd, dnnl_query_src_md, 0))
                    && DnnlNative.same(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0),
                    dnnl_primitive_desc_query_md(other.pd, dnnl_query_dst_md, 0));
        }

        /** {@code weight} (dense c-order OIHW) reordered into the plan's own weight memory. */
        private void reorderWeights(INDArray weight) {
            bind(weightReorder.from, DnnlNative.address(weight));
            weightReorder.execute();
        }
    }

    /** A plan owned by another, closed with it. */
    private static final class Owned extends Pointer {
        private final Plan plan;
        private boolean closed;

        Owned(Plan plan) {
            this.plan = plan;
        }

        /** Closes the plan, once: a chain's start closes its loser early, and again with itself. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                plan.close();
            }
        }
    }
}
