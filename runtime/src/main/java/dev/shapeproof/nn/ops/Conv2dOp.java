package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static dev.shapeproof.nn.ops.Windows.isDilated;
import static dev.shapeproof.nn.ops.Windows.isSymmetric;
import static dev.shapeproof.nn.ops.Windows.outputSize;
import static dev.shapeproof.nn.ops.Windows.pad;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.shapeproof.nn.ops.JavaArrays.Rows;
import dev.shapeproof.nn.ops.JavaArrays.Slot;
import dev.shapeproof.shape.Window;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code conv2d}: small convolutions on the Java kernel (im2col and axpys), the rest on ND4J: its conv op for
 * {@code groups = 1}, its depthwise op for {@code groups = C}, one conv per group otherwise; stride-1 dilated
 * convolutions on the oneDNN build undilated on their d×d phases, since oneDNN's helper refuses dilation.
 */
public final class Conv2dOp {
    /** Multiply-adds up to which the Java kernel runs (crossover 0.6–1.3 M). */
    private static final long MAX_JAVA_MACS = 3 << 18;
    /** Input plus output elements per phase from which a dilated conv runs phase by phase (see conv2d). */
    private static final long MIN_ELEMENTS_PER_PHASE_CALL = 40_000;

    private Conv2dOp() {}

    public static INDArray conv2d(INDArray x, INDArray weight, INDArray depthwiseKernel, INDArray bias,
                                  Window height, Window width, int groups) {
        return conv2d(x, weight, depthwiseKernel, bias, height, width, groups, Float.NaN, null, false);
    }

    /**
     * {@code conv2d}, then {@code + residual} (if not {@code null}, the result's shape, never modified), then ReLU
     * ({@code reluSlope} 0) or leaky ReLU (its slope), or nothing ({@code NaN}): on oneDNN one primitive with the sum
     * and the activation fused, elsewhere the three ops in turn. {@code layerWeights}: {@code weight} and
     * {@code bias} belong to a layer, which replaces its arrays on load and never writes into them, so oneDNN's
     * reordered copy of the weights is kept while the same array comes back.
     */
    public static INDArray conv2d(INDArray x, INDArray weight, INDArray depthwiseKernel, INDArray bias,
                                  Window height, Window width, int groups, float reluSlope, INDArray residual,
                                  boolean layerWeights) {
        return conv2d(x, weight, depthwiseKernel, bias, height, width, groups, reluSlope, Float.POSITIVE_INFINITY,
                residual, layerWeights);
    }

    /**
     * As above, the ReLU bounded above by {@code reluMax} ({@code min(max(0, y), reluMax)}: 6 for ReLU6); only with
     * {@code reluSlope} 0, and {@code Float.POSITIVE_INFINITY} for no bound.
     */
    public static INDArray conv2d(INDArray x, INDArray weight, INDArray depthwiseKernel, INDArray bias,
                                  Window height, Window width, int groups, float reluSlope, float reluMax,
                                  INDArray residual, boolean layerWeights) {
        requireRank(weight, 4, "conv2d weight");
        return convolve(ConvActivation.of(x), weight, null, depthwiseKernel, bias, height, width, groups, reluSlope,
                reluMax, residual, layerWeights, false).array();
    }

    /**
     * As above, on an activation a convolution handed on ({@link ConvActivation}); {@code keep}: the result is handed
     * on too, in the layout oneDNN wrote it (blocked or plain), for a convolution that is its only reader; else it is
     * a plain array. Off oneDNN both are plain arrays.
     */
    public static ConvActivation conv2d(ConvActivation x, INDArray weight, INDArray depthwiseKernel, INDArray bias,
                                        Window height, Window width, int groups, float reluSlope, float reluMax,
                                        INDArray residual, boolean layerWeights, boolean keep) {
        requireRank(weight, 4, "conv2d weight");
        return convolve(x, weight, null, depthwiseKernel, bias, height, width, groups, reluSlope, reluMax, residual,
                layerWeights, keep);
    }

