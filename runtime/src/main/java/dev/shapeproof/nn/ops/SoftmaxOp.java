package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.dim;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code softmax} and {@code log_softmax}: small tensors on the Java kernel; otherwise ND4J's softmax (helpers off on
 * rank 4) and a log-softmax composed as PyTorch computes it.
 */
public final class SoftmaxOp {
    /** Elements up to which the Java kernel runs (crossover ≈ 10 K; the exponentials are scalar here). */
    private static final long MAX_JAVA_ELEMENTS = 1 << 13;

    private SoftmaxOp() {}

    public static INDArray softmax(INDArray x, int dim) {
        int d = dim(dim, x.rank(), "softmax dim");
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x)) {
            return inJava(x, d, false);
        }
        Supplier<INDArray> op = () -> Nd4j.nn().softmax(x, d);
        // oneDNN's helper is silently wrong on rank 4 (along dim 1 whenever H·W > 1).
        return x.rank() == 4 ? Helpers.withoutHelpers(op) : op.get();
    }

    public static INDArray logSoftmax(INDArray x, int dim) {
        int d = dim(dim, x.rank(), "log_softmax dim");
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x)) {
            return inJava(x, d, true);
        }
        INDArray shifted = x.sub(x.max(true, d));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, d), false);
        return shifted.subi(logSum);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    /** {@code softmax} or {@code log_softmax} along {@code dim} (already resolved, non-negative). */
    private static INDArray inJava(INDArray x, int dim, boolean log) {
        long[] shape = x.shape();
        long outer = 1;
        long inner = 1;
        for (int k = 0; k < shape.length; k++) {
            if (k < dim) {
                outer *= shape[k];
            } else if (k > dim) {
                inner *= shape[k];
            }
        }
        int length = Math.toIntExact(x.length());
        float[] y = JavaArrays.scratch(Slot.OUTPUT, length);
        softmax(JavaArrays.read(x, Slot.INPUT), (int) outer, (int) shape[dim], (int) inner, log, y);
        return JavaArrays.create(y, shape);
    }

    /**
     * The Java kernel: {@code softmax} (or with {@code log}, {@code log_softmax}) along the middle axis of {@code x}
     * viewed as {@code [outer, size, inner]}: {@code x − max − log Σ exp(x − max)}, finite where the softmax
     * underflows. The sums are in double, as PyTorch's CPU kernel accumulates float in double.
     */
    private static void softmax(float[] x, int outer, int size, int inner, boolean log, float[] y) {
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
}
