package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code F.interpolate}, {@code "nearest"} and {@code "bilinear"}, with PyTorch's coordinate rules computed here and
 * the data moved by ND4J ({@code upsampling2d}, {@code gather}, gemm); ND4J's own resize ops follow TensorFlow's
 * rules and know no scale factor.
 */
public final class InterpolateOp {
    private InterpolateOp() {}

    public static INDArray interpolate(INDArray x, int outH, int outW, double scaleH, double scaleW, String mode,
                                       boolean alignCorners) {
        requireRank(x, 4, "interpolate input");
        Objects.requireNonNull(mode, "interpolate mode");
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("interpolate: output size " + outH + "×" + outW + " must be positive");
        }
        for (double scale : new double[] {scaleH, scaleW}) {
            if (!(scale >= 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("interpolate: scale factor " + scale
                        + " must be positive (or 0 when a size was given)");
            }
        }
        int inH = Math.toIntExact(x.size(2));
        int inW = Math.toIntExact(x.size(3));
        if (inH < 1 || inW < 1) {
            throw new IllegalArgumentException("interpolate: empty input " + Arrays.toString(x.shape()));
        }
        switch (mode) {
            case "nearest":
                if (alignCorners) {
                    throw new IllegalArgumentException("interpolate: align_corners is only for the linear modes, "
                            + "not \"nearest\"");
                }
                return nearest(x, nearestIndices(inH, outH, scaleH), nearestIndices(inW, outW, scaleW));
            case "bilinear":
                return bilinear(x, linearWeights(inH, outH, scaleH, alignCorners),
                        linearWeights(inW, outW, scaleW, alignCorners));
            default:
                throw new IllegalArgumentException("interpolate: mode \"" + mode
                        + "\" is not supported (\"nearest\", \"bilinear\")");
        }
    }

    /**
     * PyTorch's {@code nearest_idx} (aten/src/ATen/native/UpSample.h) for every output index: identity when
     * {@code out == in}, {@code dst >> 1} when {@code out == 2·in}, else {@code min(floorf(dst·s), in − 1)}
     * computed in float32 with {@code s = (float) (1/scale)}, or {@code (float) in/out} without a scale.
     */
    private static int[] nearestIndices(int in, int out, double scale) {
        int[] index = new int[out];
        float s = scale > 0 ? (float) (1.0 / scale) : (float) in / out;
        for (int i = 0; i < out; i++) {
            if (out == in) {
                index[i] = i;
            } else if (out == 2 * in) {
                index[i] = i >> 1;
            } else {
                index[i] = Math.min((int) Math.floor(i * s), in - 1); // i·s: a float product, as in PyTorch
            }
        }
        return index;
    }

    /** {@code k} when {@code index[i] == i / k} for every {@code i} and {@code out == k·in}, else 0. */
    private static int repeatFactor(int[] index, int in) {
        if (index.length % in != 0) {
            return 0;
        }
        int k = index.length / in;
        for (int i = 0; i < index.length; i++) {
            if (index[i] != i / k) {
                return 0;
            }
        }
        return k;
    }

    /**
     * Nearest: when both axes repeat every cell an integer number of times, ND4J's {@code upsampling2d} (exactly
     * that); otherwise one {@code gather} per axis that changes, with PyTorch's indices. ND4J's
     * {@code ResizeNearestNeighbor} is not used: its coordinate rules are TensorFlow's, and it knows no scale factor.
     */
    private static INDArray nearest(INDArray x, int[] rows, int[] cols) {
        int inH = Math.toIntExact(x.size(2));
        int inW = Math.toIntExact(x.size(3));
        int kH = repeatFactor(rows, inH);
        int kW = repeatFactor(cols, inW);
        if (kH == 1 && kW == 1) {
            return x.dup('c');
        }
        if (kH > 0 && kW > 0) {
            return Nd4j.cnn().upsampling2d(x, kH, kW, true);
        }
        // Indices as an array: Gather's int[] form treats a single index as a scalar and drops the axis.
        INDArray y = x;
        if (kH != 1) {
            y = Nd4j.exec(new Gather(y, Nd4j.createFromArray(rows), 2))[0];
        }
        if (kW != 1) {
            y = Nd4j.exec(new Gather(y, Nd4j.createFromArray(cols), 3))[0];
        }
        return y;
    }