    /**
     * As above, on weights derived from a layer's state (a BatchNorm folded in), whose plain array is asked for only
     * by the paths that read it: oneDNN's convolution reads it once per plan (and lets it go), the Java kernel and
     * ND4J's ops on every call (and keep it). The depthwise kernel too is made only for ND4J's depthwise op.
     */
    public static ConvActivation conv2d(ConvActivation x, DerivedWeights weight, INDArray bias, Window height,
                                        Window width, int groups, float reluSlope, float reluMax, INDArray residual,
                                        boolean keep) {
        if (weight.rank() != 4) {
            throw new IllegalArgumentException("conv2d weight must have rank 4, found "
                    + Arrays.toString(weight.shape()));
        }
        return convolve(x, null, weight, null, bias, height, width, groups, reluSlope, reluMax, residual, true, keep);
    }

    /** The convolution on {@code weight} or, where that is {@code null}, on {@code derived}. */
    private static ConvActivation convolve(ConvActivation input, INDArray weight, DerivedWeights derived,
                                           INDArray depthwiseKernel, INDArray bias, Window height, Window width,
                                           int groups, float reluSlope, float reluMax, INDArray residual,
                                           boolean layerWeights, boolean keep) {
        if (reluMax != Float.POSITIVE_INFINITY && (reluSlope != 0 || !(reluMax > 0))) {
            throw new IllegalArgumentException("conv2d: a ReLU bounded by " + reluMax + " needs slope 0 and a "
                    + "positive bound, not slope " + reluSlope);
        }
        if (!input.isBlocked()) {
            requireRank(input.array(), 4, "conv2d input");
        }
        Objects.requireNonNull(height, "height");
        Objects.requireNonNull(width, "width");
        long[] shape = input.shape();
        long[] weightShape = derived != null ? derived.shape() : weight.shape();
        long channels = shape[1];
        long out = weightShape[0];
        if (groups < 1 || channels % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("conv2d: groups = " + groups + " must divide the input channels ("
                    + channels + ") and the output channels (" + out + ")");
        }
        if (weightShape[1] != channels / groups || weightShape[2] != height.kernel()
                || weightShape[3] != width.kernel()) {
            throw new IllegalArgumentException("conv2d: weight " + Arrays.toString(weightShape) + " does not match "
                    + "[out, in/groups, kH, kW] = [" + out + ", " + channels / groups + ", " + height.kernel() + ", "
                    + width.kernel() + "] for input " + Arrays.toString(shape) + " and groups " + groups);
        }
        if (bias != null && (bias.rank() != 1 || bias.length() != out)) {
            throw new IllegalArgumentException("conv2d: bias " + Arrays.toString(bias.shape()) + " is not [" + out
                    + "]");
        }
        if (height.ceilMode() || width.ceilMode()) {
            throw new IllegalArgumentException("conv2d has no ceil mode");
        }
        int outH = outputSize("conv2d", height, shape[2]);
        int outW = outputSize("conv2d", width, shape[3]);
        long macs = shape[0] * weightShape[0] * outH * outW * weightShape[1] * weightShape[2] * weightShape[3];
        if (residual != null && !Arrays.equals(residual.shape(), new long[] {shape[0], out, outH, outW})) {
            throw new IllegalArgumentException("conv2d: residual " + Arrays.toString(residual.shape())
                    + " is not the output's shape " + Arrays.toString(new long[] {shape[0], out, outH, outW}));
        }
        DerivedWeights source = derived;
        if (derived != null && SmallTensors.fitWork(macs, MAX_JAVA_MACS)) {
            weight = derived.plain(); // the Java kernel (or ND4J, past its size limits) reads it on every call
            derived = null;
        }
        if (SmallTensors.fitWork(macs, MAX_JAVA_MACS)) {
            INDArray x = input.toArray(); // a blocked activation read once, as an array
            if (SmallTensors.fit(x, weight, bias)) {
                return ConvActivation.of(epilogue(inJava(x, weight, bias, height, width, groups, outH, outW),
                        residual, reluSlope, reluMax));
            }
            input = ConvActivation.of(x);
        }
        if (Dnnl.on() && input.array().dataType() == DataType.FLOAT
                && (derived != null || weight.dataType() == DataType.FLOAT) && input.array().length() > 0
                && (bias == null || bias.dataType() == DataType.FLOAT)
                && (residual == null || residual.dataType() == DataType.FLOAT)) {
            ConvActivation y = derived != null
                    ? DnnlConv.conv2d(input, derived, bias, height, width, groups, outH, outW, reluSlope, reluMax,
                            residual, keep)
                    : DnnlConv.conv2d(input, weight, bias, height, width, groups, outH, outW, reluSlope, reluMax,
                            residual, layerWeights, keep);
            if (y != null) {
                return y;
            }
        }
        INDArray x = input.toArray(); // ND4J's ops read plain arrays
        if (derived != null) {
            weight = derived.plain(); // ND4J's ops read it on every call
        }
        if (source != null && groups == channels && channels > 1) {
            depthwiseKernel = source.depthwiseKernel(channels); // what ND4J's depthwise op reads instead
        }
        return ConvActivation.of(epilogue(onNd4j(x, weight, depthwiseKernel, bias, height, width, groups, outH, outW),
                residual, reluSlope, reluMax));
    }

