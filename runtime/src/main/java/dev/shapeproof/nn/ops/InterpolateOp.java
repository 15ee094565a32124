package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code F.interpolate}, {@code "nearest"} and {@code "bilinear"}, with PyTorch's coordinate rules computed here: on
 * the CPU backends by a Java kernel that computes each output from its taps as PyTorch does, elsewhere (and past the
 * kernel's scratch limit) by ND4J ({@code upsampling2d}, {@code gather}, gemm). ND4J's own resize ops follow
 * TensorFlow's rules and know no scale factor.
 */
public final class InterpolateOp {
    /**
     * The Java kernel's largest scratch array, in floats (4 MB): an input image, an output plane, the input rows
     * widened. Past it, ND4J's path; the Java kernel was 1.4–8× faster at every size measured below it.
     */
    static final long MAX_JAVA_SCRATCH = 1 << 20;

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
                int[] rows = nearestIndices(inH, outH, scaleH);
                int[] cols = nearestIndices(inW, outW, scaleW);
                if (fitsJava(x, outH, outW)) {
                    return javaKernel(x, Taps.nearest(rows), Taps.nearest(cols));
                }
                return nearest(x, rows, cols);
            case "bilinear":
                Taps rowTaps = Taps.linear(inH, outH, scaleH, alignCorners);
                Taps colTaps = Taps.linear(inW, outW, scaleW, alignCorners);
                if (fitsJava(x, outH, outW)) {
                    return javaKernel(x, rowTaps, colTaps);
                }
                return bilinear(x, rowTaps.matrix(inH), colTaps.matrix(inW));
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
     * What each output index reads along one axis: one input index ({@code second == null}: nearest, or a copied axis)
     * or two with their weights, PyTorch's {@code compute_source_index_and_lambda}
     * (aten/src/ATen/native/cpu/UpSampleKernel.cpp) in float32 like its kernel for float input: {@code λ0} at
     * {@code i0 = (int) src}, {@code λ1} at {@code min(i0 + 1, in − 1)}.
     */
    private record Taps(int[] first, float[] firstWeight, int[] second, float[] secondWeight) {
        static Taps nearest(int[] index) {
            return new Taps(index, null, null, null);
        }

        /** Linear taps; a copied axis ({@code out == in}) reads one index, as PyTorch's copy of it does. */
        static Taps linear(int in, int out, double scale, boolean alignCorners) {
            int[] first = new int[out];
            if (out == in) {
                for (int i = 0; i < out; i++) {
                    first[i] = i;
                }
                return nearest(first);
            }
            float ratio;
            if (alignCorners) {
                ratio = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
            } else {
                ratio = scale > 0 ? (float) (1.0 / scale) : (float) in / out;
            }
            int[] second = new int[out];
            float[] firstWeight = new float[out];
            float[] secondWeight = new float[out];
            for (int i = 0; i < out; i++) {
                float src;
                if (alignCorners) {
                    src = ratio * i;
                } else {
                    src = (float) (ratio * (i + 0.5) - 0.5); // PyTorch: scale * (dst + 0.5) - 0.5 in double, to float
                    src = src < 0 ? 0f : src;
                }
                first[i] = (int) src;
                second[i] = first[i] < in - 1 ? first[i] + 1 : first[i];
                secondWeight[i] = Math.min(Math.max(src - first[i], 0f), 1f);
                firstWeight[i] = 1f - secondWeight[i];
            }
            return new Taps(first, firstWeight, second, secondWeight);
        }

        /** The {@code [out, in]} interpolation matrix of linear taps, or {@code null} for a copied axis. */
        float[][] matrix(int in) {
            if (second == null) {
                return null;
            }
            float[][] weights = new float[first.length][in];
            for (int i = 0; i < first.length; i++) {
                weights[i][first[i]] += firstWeight[i];
                weights[i][second[i]] += secondWeight[i];
            }
            return weights;
        }
    }

    /**
     * Whether the Java kernel takes this call: float32, dense in a memory order with the batch outermost, one image
     * and one output plane each within {@link #MAX_JAVA_SCRATCH}.
     */
    private static boolean fitsJava(INDArray x, int outH, int outW) {
        int[] order = MemoryOrder.permutedOrder(x);
        long image = x.length() / Math.max(1, x.size(0));
        return SmallTensors.fitAsLaid(x) && (order == null || order[0] == 0)
                && SmallTensors.fitWork(Math.max(image, Math.max((long) outH, x.size(2)) * outW), MAX_JAVA_SCRATCH);
    }

    /**
     * Nearest or bilinear in Java, each output computed from its taps as PyTorch's kernel does
     * ({@code out = λh0·(λw0·a + λw1·b) + λh1·(λw0·c + λw1·d)}, in that order), with the fused multiply-add its
     * compiler makes of {@code output += t * w} on CPUs that have one (x86 since AVX2): {@code fma(b, λw1, a·λw0)}
     * ({@code Math.fma}: one instruction on such CPUs, in the interpreter too; on x86 CPUs without FMA, older than
     * 2013, HotSpot computes it through {@code BigDecimal} and this kernel is far slower; the same formula in doubles,
     * one rounding more, measured about 3× slower than {@code Math.fma} here). That is also why a 1×1 map upsampled is its value everywhere, exactly, in PyTorch and here. Each input row is
     * interpolated along the width once and the output rows are blends of two of those: the same arithmetic, each
     * width value being the same whichever output row reads it. The input is read as it lies in memory (c order or
     * channels last) and indexed by its strides, one image at a time; the result is c order, written a plane at a
     * time. Against ND4J's path below (several ops and two matrix products), in a forward's workspace on the bench
     * machine, one thread: 32 channels 1×1 → 33×33 (DeepLab's image-pooling branch) 137 µs against 294; 64×16×16 →
     * 64×64 0.36 ms against 2.5; 21×32×32 → 256×256 (DeepLab's output) 2.6 ms against 8.9; two threads alike.
     */
    private static INDArray javaKernel(INDArray x, Taps rows, Taps cols) {
        int n = Math.toIntExact(x.size(0));
        int channels = Math.toIntExact(x.size(1));
        int inH = Math.toIntExact(x.size(2));
        int outH = rows.first().length;
        int outW = cols.first().length;
        long[] strides = x.stride();
        int image = Math.toIntExact(x.length() / n);
        int strideH = Math.toIntExact(strides[2]);
        int[] first = offsets(cols.first(), strides[3]);
        int[] second = cols.second() == null ? null : offsets(cols.second(), strides[3]);
        INDArray result = CallMemory.floatArray(n, channels, outH, outW);
        float[] widened = JavaArrays.scratch(JavaArrays.Slot.SECOND_INPUT, inH * outW);
        float[] out = JavaArrays.scratch(JavaArrays.Slot.OUTPUT, outH * outW);
        for (int b = 0; b < n; b++) {
            float[] in = JavaArrays.read(x, b * strides[0], image, JavaArrays.Slot.INPUT);
            for (int c = 0; c < channels; c++) {
                int plane = Math.toIntExact(c * strides[1]);
                for (int h = 0; h < inH; h++) {
                    widen(in, plane + h * strideH, first, second, cols, widened, h * outW);
                }
                for (int i = 0, o = 0; i < outH; i++, o += outW) {
                    int top = rows.first()[i] * outW;
                    if (rows.second() == null) {
                        System.arraycopy(widened, top, out, o, outW);
                    } else {
                        int bottom = rows.second()[i] * outW;
                        float topWeight = rows.firstWeight()[i];
                        float bottomWeight = rows.secondWeight()[i];
                        for (int j = 0; j < outW; j++) {
                            out[o + j] = Math.fma(widened[bottom + j], bottomWeight,
                                    widened[top + j] * topWeight);
                        }
                    }
                }
                JavaArrays.write(out, outH * outW, result, ((long) b * channels + c) * outH * outW);
            }
        }
        return result;
    }

    /** The input row starting at {@code row}, interpolated along the width into {@code to} from {@code at}. */
    private static void widen(float[] in, int row, int[] first, int[] second, Taps cols, float[] to, int at) {
        if (second == null) {
            for (int j = 0; j < first.length; j++) {
                to[at + j] = in[row + first[j]];
            }
            return;
        }
        float[] firstWeight = cols.firstWeight();
        float[] secondWeight = cols.secondWeight();
        for (int j = 0; j < first.length; j++) {
            to[at + j] = Math.fma(in[row + second[j]], secondWeight[j], in[row + first[j]] * firstWeight[j]);
        }
    }

    /** Each index times {@code stride}: offsets into a row. */
    private static int[] offsets(int[] index, long stride) {
        int[] offsets = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            offsets[i] = Math.toIntExact(index[i] * stride);
        }
        return offsets;
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