    /**
     * The {@code [out, in]} matrix of PyTorch's linear interpolation weights along one axis
     * ({@code compute_source_index_and_lambda} in aten/src/ATen/native/cpu/UpSampleKernel.cpp, float32 like
     * PyTorch's kernel for float input): each row holds {@code λ0} at {@code i0 = (int) src} and {@code λ1} at
     * {@code min(i0 + 1, in − 1)}; {@code null} when the axis is copied ({@code out == in}).
     */
    private static float[][] linearWeights(int in, int out, double scale, boolean alignCorners) {
        if (out == in) {
            return null;
        }
        float ratio;
        if (alignCorners) {
            ratio = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
        } else {
            ratio = scale > 0 ? (float) (1.0 / scale) : (float) in / out;
        }
        float[][] weights = new float[out][in];
        for (int i = 0; i < out; i++) {
            float src;
            if (alignCorners) {
                src = ratio * i;
            } else {
                src = (float) (ratio * (i + 0.5) - 0.5); // PyTorch: scale * (dst + 0.5) - 0.5 in double, to float
                src = src < 0 ? 0f : src;
            }
            int i0 = (int) src;
            int i1 = i0 < in - 1 ? i0 + 1 : i0;
            float lambda1 = Math.min(Math.max(src - i0, 0f), 1f);
            float lambda0 = 1f - lambda1;
            weights[i][i0] += lambda0;
            weights[i][i1] += lambda1;
        }
        return weights;
    }

    /**
     * Bilinear as two interpolation-matrix products, {@code out = Ah · x · Awᵀ} per {@code (n, c)}: first one gemm
     * {@code [N·C·H, W] · Awᵀ}, then a batched matmul with {@code Ah}. Each output is {@code λ0·a + λ1·b} per axis,
     * PyTorch's own arithmetic (the other weights are exact zeros), with PyTorch's coordinates, including the
     * {@code 1/scale_factor} mapping. ND4J's {@code ResizeBilinear} is not used: it needs NHWC c-order copies in and
     * out, knows no scale factor (in/out only), and {@code Nd4j.image().resizeBiLinear} always throws. (A
     * non-finite input value spreads along its row and column here, through 0·inf.)
     */
    private static INDArray bilinear(INDArray x, float[][] rowWeights, float[][] colWeights) {
        long n = x.size(0);
        long channels = x.size(1);
        long inH = x.size(2);
        long inW = x.size(3);
        if (rowWeights == null && colWeights == null) {
            return x.dup('c');
        }
        long outH = rowWeights == null ? inH : rowWeights.length;
        long outW = colWeights == null ? inW : colWeights.length;
        INDArray y = x;
        if (colWeights != null) {
            INDArray aw = Nd4j.createFromArray(colWeights).castTo(x.dataType()); // [outW, inW]
            y = Nd4j.gemm(x.reshape('c', n * channels * inH, inW), aw, false, true); // transB: no copy
        }
        if (rowWeights != null) {
            long batch = n * channels;
            INDArray ah = Nd4j.createFromArray(rowWeights).castTo(x.dataType()); // [outH, inH]
            // ND4J's matmul does not broadcast a rank-2 operand against a rank-3 one: repeat Ah per (n, c).
            INDArray ahs = ah.reshape('c', 1, outH, inH).broadcast(batch, outH, inH);
            y = Nd4j.matmul(ahs, y.reshape('c', batch, inH, outW));
        }
        return y.reshape('c', n, channels, outH, outW);
    }
}