    /** {@code y + residual}, then the activation, in place on {@code y} (a fresh result). */
    private static INDArray epilogue(INDArray y, INDArray residual, float reluSlope, float reluMax) {
        if (residual != null) {
            y = AddOp.add(y, residual, true);
        }
        if (reluMax == 6) {
            y = ActivationOp.relu6(y, true);
        } else if (reluMax != Float.POSITIVE_INFINITY) {
            y = org.nd4j.linalg.ops.transforms.Transforms.min(ActivationOp.relu(y, true), reluMax, false);
        } else if (reluSlope == 0) {
            y = ActivationOp.relu(y, true);
        } else if (!Float.isNaN(reluSlope)) {
            y = ActivationOp.leakyRelu(y, reluSlope, true);
        }
        return y;
    }

    /** ND4J's paths. */
    private static INDArray onNd4j(INDArray x, INDArray weight, INDArray depthwiseKernel, INDArray bias,
                                   Window height, Window width, int groups, int outH, int outW) {
        long channels = x.size(1);
        if (isDilated(height, width) && height.stride() == 1 && width.stride() == 1 && Helpers.hasOneDnn()) {
            // One convolution per phase saves two copies of the map but costs d² op calls: worth it while each phase
            // is large (dilated stack, 8×32×128×128: 64 phases of 130 K elements), not for 256 phases of 5 K
            // (context module's d = 16 on 64×64: 68 against 59 ms for the whole module).
            long perPhase = (x.length() + x.size(0) * weight.size(0) * outH * outW)
                    / ((long) height.dilation() * width.dilation());
            return groups == 1 && perPhase >= MIN_ELEMENTS_PER_PHASE_CALL
                    ? dilatedPhaseByPhase(x, weight, bias, height, width, outH, outW)
                    : dilatedByPhases(x, weight, depthwiseKernel, bias, height, width, groups, outH, outW);
        }

        // ND4J pads symmetrically only; other padding is applied explicitly and the op runs unpadded.
        boolean symmetric = isSymmetric(height) && isSymmetric(width);
        INDArray input = symmetric ? x
                : pad(x, height.padBefore(), height.padAfter(), width.padBefore(), width.padAfter(), 0.0);
        Conv2DConfig config = convConfig(height, width, symmetric);

        Supplier<INDArray> op;
        if (groups == 1) {
            op = () -> bias == null
                    ? Nd4j.cnn().conv2d(input, weight, config)
                    : Nd4j.cnn().conv2d(input, weight, bias, config);
        } else if (groups == channels) {
            INDArray kernel = depthwiseKernel != null ? depthwiseKernel : depthwiseKernel(weight, channels);
            op = () -> depthwise(input, kernel, bias, config);
        } else {
            op = () -> grouped(input, weight, bias, config, groups, outH, outW);
        }
        // oneDNN's helper cannot create a dilated convolution (it throws).
        return isDilated(height, width) ? Helpers.withoutHelpers(op) : op.get();
    }

