package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static dev.shapeproof.nn.ops.Checks.requireVector;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Eval-mode {@code batch_norm}: on the Java kernel up to a large size, past it on ND4J's batch-norm op. */
public final class BatchNorm2dOp {
    /**
     * Elements up to which the Java kernel runs. ND4J's batch-norm op is 4× slower than the Java loop even at 370 K
     * elements; the limit only bounds the per-thread scratch arrays (2 MB each).
     */
    private static final long MAX_JAVA_ELEMENTS = 1 << 19;
    /** Weight elements folded per chunk. */
    private static final int FOLD_CHUNK = 1 << 14;

    private BatchNorm2dOp() {}

    public static INDArray batchNorm2d(INDArray x, INDArray runningMean, INDArray runningVar, INDArray weight,
                                       INDArray bias, double eps) {
        requireRank(x, 4, "batch_norm input");
        long channels = x.size(1);
        requireVector(runningMean, channels, "running_mean");
        requireVector(runningVar, channels, "running_var");
        if (weight != null) {
            requireVector(weight, channels, "weight");
        }
        if (bias != null) {
            requireVector(bias, channels, "bias");
        }
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x, runningMean, runningVar, weight, bias)) {
            return inJava(x, runningMean, runningVar, weight, bias, eps);
        }
        if (MemoryOrder.isChannelsLast(x) && SmallTensors.fit(MAX_JAVA_ELEMENTS,
                MemoryOrder.view(x, MemoryOrder.CHANNELS_LAST), runningMean, runningVar, weight, bias)) {
            return channelsLastInJava(x, runningMean, runningVar, weight, bias, eps);
        }
        return Nd4j.nn().batchNorm(x, runningMean, runningVar, weight, bias, eps, 1);
    }

    /**
     * A convolution's weight {@code [out, ...]} and bias ({@code null}: none) with an eval-mode batch norm on its
     * output folded in: {@code weight·α} per output channel and {@code (bias − mean)·α + normBias}, with
     * {@code α = normWeight / sqrt(var + eps)} computed in double ({@code normWeight}, {@code normBias} {@code null}
     * for {@code affine=False}). New c-order float arrays: {weight, bias}.
     */
    public static INDArray[] fold(INDArray weight, INDArray bias, INDArray mean, INDArray variance,
                                  INDArray normWeight, INDArray normBias, double eps) {
        double[] alpha = foldScale(weight.size(0), mean, variance, normWeight, eps);
        return new INDArray[] {foldWeight(weight, alpha), foldBias(bias, mean, normBias, alpha)};
    }

    /**
     * The per-channel factor of a fold, {@code α = normWeight / sqrt(var + eps)} in double, for a convolution of
     * {@code out} output channels.
     */
    public static double[] foldScale(long out, INDArray mean, INDArray variance, INDArray normWeight, double eps) {
        int channels = Math.toIntExact(out);
        requireVector(mean, channels, "running_mean");
        requireVector(variance, channels, "running_var");
        double[] alpha = new double[channels];
        for (int o = 0; o < channels; o++) {
            alpha[o] = (normWeight == null ? 1.0 : normWeight.getDouble(o)) / Math.sqrt(variance.getDouble(o) + eps);
        }
        return alpha;
    }

    /**
     * {@code weight·α} per output channel, a new c-order float array outside any workspace, each element the Java
     * {@code (float) (w · α)} (a float product with {@code (float) α} would be off by an ulp here and there).
     * Computed through a small chunk array straight between the two native buffers: no heap copy of the weight, no
     * temporary of its size.
     */
    public static INDArray foldWeight(INDArray weight, double[] alpha) {
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray source = Layouts.isDenseC(weight) && weight.dataType() == DataType.FLOAT ? weight
                    : weight.castTo(DataType.FLOAT).dup('c');
            long length = source.length();
            if (length == 0) {
                return Nd4j.create(DataType.FLOAT, weight.shape());
            }
            long perChannel = length / alpha.length;
            INDArray folded = Nd4j.createUninitialized(DataType.FLOAT, weight.shape(), 'c');
            FloatPointer from = new FloatPointer(source.data().pointer());
            FloatPointer to = new FloatPointer(folded.data().pointer());
            float[] chunk = new float[(int) Math.min(FOLD_CHUNK, length)];
            int channel = 0;
            long leftInChannel = perChannel;
            for (long done = 0; done < length; ) {
                int n = (int) Math.min(chunk.length, length - done);
                from.position(source.offset() + done).get(chunk, 0, n);
                for (int i = 0; i < n; i++) {
                    if (leftInChannel == 0) {
                        channel++;
                        leftInChannel = perChannel;
                    }
                    chunk[i] = (float) (chunk[i] * alpha[channel]);
                    leftInChannel--;
                }
                to.position(done).put(chunk, 0, n);
                done += n;
            }
            return folded;
        }
    }

    /** {@code (bias − mean)·α + normBias} per channel ({@code bias}, {@code normBias} {@code null}: none). */
    public static INDArray foldBias(INDArray bias, INDArray mean, INDArray normBias, double[] alpha) {
        float[] b = new float[alpha.length];
        for (int o = 0; o < alpha.length; o++) {
            b[o] = (float) (((bias == null ? 0.0 : bias.getDouble(o)) - mean.getDouble(o)) * alpha[o]
                    + (normBias == null ? 0.0 : normBias.getDouble(o)));
        }
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(b, new long[] {alpha.length}, 'c');
        }
    }

    /**
     * Eval-mode {@code batch_norm} of {@code [N, C]} or {@code [N, C, L]} ({@code nn.BatchNorm1d}): the same
     * normalisation, on the input viewed as {@code [N, C, L, 1]}.
     */
    public static INDArray batchNorm1d(INDArray x, INDArray runningMean, INDArray runningVar, INDArray weight,
                                       INDArray bias, double eps) {
        if (x.rank() != 2 && x.rank() != 3) {
            throw new IllegalArgumentException("batch_norm1d input must have rank 2 or 3, found "
                    + java.util.Arrays.toString(x.shape()));
        }
        long[] shape = x.shape();
        INDArray images = x.reshape('c', shape[0], shape[1], x.rank() == 3 ? shape[2] : 1, 1);
        return batchNorm2d(images, runningMean, runningVar, weight, bias, eps).reshape('c', shape);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    private static INDArray inJava(INDArray x, INDArray mean, INDArray variance, INDArray weight, INDArray bias,
                                   double eps) {
        long[] shape = x.shape();
        int length = Math.toIntExact(x.length());
        float[] y = JavaArrays.scratch(Slot.OUTPUT, length);
        batchNorm(JavaArrays.read(x, Slot.INPUT), (int) shape[0], (int) shape[1], (int) (shape[2] * shape[3]),
                JavaArrays.read(mean, Slot.SECOND_INPUT), JavaArrays.read(variance, Slot.VARIANCE),
                weight == null ? null : JavaArrays.read(weight, Slot.WEIGHT),
                bias == null ? null : JavaArrays.read(bias, Slot.BIAS), eps, y);
        return JavaArrays.create(y, shape);
    }

    /**
     * A channels-last {@code x} (a convolution's result) read in memory order, {@code [N·H·W, C]}, with its channel
     * innermost; the result has {@code x}'s layout, no element reordered, and the numbers of a c-order copy. Past the
     * limit ND4J's op on the permuted array gives those numbers too; on the buffer viewed as {@code [N, H, W, C]}
     * (axis 3) it is about 2× faster, but one ulp off here and there, so it is not used.
     */
    private static INDArray channelsLastInJava(INDArray x, INDArray mean, INDArray variance, INDArray weight,
                                               INDArray bias, double eps) {
        INDArray view = MemoryOrder.view(x, MemoryOrder.CHANNELS_LAST);
        int channels = (int) x.size(1);
        int length = Math.toIntExact(x.length());
        float[] y = JavaArrays.scratch(Slot.OUTPUT, length);
        batchNormChannelsLast(JavaArrays.read(view, Slot.INPUT), length / channels, channels,
                JavaArrays.read(mean, Slot.SECOND_INPUT), JavaArrays.read(variance, Slot.VARIANCE),
                weight == null ? null : JavaArrays.read(weight, Slot.WEIGHT),
                bias == null ? null : JavaArrays.read(bias, Slot.BIAS), eps, y);
        return MemoryOrder.back(JavaArrays.create(y, view.shape()), MemoryOrder.CHANNELS_LAST);
    }

    /**
     * {@link #batchNorm} on {@code [pixels, channels]}: the same {@code α}, {@code β} and float arithmetic per element,
     * so the same numbers.
     */
    private static void batchNormChannelsLast(float[] x, int pixels, int channels, float[] mean, float[] variance,
                                              float[] weight, float[] bias, double eps, float[] y) {
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            double alpha = (weight == null ? 1.0 : weight[c]) / Math.sqrt(variance[c] + eps);
            scale[c] = (float) alpha;
            shift[c] = (float) ((bias == null ? 0.0 : bias[c]) - mean[c] * alpha);
        }
        for (int p = 0; p < pixels; p++) {
            int offset = p * channels;
            for (int c = 0; c < channels; c++) {
                y[offset + c] = x[offset + c] * scale[c] + shift[c];
            }
        }
    }

    /**
     * The Java kernel, on {@code [n, channels, size]}: {@code y = x·α + β} per channel with
     * {@code α = weight / sqrt(var + eps)} and {@code β = bias − mean·α}, computed in double as PyTorch's CPU kernel
     * does; {@code weight} and {@code bias} may be {@code null}. {@code y} may be {@code x}.
     */
    private static void batchNorm(float[] x, int n, int channels, int size, float[] mean, float[] variance,
                                  float[] weight, float[] bias, double eps, float[] y) {
        for (int c = 0; c < channels; c++) {
            double alpha = (weight == null ? 1.0 : weight[c]) / Math.sqrt(variance[c] + eps);
            float scale = (float) alpha;
            float shift = (float) ((bias == null ? 0.0 : bias[c]) - mean[c] * alpha);
            for (int sample = 0; sample < n; sample++) {
                int offset = (sample * channels + c) * size;
                for (int i = offset; i < offset + size; i++) {
                    y[i] = x[i] * scale + shift;
                }
            }
        }
    }
}
