package dev.shapeproof.nn.ops;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The pointwise activations: {@code relu}, {@code leaky_relu}, {@code sigmoid} and {@code tanh} on small tensors in
 * Java, else through ND4J's {@code Transforms} (never {@code Nd4j.nn()}'s, which overwrite their input); {@code gelu}
 * always on ND4J, composed from ops that compute PyTorch's formulas.
 */
public final class ActivationOp {
    /** {@code sigmoid}, {@code tanh}: elements (scalar {@code Math.exp}/{@code Math.tanh}; crossover ≈ 2 K). */
    private static final long MAX_JAVA_TRANSCENDENTAL_ELEMENTS = 1 << 11;
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

    private ActivationOp() {}

    public static INDArray relu(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(x)) {
            return reluInJava(x, 0, inPlace);
        }
        return Transforms.relu(x, !inPlace);
    }

    public static INDArray leakyRelu(INDArray x, double slope, boolean inPlace) {
        if (SmallTensors.fit(x)) {
            return reluInJava(x, (float) slope, inPlace);
        }
        return Transforms.leakyRelu(x, slope, !inPlace);
    }

    public static INDArray sigmoid(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(MAX_JAVA_TRANSCENDENTAL_ELEMENTS, x)) {
            return transcendentalInJava(x, false, inPlace);
        }
        return Transforms.sigmoid(x, !inPlace);
    }

    public static INDArray tanh(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(MAX_JAVA_TRANSCENDENTAL_ELEMENTS, x)) {
            return transcendentalInJava(x, true, inPlace);
        }
        return Transforms.tanh(x, !inPlace);
    }

    /** ND4J's own {@code gelu} ops compute neither of PyTorch's forms, so both are composed here. */
    public static INDArray gelu(INDArray x, boolean tanhApproximation, boolean inPlace) {
        INDArray gate; // becomes 1 + erf(...) or 1 + tanh(...); always a fresh array
        if (tanhApproximation) {
            gate = x.mul(x).muli(x).muli(0.044715).addi(x).muli(SQRT_TWO_OVER_PI);
            Transforms.tanh(gate, false);
        } else {
            gate = x.mul(SQRT_HALF);
            Nd4j.math().erf(gate); // overwrites its argument: here our own copy
        }
        gate.addi(1).muli(0.5);
        return inPlace ? x.muli(gate) : gate.muli(x);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    /** ReLU, or leaky ReLU with {@code slope}; in place writes back into {@code x} and returns it. */
    private static INDArray reluInJava(INDArray x, float slope, boolean inPlace) {
        int length = Math.toIntExact(x.length());
        float[] values = JavaArrays.read(x, Slot.INPUT);
        if (slope == 0) {
            relu(values, length, values);
        } else {
            leakyRelu(values, length, slope, values);
        }
        return inPlace ? JavaArrays.written(values, x) : JavaArrays.create(values, x.shape());
    }

    /** {@code sigmoid} or {@code tanh}; in place writes back into {@code x} and returns it. */
    private static INDArray transcendentalInJava(INDArray x, boolean tanh, boolean inPlace) {
        int length = Math.toIntExact(x.length());
        float[] values = JavaArrays.read(x, Slot.INPUT);
        if (tanh) {
            tanh(values, length, values);
        } else {
            sigmoid(values, length, values);
        }
        return inPlace ? JavaArrays.written(values, x) : JavaArrays.create(values, x.shape());
    }

    /** {@code y = max(x, 0)}; NaN stays NaN. {@code y} may be {@code x}. */
    private static void relu(float[] x, int length, float[] y) {
        for (int i = 0; i < length; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    /** {@code y = x} where positive, else {@code slope·x}. {@code y} may be {@code x}. */
    private static void leakyRelu(float[] x, int length, float slope, float[] y) {
        for (int i = 0; i < length; i++) {
            float v = x[i];
            y[i] = v > 0 ? v : v * slope;
        }
    }

    /** {@code y = 1/(1 + e^−x)}, in double, rounded once. {@code y} may be {@code x}. */
    private static void sigmoid(float[] x, int length, float[] y) {
        for (int i = 0; i < length; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    /** {@code y = tanh(x)}, in double, rounded once. {@code y} may be {@code x}. */
    private static void tanh(float[] x, int length, float[] y) {
        for (int i = 0; i < length; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }
}