    /**
     * A depthwise weight (PyTorch's {@code [C·M, 1, kH, kW]}) in the layout ND4J's depthwise op needs,
     * {@code [kH, kW, C, M]}: PyTorch's output channel {@code c·M + m} is ND4J's {@code [.., c, m]}, and the op
     * ignores {@code weightsFormat}. A copy, c-order.
     */
    public static INDArray depthwiseKernel(INDArray weight, long channels) {
        long multiplier = weight.size(0) / channels;
        return weight.reshape('c', channels, multiplier, weight.size(2), weight.size(3))
                .permute(2, 3, 0, 1).dup('c');
    }

    // ---------------------------------------------------------------------------------------------- ND4J paths

    /**
     * A convolution config for OIHW weights on NCHW input; {@code nativePadding} passes the windows' (symmetric)
     * padding to ND4J, else none (the input is padded already).
     */
    private static Conv2DConfig convConfig(Window height, Window width, boolean nativePadding) {
        return Conv2DConfig.builder()
                .kH(height.kernel()).kW(width.kernel())
                .sH(height.stride()).sW(width.stride())
                .pH(nativePadding ? height.padBefore() : 0).pW(nativePadding ? width.padBefore() : 0)
                .dH(height.dilation()).dW(width.dilation())
                .paddingMode(PaddingMode.VALID) // VALID = "use the explicit pH/pW"
                .dataFormat("NCHW")
                .weightsFormat(WeightsFormat.OIYX)
                .build();
    }

    /** {@code groups == C}: ND4J's depthwise op on a kernel from {@link #depthwiseKernel}. */
    private static INDArray depthwise(INDArray x, INDArray kernel, INDArray bias, Conv2DConfig config) {
        return bias == null
                ? Nd4j.cnn().depthWiseConv2d(x, kernel, config)
                : Nd4j.cnn().depthWiseConv2d(x, kernel, bias, config);
    }

    /** {@code 1 < groups < C}: ND4J has no groups argument, so one conv per group writes its channel slice. */
    private static INDArray grouped(INDArray x, INDArray weight, INDArray bias, Conv2DConfig config, int groups,
                                    int outH, int outW) {
        long inPerGroup = x.size(1) / groups;
        long outPerGroup = weight.size(0) / groups;
        INDArray result = Nd4j.create(x.dataType(), x.size(0), weight.size(0), outH, outW);
        for (int g = 0; g < groups; g++) {
            INDArray xg = x.get(all(), interval(g * inPerGroup, (g + 1) * inPerGroup), all(), all());
            INDArray wg = weight.get(interval(g * outPerGroup, (g + 1) * outPerGroup), all(), all(), all());
            INDArray yg = result.get(all(), interval(g * outPerGroup, (g + 1) * outPerGroup), all(), all());
            INDArray bg = bias == null ? null : bias.get(interval(g * outPerGroup, (g + 1) * outPerGroup));
            Nd4j.exec(new Conv2D(xg, wg, bg, yg, config)); // (input, weight, bias or null, output, config)
        }
        return result;
    }

    // ----------------------------------------------------------------------------- dilated, on oneDNN's d = 1 conv

    /**
     * A stride-1 dilated convolution ({@code groups = 1}) as d×d undilated ones, so oneDNN can run it (its helper
     * refuses dilation, and ND4J's own im2col path is about ten times slower). Output pixel {@code o = p + d·q} reads
     * input pixels {@code p + d·(q + i)} of the padded input, so the outputs of phase {@code (p, q)} (every d-th pixel
     * from {@code (p, q)}) are an undilated convolution of the input's phase {@code (p, q)}. Each phase runs as one
     * convolution from a strided view of the padded input straight into a strided view of the result: no re-layout
     * copies, against {@link #dilatedByPhases}'s gather and scatter (51–60 against 67–92 ms per 8×32×128×128 layer
     * measured, equal results). The padded input lives in this thread's scratch workspace
     * ({@link CallMemory#scratch}).
     */
    private static INDArray dilatedPhaseByPhase(INDArray x, INDArray weight, INDArray bias, Window height,
                                                Window width, int outH, int outW) {
        int dH = height.dilation();
        int dW = width.dilation();
        int kH = height.kernel();
        int kW = width.kernel();
        Conv2DConfig undilated = convConfig(Window.kernel(kH), Window.kernel(kW), false);
        INDArray result = Nd4j.create(x.dataType(), x.size(0), weight.size(0), outH, outW);
        try (MemoryWorkspace scratch = CallMemory.scratch()) {
            boolean padding = height.padBefore() + height.padAfter() + width.padBefore() + width.padAfter() > 0;
            INDArray padded = padding
                    ? pad(x, height.padBefore(), height.padAfter(), width.padBefore(), width.padAfter(), 0.0) : x;
            for (int p = 0; p < dH && p < outH; p++) {
                for (int q = 0; q < dW && q < outW; q++) {
                    long rows = ceilDiv(outH - p, dH);
                    long cols = ceilDiv(outW - q, dW);
                    INDArray input = padded.get(all(), all(), every(p, dH, rows + kH - 1), every(q, dW, cols + kW - 1));
                    INDArray output = result.get(all(), all(), every(p, dH, rows), every(q, dW, cols));
                    INDArray[] inputs = bias == null ? new INDArray[] {input, weight}
                            : new INDArray[] {input, weight, bias};
                    Nd4j.exec(new Conv2D(inputs, new INDArray[] {output}, undilated));
                }
            }
        }
        return result;
    }

