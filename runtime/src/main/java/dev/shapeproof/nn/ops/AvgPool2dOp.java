package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static dev.shapeproof.nn.ops.Windows.isSymmetric;
import static dev.shapeproof.nn.ops.Windows.outputSize;
import static dev.shapeproof.nn.ops.Windows.pad;
import static dev.shapeproof.nn.ops.Windows.padAfterFor;
import static dev.shapeproof.nn.ops.Windows.poolConfig;
import static dev.shapeproof.nn.ops.Windows.requirePoolPadding;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import dev.shapeproof.shape.Window;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code avg_pool2d}: small inputs on the Java kernel, the rest on ND4J's average pooling, rescaled to PyTorch's
 * divisors where ND4J cannot express the window.
 */
public final class AvgPool2dOp {
    /** Elements of the input up to which the Java kernel runs (crossover ≈ 12 K). */
    private static final long MAX_JAVA_ELEMENTS = 1 << 13;

    private AvgPool2dOp() {}

    public static INDArray avgPool2d(INDArray x, Window height, Window width, boolean countIncludePad) {
        requireRank(x, 4, "avg_pool2d input");
        if (height.dilation() != 1 || width.dilation() != 1) {
            throw new IllegalArgumentException("avg_pool2d has no dilation: " + height + ", " + width);
        }
        requirePoolPadding("avg_pool2d", height, width);
        int outH = outputSize("avg_pool2d", height, x.size(2));
        int outW = outputSize("avg_pool2d", width, x.size(3));
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x)) {
            return inJava(x, height, width, countIncludePad, outH, outW);
        }
        if (!height.ceilMode() && !width.ceilMode() && isSymmetric(height) && isSymmetric(width)) {
            // AvgPooling2D takes its divisor mode from `extra` (1 counts the padding, 0 does not), not `divisor`.
            return Nd4j.cnn().avgPooling2d(x, poolConfig(height, width, true).extra(countIncludePad ? 1 : 0).build());
        }
        // Ceil mode or asymmetric padding: average zero-padded k×k windows, then rescale each output cell from
        // PyTorch's divisor; the divisor is a product of one factor per axis.
        INDArray padded = pad(x, height.padBefore(), padAfterFor(height, x.size(2), outH),
                width.padBefore(), padAfterFor(width, x.size(3), outW), 0.0);
        INDArray y = Nd4j.cnn().avgPooling2d(padded, poolConfig(height, width, false).extra(1).build());
        double[] rows = divisors(height, x.size(2), outH, countIncludePad);
        double[] cols = divisors(width, x.size(3), outW, countIncludePad);
        double[][] scale = new double[outH][outW];
        double cells = (double) height.kernel() * width.kernel();
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < outW; j++) {
                scale[i][j] = cells / (rows[i] * cols[j]);
            }
        }
        return y.muli(Nd4j.createFromArray(scale).castTo(y.dataType()));
    }

    /** PyTorch's avg-pool divisor factor along one axis, per output position. */
    private static double[] divisors(Window window, long input, int output, boolean countIncludePad) {
        double[] divisors = new double[output];
        for (int i = 0; i < output; i++) {
            long start = (long) i * window.stride() - window.padBefore();
            long end = Math.min(start + window.kernel(), input + window.padAfter());
            long withPadding = end - start;
            long inside = Math.min(end, input) - Math.max(start, 0);
            divisors[i] = countIncludePad ? withPadding : inside;
        }
        return divisors;
    }

    // ------------------------------------------------------------------------------------------------ Java path

    private static INDArray inJava(INDArray x, Window height, Window width, boolean countIncludePad, int outH,
                                   int outW) {
        long[] shape = x.shape();
        int planes = Math.toIntExact(shape[0] * shape[1]);
        float[] y = JavaArrays.scratch(Slot.OUTPUT, Math.toIntExact((long) planes * outH * outW));
        avgPool2d(JavaArrays.read(x, Slot.INPUT), planes, (int) shape[2], (int) shape[3], height, width, outH, outW,
                countIncludePad, y);
        return JavaArrays.create(y, shape[0], shape[1], outH, outW);
    }

    /**
     * The Java kernel: {@code avg_pool2d} with PyTorch's divisors: with {@code countIncludePad} the window clipped to
     * the padded input, without it the window clipped to the input (a window with no input cell gives 0). Dilation 1.
     */
    private static void avgPool2d(float[] x, int planes, int h, int w, Window height, Window width, int outH,
                                  int outW, boolean countIncludePad, float[] y) {
        int[] rows = averagedTaps(height, h, outH);
        int[] cols = averagedTaps(width, w, outW);
        int out = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * h * w;
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    int inside = (rows[3 * oh + 1] - rows[3 * oh]) * (cols[3 * ow + 1] - cols[3 * ow]);
                    double sum = 0;
                    for (int ih = rows[3 * oh]; ih < rows[3 * oh + 1]; ih++) {
                        int row = base + ih * w;
                        for (int iw = cols[3 * ow]; iw < cols[3 * ow + 1]; iw++) {
                            sum += x[row + iw];
                        }
                    }
                    int divisor = countIncludePad ? rows[3 * oh + 2] * cols[3 * ow + 2] : inside;
                    y[out++] = inside == 0 ? 0f : (float) (sum / divisor);
                }
            }
        }
    }

    /**
     * Per output position {@code o} along one axis, as PyTorch's average pooling reads it: the input cells
     * {@code taps[3o] ≤ i < taps[3o + 1]}, and {@code taps[3o + 2]} the window's length clipped to the padded input.
     */
    private static int[] averagedTaps(Window window, int size, int outputs) {
        int[] taps = new int[3 * outputs];
        for (int o = 0; o < outputs; o++) {
            int start = o * window.stride() - window.padBefore();
            int end = Math.min(start + window.kernel(), size + window.padAfter());
            taps[3 * o] = Math.max(start, 0);
            taps[3 * o + 1] = Math.max(taps[3 * o], Math.min(end, size));
            taps[3 * o + 2] = end - start;
        }
        return taps;
    }
}
