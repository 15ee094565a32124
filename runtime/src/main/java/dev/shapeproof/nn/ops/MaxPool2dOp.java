package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static dev.shapeproof.nn.ops.Windows.isDilated;
import static dev.shapeproof.nn.ops.Windows.isSymmetric;
import static dev.shapeproof.nn.ops.Windows.outputSize;
import static dev.shapeproof.nn.ops.Windows.pad;
import static dev.shapeproof.nn.ops.Windows.padAfterFor;
import static dev.shapeproof.nn.ops.Windows.poolConfig;
import static dev.shapeproof.nn.ops.Windows.requirePoolPadding;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import dev.shapeproof.shape.Window;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** {@code max_pool2d}: small inputs on the Java kernel, the rest on ND4J's max pooling, padded with −∞ as needed. */
public final class MaxPool2dOp {
    /** Elements of the input up to which the Java kernel runs (crossover ≈ 20 K). */
    private static final long MAX_JAVA_ELEMENTS = 1 << 13;

    /**
     * At or below this, an output of ND4J's max pooling is its starting value, -3.4028230607e38 (not exactly
     * {@code -Float.MAX_VALUE}), never a maximum of the window's values.
     */
    private static final double ND4J_LOWEST = -Float.MAX_VALUE * (1 - 1e-6);

    private MaxPool2dOp() {}

    public static INDArray maxPool2d(INDArray x, Window height, Window width) {
        requireRank(x, 4, "max_pool2d input");
        requirePoolPadding("max_pool2d", height, width);
        int outH = outputSize("max_pool2d", height, x.size(2));
        int outW = outputSize("max_pool2d", width, x.size(3));
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x)) {
            return inJava(x, height, width, outH, outW);
        }
        boolean plain = !height.ceilMode() && !width.ceilMode() && isSymmetric(height) && isSymmetric(width);
        // ND4J has neither ceil mode nor asymmetric padding: pad with -inf so that a floor-mode, unpadded pooling
        // gives PyTorch's windows.
        INDArray input = plain ? x
                : pad(x, height.padBefore(), padAfterFor(height, x.size(2), outH),
                        width.padBefore(), padAfterFor(width, x.size(3), outW), Double.NEGATIVE_INFINITY);
        Pooling2DConfig config = poolConfig(height, width, plain).build();
        Supplier<INDArray> op = () -> Nd4j.cnn().maxPooling2d(input, config);
        // oneDNN's helper silently ignores the dilation.
        INDArray y = isDilated(height, width) ? Helpers.withoutHelpers(op) : op.get();
        if (y.minNumber().doubleValue() > ND4J_LOWEST) {
            return y;
        }
        // ND4J starts each window's maximum at (about) the lowest finite float, so a window holding only -inf, or
        // only padding, gives that instead of PyTorch's -inf. Unless the input itself holds such a value, every such
        // output is one of those windows.
        if (x.minNumber().doubleValue() > ND4J_LOWEST) {
            BooleanIndexing.replaceWhere(y, Float.NEGATIVE_INFINITY, Conditions.lessThanOrEqual(ND4J_LOWEST));
            return y;
        }
        return inJava(x, height, width, outH, outW);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    private static INDArray inJava(INDArray x, Window height, Window width, int outH, int outW) {
        long[] shape = x.shape();
        int planes = Math.toIntExact(shape[0] * shape[1]);
        float[] y = JavaArrays.scratch(Slot.OUTPUT, Math.toIntExact((long) planes * outH * outW));
        maxPool2d(JavaArrays.read(x, Slot.INPUT), planes, (int) shape[2], (int) shape[3], height, width, outH, outW,
                y);
        return JavaArrays.create(y, shape[0], shape[1], outH, outW);
    }

    /**
     * The Java kernel: {@code max_pool2d} over {@code planes} maps of {@code h × w}: padding and the windows that ceil
     * mode adds past the end hold no value (PyTorch pads with −∞); NaN wins, as in PyTorch ({@code Math.max}
     * propagates it).
     */
    private static void maxPool2d(float[] x, int planes, int h, int w, Window height, Window width, int outH,
                                  int outW, float[] y) {
        int[] rows = taps(height, h, outH);
        int[] cols = taps(width, w, outW);
        int dH = height.dilation();
        int dW = width.dilation();
        int out = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * h * w;
            for (int oh = 0; oh < outH; oh++) {
                int top = oh * height.stride() - height.padBefore();
                for (int ow = 0; ow < outW; ow++) {
                    int left = ow * width.stride() - width.padBefore();
                    float max = Float.NEGATIVE_INFINITY;
                    for (int i = rows[2 * oh]; i < rows[2 * oh + 1]; i++) {
                        int row = base + (top + i * dH) * w + left;
                        for (int j = cols[2 * ow]; j < cols[2 * ow + 1]; j++) {
                            max = Math.max(max, x[row + j * dW]);
                        }
                    }
                    y[out++] = max;
                }
            }
        }
    }

    /**
     * Per output position {@code o}, the kernel taps that land inside an input of {@code size}: {@code taps[2o] ≤ t <
     * taps[2o + 1]}. Computed once per call, so the pooling loops divide nothing.
     */
    private static int[] taps(Window window, int size, int outputs) {
        int[] taps = new int[2 * outputs];
        for (int o = 0; o < outputs; o++) {
            int start = o * window.stride() - window.padBefore();
            int first = 0;
            while (first < window.kernel() && start + first * window.dilation() < 0) {
                first++;
            }
            int end = window.kernel();
            while (end > first && start + (end - 1) * window.dilation() >= size) {
                end--;
            }
            taps[2 * o] = first;
            taps[2 * o + 1] = end;
        }
        return taps;
    }
}