    /**
     * A stride-1 dilated convolution as one undilated convolution of all its phases at once, so oneDNN can run it
     * (its helper refuses dilation, and ND4J's own im2col path is about ten times slower). Used where
     * {@link #dilatedPhaseByPhase} is not: grouped and depthwise convolutions (ND4J's paths for them take no output
     * view), and phases too small to pay for one op call each. Output pixel {@code o = p + d·q} reads input pixels
     * {@code p + d·(q + i)} of the padded input: split it into its d×d phases (pixels with equal {@code index mod d}),
     * stacked along the batch, run the kernel undilated on them, and interleave the phase outputs back. This is
     * TensorFlow's {@code atrous_conv2d} decomposition (space-to-batch, conv, batch-to-space); the two re-layouts are
     * plain strided copies (ND4J's own {@code space_to_batch_nd} op measured 700 ms for what they do in 20).
     *
     * <p>Memory: the padding is never materialised (each phase is zero-filled and receives only the input pixels that
     * fall into it), the phase outputs are copied straight into the result (no interleaved map to crop), and the two
     * temporaries live in this thread's scratch workspace ({@link CallMemory#scratch}), reused by the next
     * layer and the next call, so a forward's own workspace holds only the result.
     */
    private static INDArray dilatedByPhases(INDArray x, INDArray weight, INDArray depthwiseKernel, INDArray bias,
                                            Window height, Window width, int groups, int outH, int outW) {
        int dH = height.dilation();
        int dW = width.dilation();
        long n = x.size(0);
        // Rounding the padded size up to whole phases adds zeros that only feed outputs past outH × outW.
        long h = ceilDiv(x.size(2) + height.padBefore() + height.padAfter(), dH);
        long w = ceilDiv(x.size(3) + width.padBefore() + width.padAfter(), dW);
        INDArray result = Nd4j.create(x.dataType(), n, weight.size(0), outH, outW);
        try (MemoryWorkspace scratch = CallMemory.scratch()) {
            INDArray phases = Nd4j.zeros(x.dataType(), (long) dH * dW * n, x.size(1), h, w);
            for (int p = 0; p < dH; p++) {
                for (int q = 0; q < dW; q++) {
                    PhaseSpan rows = PhaseSpan.of(p, dH, height.padBefore(), x.size(2), h);
                    PhaseSpan cols = PhaseSpan.of(q, dW, width.padBefore(), x.size(3), w);
                    if (rows.count > 0 && cols.count > 0) {
                        long block = (long) (p * dW + q) * n;
                        phases.get(interval(block, block + n), all(), interval(rows.first, rows.first + rows.count),
                                        interval(cols.first, cols.first + cols.count))
                                .assign(x.get(all(), all(), every(rows.source, dH, rows.count),
                                        every(cols.source, dW, cols.count)));
                    }
                }
            }
            INDArray convolved = conv2d(phases, weight, depthwiseKernel, bias, Window.kernel(height.kernel()),
                    Window.kernel(width.kernel()), groups);
            for (int p = 0; p < dH && p < outH; p++) {
                for (int q = 0; q < dW && q < outW; q++) {
                    long block = (long) (p * dW + q) * n;
                    long countH = ceilDiv(outH - p, dH);
                    long countW = ceilDiv(outW - q, dW);
                    result.get(all(), all(), every(p, dH, countH), every(q, dW, countW))
                            .assign(convolved.get(interval(block, block + n), all(), interval(0, countH),
                                    interval(0, countW)));
                }
            }
        }
        return result;
    }

