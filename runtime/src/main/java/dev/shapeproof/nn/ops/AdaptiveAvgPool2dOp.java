package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code adaptive_avg_pool2d}: small inputs on the Java kernel; a channels-last batch pooled to 1×1 on a Java loop
 * over its pixel rows; otherwise a mean, one average pooling when the sizes divide, or one mean per bin of unequal
 * size.
 */
public final class AdaptiveAvgPool2dOp {
    /**
     * Elements of the input up to which the Java kernel runs: the other poolings' limit (measured for 1×1 output
     * only, where the crossover lies between 25 K and 100 K elements).
     */
    private static final long MAX_JAVA_ELEMENTS = 1 << 13;

    private AdaptiveAvgPool2dOp() {}

    public static INDArray adaptiveAvgPool2d(INDArray x, int outputHeight, int outputWidth) {
        requireRank(x, 4, "adaptive_avg_pool2d input");
        if (outputHeight < 1 || outputWidth < 1) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: output size " + outputHeight + "×" + outputWidth
                    + " must be positive");
        }
        long n = x.size(0);
        long channels = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x)) {
            return inJava(x, outputHeight, outputWidth);
        }
        if (outputHeight == 1 && outputWidth == 1 && MemoryOrder.isChannelsLast(x) && SmallTensors.fitAsLaid(x)) {
            return globalAverageOfChannelsLast(x);
        }
        if (outputHeight == 1 && outputWidth == 1) {
            return x.mean(true, 2, 3);
        }
        if (h % outputHeight == 0 && w % outputWidth == 0) {
            long kH = h / outputHeight;
            long kW = w / outputWidth;
            return Nd4j.cnn().avgPooling2d(x, Pooling2DConfig.builder()
                    .kH(kH).kW(kW).sH(kH).sW(kW).pH(0).pW(0).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).isNHWC(false).extra(1).build());
        }
        // Bins of unequal sizes: average the row bins, then the column bins (a mean of equal-length row means is
        // the rectangle's mean), one view op per bin.
        INDArray rows = x;
        if (h != outputHeight) {
            rows = Nd4j.create(x.dataType(), n, channels, outputHeight, w);
            for (int i = 0; i < outputHeight; i++) {
                rows.get(all(), all(), point(i), all())
                        .assign(x.get(all(), all(), interval(binStart(i, h, outputHeight), binEnd(i, h, outputHeight)),
                                all()).mean(2));
            }
        }
        if (w == outputWidth) {
            return rows; // a new array: h != outputHeight here, else the sizes would divide
        }
        INDArray result = Nd4j.create(x.dataType(), n, channels, outputHeight, outputWidth);
        for (int j = 0; j < outputWidth; j++) {
            result.get(all(), all(), all(), point(j))
                    .assign(rows.get(all(), all(), all(), interval(binStart(j, w, outputWidth),
                            binEnd(j, w, outputWidth))).mean(3));
        }
        return result;
    }

    /**
     * Global average pooling of a channels-last batch (a convolution's result: DeepLab's image pooling, every
     * classifier's last pooling), in Java: each image's pixels are rows of {@code C} values, summed row after row
     * into one sum per channel (in doubles, as the small-tensor kernel above), read in chunks of whole rows. ND4J's
     * mean walks such an array through its permuted strides: 1×2048×32×32, one thread, 10.4–12.8 ms against 1.8–2.2 on
     * a c-order copy (and as slow on the array viewed in its memory order, a reduction over non-innermost axes).
     */
    private static INDArray globalAverageOfChannelsLast(INDArray x) {
        int n = Math.toIntExact(x.size(0));
        int channels = Math.toIntExact(x.size(1));
        long pixels = x.size(2) * x.size(3);
        int rowsPerChunk = (int) Math.max(1, Math.min(pixels, CHUNK_FLOATS / channels));
        INDArray result = CallMemory.floatArray(n, channels, 1, 1);
        double[] sums = new double[channels];
        float[] means = JavaArrays.scratch(Slot.OUTPUT, channels);
        for (int b = 0; b < n; b++) {
            java.util.Arrays.fill(sums, 0);
            long image = b * x.stride(0);
            for (long row = 0; row < pixels; row += rowsPerChunk) {
                int rows = (int) Math.min(rowsPerChunk, pixels - row);
                float[] chunk = JavaArrays.read(x, image + row * channels, rows * channels, Slot.INPUT);
                for (int r = 0, at = 0; r < rows; r++, at += channels) {
                    for (int c = 0; c < channels; c++) {
                        sums[c] += chunk[at + c];
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                means[c] = (float) (sums[c] / pixels);
            }
            JavaArrays.write(means, channels, result, (long) b * channels);
        }
        return result;
    }

    /** The floats {@link #globalAverageOfChannelsLast} copies to Java at a time (256 KB). */
    private static final int CHUNK_FLOATS = 1 << 16;

    private static long binStart(long i, long input, long output) {
        return Math.floorDiv(i * input, output);
    }

    private static long binEnd(long i, long input, long output) {
        return -Math.floorDiv(-(i + 1) * input, output);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    private static INDArray inJava(INDArray x, int outH, int outW) {
        long[] shape = x.shape();
        int planes = Math.toIntExact(shape[0] * shape[1]);
        float[] y = JavaArrays.scratch(Slot.OUTPUT, Math.toIntExact((long) planes * outH * outW));
        adaptiveAvgPool2d(JavaArrays.read(x, Slot.INPUT), planes, (int) shape[2], (int) shape[3], outH, outW, y);
        return JavaArrays.create(y, shape[0], shape[1], outH, outW);
    }

    /**
     * The Java kernel: output cell {@code (i, j)} averages input rows {@code [⌊i·h/outH⌋, ⌈(i+1)·h/outH⌉)} and the
     * columns likewise.
     */
    private static void adaptiveAvgPool2d(float[] x, int planes, int h, int w, int outH, int outW, float[] y) {
        int out = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * h * w;
            for (int i = 0; i < outH; i++) {
                int top = Math.floorDiv(i * h, outH);
                int bottom = -Math.floorDiv(-(i + 1) * h, outH);
                for (int j = 0; j < outW; j++) {
                    int left = Math.floorDiv(j * w, outW);
                    int right = -Math.floorDiv(-(j + 1) * w, outW);
                    double sum = 0;
                    for (int ih = top; ih < bottom; ih++) {
                        for (int iw = left; iw < right; iw++) {
                            sum += x[base + ih * w + iw];
                        }
                    }
                    y[out++] = (float) (sum / ((bottom - top) * (right - left)));
                }
            }
        }
    }
}
