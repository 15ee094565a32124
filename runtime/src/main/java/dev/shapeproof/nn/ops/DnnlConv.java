package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.DnnlNative.check;
import static org.bytedeco.dnnl.global.dnnl.*;

import dev.shapeproof.nn.ops.DnnlNative.Plan;
import dev.shapeproof.nn.ops.DnnlNative.Reorder;
import dev.shapeproof.shape.Window;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
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
    private DnnlConv() {}

    /**
     * {@code conv2d} of {@code x} (any strides) into a new array, or {@code null} when oneDNN only has its reference
     * kernel for this shape. {@code reluSlope}: {@code NaN} for no activation, 0 for ReLU, else leaky ReLU's slope,
     * applied after the residual sum; {@code reluMax}: the ReLU's upper bound (6 for ReLU6), or
     * {@code Float.POSITIVE_INFINITY}. {@code residual}: added to the convolution's output, or {@code null}.
     * {@code layerWeights}: the weights are a layer's, reordered once and reused while the same array comes.
     */
    static INDArray conv2d(INDArray x, INDArray weight, INDArray bias, Window height, Window width, int groups,
                           int outH, int outW, float reluSlope, float reluMax, INDArray residual,
                           boolean layerWeights) {
        if (!Layouts.isDenseC(weight)) {
            weight = weight.dup('c');
            layerWeights = false;
        }
        return convolve(x, new Weights(weight, null, layerWeights), weight.shape(), bias, height, width, groups, outH,
                outW, reluSlope, reluMax, residual, dnnl_format_tag_any);
    }

    /**
     * As the first {@code conv2d}, with the source and destination in the oneDNN layout {@code activationTag} (its
     * format tag, e.g. {@code dnnl_aBcd16b}) instead of the one oneDNN picks: for tests of the blocked-destination
     * path, which oneDNN's choice reaches only on CPUs whose channels-last kernels are reference ones.
     */
    static INDArray conv2dInLayout(INDArray x, INDArray weight, INDArray bias, Window height, Window width,
                                   int outH, int outW, int activationTag) {
        return convolve(x, new Weights(weight.dup('c'), null, false), weight.shape(), bias, height, width, 1, outH,
                outW, Float.NaN, Float.POSITIVE_INFINITY, null, activationTag);
    }

    /**
     * As above on weights derived from a layer's state: the plan's copy is keyed on {@code weight}'s identity, and
     * the plain array is asked for only to reorder it, once per plan ({@link DerivedWeights#readOnce}).
     */
    static INDArray conv2d(INDArray x, DerivedWeights weight, INDArray bias, Window height, Window width, int groups,
                           int outH, int outW, float reluSlope, float reluMax, INDArray residual) {
        return convolve(x, new Weights(null, weight, true), weight.shape(), bias, height, width, groups, outH, outW,
                reluSlope, reluMax, residual, dnnl_format_tag_any);
    }

    private static INDArray convolve(INDArray x, Weights weights, long[] weightShape, INDArray bias, Window height,
                                     Window width, int groups, int outH, int outW, float reluSlope, float reluMax,
                                     INDArray residual, int activationTag) {
        if (bias != null && bias.stride(0) != 1) {
            bias = bias.dup('c');
        }
        long[] dst = {x.size(0), weightShape[0], outH, outW};
        Object identity = weights.identity();
        String key = "conv|" + Arrays.toString(x.shape()) + Arrays.toString(x.stride()) + Arrays.toString(weightShape)
                + window(height) + window(width) + "|g" + groups + (bias != null ? "|b" : "") + "|r" + reluSlope
                + "|m" + reluMax
                + (residual == null ? "" : "|s" + Arrays.toString(residual.stride())) + "|t" + DnnlNative.threads()
                + (identity != null ? "|w" + System.identityHashCode(identity) : "")
                + (activationTag != dnnl_format_tag_any ? "|l" + activationTag : "");
        Plan cached = DnnlNative.plan(key);
        ConvPlan plan;
        if (cached == null) {
            plan = DnnlNative.remember(key, ConvPlan.build(x, weightShape, bias != null, height, width, groups, dst,
                    reluSlope, reluMax, residual, activationTag));
        } else {
            plan = (ConvPlan) cached;
        }
        return plan.usable ? plan.run(x, weights, bias, residual) : null;
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
        long srcFloats;
        long[] dstDims;
        long[] outputStrides;   // the result array's layout
        Pointer ownedDst;       // the blocked destination's buffer
        /** What the reordered weights are a copy of ({@link Weights#identity}), or nothing. */
        WeakReference<Object> weightsIn = new WeakReference<>(null);

        static ConvPlan build(INDArray x, long[] weightShape, boolean hasBias, Window height, Window width,
                              int groups, long[] dstDims, float reluSlope, float reluMax, INDArray residual,
                              int activationTag) {
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
            dnnl_primitive_desc pd = create(x.shape(), weightDims, out, hasBias, dstDims, height, width, attr,
                    activationTag);
            if (activationTag == dnnl_format_tag_any
                    && (pd == null || !DnnlNative.isPlain(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0)))) {
                // Blocked (or only a reference kernel): ask for channels last, which later ops read as it is.
                dnnl_primitive_desc channelsLast = create(x.shape(), weightDims, out, hasBias, dstDims, height, width,
                        attr, dnnl_nhwc);
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
            dnnl_memory_desc_t xMd = DnnlNative.describe(x);
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
            } else {
                plan.dst = plan.memory(dstMd, DnnlNative.allocate());
                plan.ownedDst = handle(plan.dst);
                outputMd = DnnlNative.byTag(dstDims, dnnl_nhwc);
                plan.dstReorder = plan.part(new Reorder(dstMd, outputMd, null));
                bind(plan.dstReorder.from, plan.ownedDst); // the convolution's own buffer, for the plan's life
            }
            plan.outputStrides = DnnlNative.strides(outputMd);
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
        private static dnnl_primitive_desc create(long[] srcDims, long[] weightDims, long out, boolean hasBias,
                                                  long[] dstDims, Window height, Window width,
                                                  dnnl_primitive_attr attr, int activationTag) {
            dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
            int status = dnnl_dilated_convolution_forward_desc_init(desc, dnnl_forward_inference,
                    dnnl_convolution_direct, DnnlNative.byTag(srcDims, activationTag),
                    DnnlNative.byTag(weightDims, dnnl_format_tag_any),
                    hasBias ? DnnlNative.byTag(new long[] {out}, dnnl_x) : null,
                    DnnlNative.byTag(dstDims, activationTag),
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

        INDArray run(INDArray x, Weights weights, INDArray biasArray, INDArray residual) {
            INDArray output = DnnlNative.arrayWithStrides(dstDims, outputStrides);
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
            return output;
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

        Owned(Plan plan) {
            this.plan = plan;
        }

        @Override
        public void close() {
            plan.close();
        }
    }
}
