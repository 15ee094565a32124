package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static dev.shapeproof.nn.ops.Checks.requireVector;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code linear} on the last dimension: small products on the Java kernel, the rest as one ND4J gemm. */
public final class LinearOp {
    /** Multiply-adds up to which the Java kernel runs (crossover 130–250 K); no array it copies is longer. */
    private static final long MAX_JAVA_MACS = 1 << 17;

    private LinearOp() {}

    public static INDArray linear(INDArray x, INDArray weight, INDArray bias) {
        requireRank(weight, 2, "linear weight");
        if (x.rank() < 1) {
            throw new IllegalArgumentException("linear: input must have at least one dimension");
        }
        long in = weight.size(1);
        long out = weight.size(0);
        long[] shape = x.shape();
        if (shape[shape.length - 1] != in) {
            throw new IllegalArgumentException("linear: input " + Arrays.toString(shape) + " has last dimension "
                    + shape[shape.length - 1] + ", weight " + Arrays.toString(weight.shape()) + " expects " + in);
        }
        if (bias != null) {
            requireVector(bias, out, "linear bias");
        }
        long macs = x.length() * weight.size(0);
        if (SmallTensors.fitWork(macs, MAX_JAVA_MACS) && SmallTensors.fit(MAX_JAVA_MACS, x, weight, bias)) {
            return inJava(x, weight, bias);
        }
        INDArray rows = x.rank() == 2 ? x : x.reshape('c', x.length() / in, in);
        INDArray y = Nd4j.gemm(rows, weight, false, true); // transB: no copy of W
        if (bias != null) {
            y.addiRowVector(bias);
        }
        if (x.rank() == 2) {
            return y;
        }
        long[] outShape = shape.clone();
        outShape[outShape.length - 1] = out;
        return y.reshape('c', outShape);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    private static INDArray inJava(INDArray x, INDArray weight, INDArray bias) {
        long[] shape = x.shape().clone(); // shape() is the array's own field
        int in = Math.toIntExact(weight.size(1));
        int out = Math.toIntExact(weight.size(0));
        int rows = Math.toIntExact(x.length() / in);
        float[] y = JavaArrays.scratch(Slot.OUTPUT, Math.multiplyExact(rows, out));
        linear(JavaArrays.read(x, Slot.INPUT), rows, in, JavaArrays.read(weight, Slot.WEIGHT),
                bias == null ? null : JavaArrays.read(bias, Slot.BIAS), out, y);
        shape[shape.length - 1] = out;
        return JavaArrays.create(y, shape);
    }

    /**
     * The Java kernel: {@code y [rows, out] = x [rows, in] · weightᵀ + bias}, {@code weight [out, in]}, {@code bias}
     * may be null. The dot products cannot vectorise, so each keeps eight independent partial sums, which lets the
     * additions pipeline.
     */
    private static void linear(float[] x, int rows, int in, float[] weight, float[] bias, int out, float[] y) {
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
}
