package dev.shapeproof.nn;


/**
 * The arithmetic of the small-tensor path ({@link SmallTensors}) not yet beside its op (conv2d's and the poolings' are in their rooms): PyTorch's kernels on c-order float arrays, in plain
 * Java, with no ND4J call. Every array is dense and row-major; sizes are passed explicitly.
 *
 * <p>Sums that cannot vectorise (the dot products of {@code linear}) keep eight independent partial sums
 * so that the additions pipeline; softmax sums in double, as PyTorch's CPU kernel accumulates float in double.
 */
final class SmallKernels {
    private SmallKernels() {}

    // ----------------------------------------------------------------------------------------------------- linear

    /** {@code y [rows, out] = x [rows, in] · weightᵀ + bias}, {@code weight [out, in]}, {@code bias} may be null. */
    static void linear(float[] x, int rows, int in, float[] weight, float[] bias, int out, float[] y) {
        for (int r = 0; r < rows; r++) {
            int xOffset = r * in;
            for (int o = 0; o < out; o++) {
                int wOffset = o * in;
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                int i = 0;
                for (; i + 8 <= in; i += 8) {
                    s0 += x[xOffset + i] * weight[wOffset + i];
                    s1 += x[xOffset + i + 1] * weight[wOffset + i + 1];
                    s2 += x[xOffset + i + 2] * weight[wOffset + i + 2];
                    s3 += x[xOffset + i + 3] * weight[wOffset + i + 3];
                    s4 += x[xOffset + i + 4] * weight[wOffset + i + 4];
                    s5 += x[xOffset + i + 5] * weight[wOffset + i + 5];
                    s6 += x[xOffset + i + 6] * weight[wOffset + i + 6];
                    s7 += x[xOffset + i + 7] * weight[wOffset + i + 7];
                }
                for (; i < in; i++) {
                    s0 += x[xOffset + i] * weight[wOffset + i];
                }
                float sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
                y[r * out + o] = bias == null ? sum : sum + bias[o];
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- softmax

    /**
     * {@code softmax} (or with {@code log}, {@code log_softmax}) along the middle axis of {@code x} viewed as
     * {@code [outer, size, inner]}: {@code x − max − log Σ exp(x − max)}, finite where the softmax underflows.
     */
    static void softmax(float[] x, int outer, int size, int inner, boolean log, float[] y) {
        for (int a = 0; a < outer; a++) {
            for (int b = 0; b < inner; b++) {
                int base = a * size * inner + b;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < size; k++) {
                    max = Math.max(max, x[base + k * inner]);
                }
                double sum = 0;
                for (int k = 0; k < size; k++) {
                    sum += Math.exp(x[base + k * inner] - max);
                }
                if (log) {
                    double logSum = Math.log(sum);
                    for (int k = 0; k < size; k++) {
                        y[base + k * inner] = (float) ((double) x[base + k * inner] - max - logSum);
                    }
                } else {
                    for (int k = 0; k < size; k++) {
                        y[base + k * inner] = (float) (Math.exp(x[base + k * inner] - max) / sum);
                    }
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------------- pointwise

    /** {@code y = a + b}, elementwise on equal shapes. {@code y} may be {@code a} or {@code b}. */
    static void add(float[] a, float[] b, int length, float[] y) {
        for (int i = 0; i < length; i++) {
            y[i] = a[i] + b[i];
        }
    }
}
