package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code adaptive_max_pool2d}: small inputs on the Java kernel; otherwise a max over the map, or one max per bin (the
 * bins of {@code adaptive_avg_pool2d}, possibly overlapping), row bins first and then column bins. NaN wins, as in
 * PyTorch's kernel.
 */
public final class AdaptiveMaxPool2dOp {
    /** Elements of the input up to which the Java kernel runs: adaptive average pooling's limit. */
    private static final long MAX_JAVA_ELEMENTS = 1 << 13;

    private AdaptiveMaxPool2dOp() {}

    public static INDArray adaptiveMaxPool2d(INDArray x, int outputHeight, int outputWidth) {
        requireRank(x, 4, "adaptive_max_pool2d input");
        if (outputHeight < 1 || outputWidth < 1) {
            throw new IllegalArgumentException("adaptive_max_pool2d: output size " + outputHeight + "×" + outputWidth
                    + " must be positive");
        }
        long n = x.size(0);
        long channels = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x)) {
            return inJava(x, outputHeight, outputWidth);
        }
        if (outputHeight == 1 && outputWidth == 1) {
            return withNaN(x, x.max(true, 2, 3), 2, 3);
        }
        // The max of the row bins, then of the column bins (a max of row maxima is the rectangle's), one view op
        // per bin.
        INDArray rows = x;
        if (h != outputHeight) {
            rows = Nd4j.create(x.dataType(), n, channels, outputHeight, w);
            for (int i = 0; i < outputHeight; i++) {
                INDArray bin = x.get(all(), all(), interval(binStart(i, h, outputHeight),
                        binEnd(i, h, outputHeight)), all());
                rows.get(all(), all(), point(i), all()).assign(withNaN(bin, bin.max(2), 2));
            }
        }
        if (w == outputWidth) {
            return rows == x ? x.dup('c') : rows; // never the caller's array itself
        }
        INDArray result = Nd4j.create(x.dataType(), n, channels, outputHeight, outputWidth);
        for (int j = 0; j < outputWidth; j++) {
            INDArray bin = rows.get(all(), all(), all(), interval(binStart(j, w, outputWidth),
                    binEnd(j, w, outputWidth)));
            result.get(all(), all(), all(), point(j)).assign(withNaN(bin, bin.max(3), 3));
        }
        return result;
    }

    /** {@code max}, with NaN where the reduced values hold one: ND4J's max skips NaN, PyTorch's does not. */
    private static INDArray withNaN(INDArray x, INDArray max, int... dims) {
        INDArray nan = x.isNaN().castTo(x.dataType()).sum(max.rank() == x.rank(), dims);
        if (nan.sumNumber().doubleValue() > 0) {
            for (long i = 0; i < max.length(); i++) {
                if (nan.getDouble(i) > 0) {
                    max.putScalar(i, Float.NaN);
                }
            }
        }
        return max;
    }

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
        adaptiveMaxPool2d(JavaArrays.read(x, Slot.INPUT), planes, (int) shape[2], (int) shape[3], outH, outW, y);
        return JavaArrays.create(y, shape[0], shape[1], outH, outW);
    }

    /**
     * The Java kernel: output cell {@code (i, j)} is the maximum of input rows {@code [⌊i·h/outH⌋, ⌈(i+1)·h/outH⌉)}
     * and the columns likewise; NaN if one of them is.
     */
    private static void adaptiveMaxPool2d(float[] x, int planes, int h, int w, int outH, int outW, float[] y) {
        int out = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * h * w;
            for (int i = 0; i < outH; i++) {
                int top = Math.floorDiv(i * h, outH);
                int bottom = -Math.floorDiv(-(i + 1) * h, outH);
                for (int j = 0; j < outW; j++) {
                    int left = Math.floorDiv(j * w, outW);
                    int right = -Math.floorDiv(-(j + 1) * w, outW);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int ih = top; ih < bottom; ih++) {
                        for (int iw = left; iw < right; iw++) {
                            float v = x[base + ih * w + iw];
                            if (v > max || Float.isNaN(v)) {
                                max = v; // once NaN, no v compares greater: NaN stays
                            }
                        }
                    }
                    y[out++] = max;
                }
            }
        }
    }
}