    /**
     * Where the input pixels of one phase go: phase {@code p} of a map padded by {@code padBefore} holds padded pixels
     * {@code p + d·i}, {@code i < phaseSize}, of which {@code count} from {@code first} on are input pixels,
     * {@code source, source + d, ...} (the rest is padding, left zero).
     */
    private record PhaseSpan(long first, long count, long source) {
        static PhaseSpan of(long phase, long d, long padBefore, long inputSize, long phaseSize) {
            long first = Math.max(0, ceilDiv(padBefore - phase, d));
            long end = Math.min(phaseSize, ceilDiv(inputSize + padBefore - phase, d));
            return new PhaseSpan(first, Math.max(0, end - first), phase + d * first - padBefore);
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * The {@code count} indices {@code start, start + step, ...}. A single index is written as a plain interval: ND4J
     * 1.0.0-M2.1 mis-sizes a strided interval that holds one element (it threw "Indices are out of range").
     */
    private static INDArrayIndex every(long start, long step, long count) {
        return count == 1 ? NDArrayIndex.interval(start, start + 1)
                : NDArrayIndex.interval(start, step, start + (count - 1) * step + 1);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    /** The Java path, the output size already computed and checked: copy in, run the Java kernel, copy out. */
    private static INDArray inJava(INDArray x, INDArray weight, INDArray bias, Window height, Window width,
                                   int groups, int outH, int outW) {
        int n = Math.toIntExact(x.size(0));
        int c = Math.toIntExact(x.size(1));
        int out = Math.toIntExact(weight.size(0));
        int positions = Math.multiplyExact(outH, outW);
        float[] y = JavaArrays.scratch(Slot.OUTPUT, Math.multiplyExact(n * out, positions));
        float[][] col = JavaArrays.rows(Rows.COLUMNS, c / groups * height.kernel() * width.kernel(), positions);
        float[][] acc = JavaArrays.rows(Rows.ACCUMULATORS, 4, positions);
        conv2d(JavaArrays.read(x, Slot.INPUT), n, c, (int) x.size(2), (int) x.size(3),
                JavaArrays.read(weight, Slot.WEIGHT), bias == null ? null : JavaArrays.read(bias, Slot.BIAS), out,
                groups, height, width, outH, outW, col, acc, y);
        return JavaArrays.create(y, n, out, outH, outW);
    }

    /**
     * The Java kernel: {@code conv2d} of {@code x [n, c, h, w]} with {@code weight [out, c/groups, kH, kW]} and
     * {@code bias [out]} (or {@code null}) into {@code y [n, out, outH, outW]}, by im2col and axpys: output row
     * {@code o} is {@code Σ_k weight[o, k] · col[k]}. {@code col} has at least {@code c/groups · kH · kW} rows and
     * {@code acc} four, each of at least {@code outH · outW} floats.
     *
     * <p>The inner loop is an {@code axpy} over a contiguous output row ({@code y[p] += w · col[p]}), which HotSpot's
     * C2 compiles to packed multiply-adds. The column matrix is an array of rows, not one flat array: HotSpot 17
     * vectorises {@code y[p] += a · x[p]} only when both arrays are indexed from 0 (with offsets it cannot rule out
     * aliasing), 0.14 against 0.94 ns per element measured. Four output channels share each pass over a column row,
     * which halves the loads.
     */
    private static void conv2d(float[] x, int n, int c, int h, int w, float[] weight, float[] bias, int out,
                               int groups, Window height, Window width, int outH, int outW, float[][] col,
                               float[][] acc, float[] y) {
        int channelsPerGroup = c / groups;
        int outPerGroup = out / groups;
        int kernelSize = channelsPerGroup * height.kernel() * width.kernel();
        int positions = outH * outW;
        for (int sample = 0; sample < n; sample++) {
            for (int g = 0; g < groups; g++) {
                int inputPlane = (sample * c + g * channelsPerGroup) * h * w;
                im2col(x, inputPlane, channelsPerGroup, h, w, height, width, outH, outW, col);
                int o = g * outPerGroup;
                int end = o + outPerGroup;
                for (; o + 4 <= end; o += 4) {
                    for (int j = 0; j < 4; j++) {
                        Arrays.fill(acc[j], 0, positions, bias == null ? 0f : bias[o + j]);
                    }
                    for (int k = 0; k < kernelSize; k++) {
                        axpy4(weight[o * kernelSize + k], weight[(o + 1) * kernelSize + k],
                                weight[(o + 2) * kernelSize + k], weight[(o + 3) * kernelSize + k], col[k],
                                acc[0], acc[1], acc[2], acc[3], positions);
                    }
                    for (int j = 0; j < 4; j++) {
                        System.arraycopy(acc[j], 0, y, (sample * out + o + j) * positions, positions);
                    }
                }
                for (; o < end; o++) {
                    Arrays.fill(acc[0], 0, positions, bias == null ? 0f : bias[o]);
                    for (int k = 0; k < kernelSize; k++) {
                        axpy(weight[o * kernelSize + k], col[k], acc[0], positions);
                    }
                    System.arraycopy(acc[0], 0, y, (sample * out + o) * positions, positions);
                }
            }
        }
    }

    /** {@code y[p] += a · x[p]} for {@code p < count}. */
    private static void axpy(float a, float[] x, float[] y, int count) {
        for (int p = 0; p < count; p++) {
            y[p] += a * x[p];
        }
    }

    /** Four axpys sharing {@code x}: {@code yj[p] += aj · x[p]}. */
    private static void axpy4(float a0, float a1, float a2, float a3, float[] x, float[] y0, float[] y1, float[] y2,
                              float[] y3, int count) {
        for (int p = 0; p < count; p++) {
            float v = x[p];
            y0[p] += a0 * v;
            y1[p] += a1 * v;
            y2[p] += a2 * v;
            y3[p] += a3 * v;
        }
    }

    /**
     * Row {@code (ci, i, j)} of {@code col} holds, for every output position, the input pixel under kernel tap
     * {@code (i, j)} of channel {@code ci}, or 0 where the tap falls on the padding.
     */
    private static void im2col(float[] x, int inputPlane, int channels, int h, int w, Window height, Window width,
                               int outH, int outW, float[][] col) {
        int row = 0;
        for (int ci = 0; ci < channels; ci++) {
            int plane = inputPlane + ci * h * w;
            for (int i = 0; i < height.kernel(); i++) {
                int rowOffset = i * height.dilation() - height.padBefore();
                for (int j = 0; j < width.kernel(); j++) {
                    int colOffset = j * width.dilation() - width.padBefore();
                    // Output columns whose tap lands inside the input: first ≤ ow < end.
                    int first = Math.min(outW, ceilDivAtLeastZero(-colOffset, width.stride()));
                    int end = Math.max(first, Math.min(outW, ceilDivAtLeastZero(w - colOffset, width.stride())));
                    float[] target = col[row++];
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = oh * height.stride() + rowOffset;
                        int dst = oh * outW;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(target, dst, dst + outW, 0f);
                            continue;
                        }
                        Arrays.fill(target, dst, dst + first, 0f);
                        int src = plane + ih * w + colOffset;
                        if (end == first) {
                            // every tap of this column lands in the padding (src + first may be out of range)
                        } else if (width.stride() == 1) {
                            System.arraycopy(x, src + first, target, dst + first, end - first);
                        } else {
                            for (int ow = first; ow < end; ow++) {
                                target[dst + ow] = x[src + ow * width.stride()];
                            }
                        }
                        Arrays.fill(target, dst + end, dst + outW, 0f);
                    }
                }
            }
        }
    }

    /** {@code ⌈a/b⌉}, or 0 where that is negative. */
    private static int ceilDivAtLeastZero(int a, int b) {
        return Math.max(0, -Math.floorDiv(-a, b));
    }
}
