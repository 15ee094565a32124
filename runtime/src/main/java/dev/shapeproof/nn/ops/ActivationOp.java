package dev.shapeproof.nn.ops;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The pointwise activations: {@code relu}, {@code leaky_relu}, {@code sigmoid}, {@code tanh}, {@code relu6},
 * {@code hardsigmoid}, {@code hardswish}, {@code silu}, {@code mish} and {@code elu} on small tensors in Java, else
 * through ND4J's {@code Transforms} (never {@code Nd4j.nn()}'s, which overwrite their input), composed from ops that
 * compute PyTorch's formulas (ND4J's own hard sigmoid is {@code 0.2·x + 0.5}, not PyTorch's {@code (x + 3)/6}; its
 * ELU has no alpha); {@code gelu} always on ND4J. The new activations share the limits measured for their neighbours:
 * the piecewise-linear ones relu's, the transcendental ones sigmoid's. Each runs on its input in memory order
 * ({@link MemoryOrder}): a channels-last input gives a channels-last result, at c-order speed.
 */
public final class ActivationOp {
    /** {@code sigmoid}, {@code tanh}: elements (scalar {@code Math.exp}/{@code Math.tanh}; crossover ≈ 2 K). */
    private static final long MAX_JAVA_TRANSCENDENTAL_ELEMENTS = 1 << 11;
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

    private ActivationOp() {}

    public static INDArray relu(INDArray x, boolean inPlace) {
        return MemoryOrder.unary(x, v -> reluKernel(v, inPlace));
    }

    private static INDArray reluKernel(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(x)) {
            return reluInJava(x, 0, inPlace);
        }
        return Transforms.relu(x, !inPlace);
    }

    public static INDArray leakyRelu(INDArray x, double slope, boolean inPlace) {
        return MemoryOrder.unary(x, v -> leakyReluKernel(v, slope, inPlace));
    }

    private static INDArray leakyReluKernel(INDArray x, double slope, boolean inPlace) {
        if (SmallTensors.fit(x)) {
            return reluInJava(x, (float) slope, inPlace);
        }
        return Transforms.leakyRelu(x, slope, !inPlace);
    }

    public static INDArray sigmoid(INDArray x, boolean inPlace) {
        return MemoryOrder.unary(x, v -> sigmoidKernel(v, inPlace));
    }

    private static INDArray sigmoidKernel(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(MAX_JAVA_TRANSCENDENTAL_ELEMENTS, x)) {
            return transcendentalInJava(x, false, inPlace);
        }
        return Transforms.sigmoid(x, !inPlace);
    }

    public static INDArray tanh(INDArray x, boolean inPlace) {
        return MemoryOrder.unary(x, v -> tanhKernel(v, inPlace));
    }

    private static INDArray tanhKernel(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(MAX_JAVA_TRANSCENDENTAL_ELEMENTS, x)) {
            return transcendentalInJava(x, true, inPlace);
        }
        return Transforms.tanh(x, !inPlace);
    }

    /** {@code min(max(x, 0), 6)}. */
    public static INDArray relu6(INDArray x, boolean inPlace) {
        return MemoryOrder.unary(x, v -> relu6Kernel(v, inPlace));
    }

    private static INDArray relu6Kernel(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(x)) {
            return pointwiseInJava(x, Kind.RELU6, 0, inPlace);
        }
        INDArray y = Transforms.max(x, 0, !inPlace);
        return Transforms.min(y, 6, false);
    }

    /** PyTorch's {@code min(max(x + 3, 0), 6) / 6}, in float as ATen computes it. */
    public static INDArray hardsigmoid(INDArray x, boolean inPlace) {
        return MemoryOrder.unary(x, v -> hardsigmoidKernel(v, inPlace));
    }

    private static INDArray hardsigmoidKernel(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(x)) {
            return pointwiseInJava(x, Kind.HARDSIGMOID, 0, inPlace);
        }
        INDArray y = inPlace ? x.addi(3) : x.add(3);
        Transforms.max(y, 0, false);
        Transforms.min(y, 6, false);
        return y.divi(6);
    }

    /** PyTorch's {@code x · min(max(x + 3, 0), 6) / 6}, in float as ATen computes it. */
    public static INDArray hardswish(INDArray x, boolean inPlace) {
        return MemoryOrder.unary(x, v -> hardswishKernel(v, inPlace));
    }

    private static INDArray hardswishKernel(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(x)) {
            return pointwiseInJava(x, Kind.HARDSWISH, 0, inPlace);
        }
        INDArray gate = x.add(3); // always a fresh array
        Transforms.max(gate, 0, false);
        Transforms.min(gate, 6, false);
        return (inPlace ? x.muli(gate) : gate.muli(x)).divi(6);
    }

    /** {@code x · sigmoid(x)} ({@code x / (1 + e^−x)}). */
    public static INDArray silu(INDArray x, boolean inPlace) {
        return MemoryOrder.unary(x, v -> siluKernel(v, inPlace));
    }

    private static INDArray siluKernel(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(MAX_JAVA_TRANSCENDENTAL_ELEMENTS, x)) {
            return pointwiseInJava(x, Kind.SILU, 0, inPlace);
        }
        INDArray gate = Transforms.sigmoid(x, true);
        return inPlace ? x.muli(gate) : gate.muli(x);
    }

    /** {@code x · tanh(log(1 + eˣ))}. */
    public static INDArray mish(INDArray x, boolean inPlace) {
        return MemoryOrder.unary(x, v -> mishKernel(v, inPlace));
    }

    private static INDArray mishKernel(INDArray x, boolean inPlace) {
        if (SmallTensors.fit(MAX_JAVA_TRANSCENDENTAL_ELEMENTS, x)) {
            return pointwiseInJava(x, Kind.MISH, 0, inPlace);
        }
        // softplus as log1p(exp(x)): ND4J's softPlus overflows to inf where exp does, which tanh maps to 1, as here.
        INDArray gate = Transforms.exp(x, true);
        Transforms.log1p(gate, false);
        Transforms.tanh(gate, false);
        return inPlace ? x.muli(gate) : gate.muli(x);
    }

    /** {@code x} where positive, else {@code alpha·(eˣ − 1)}. */
    public static INDArray elu(INDArray x, double alpha, boolean inPlace) {
        return MemoryOrder.unary(x, v -> eluKernel(v, alpha, inPlace));
    }

    private static INDArray eluKernel(INDArray x, double alpha, boolean inPlace) {
        if (SmallTensors.fit(MAX_JAVA_TRANSCENDENTAL_ELEMENTS, x)) {
            return pointwiseInJava(x, Kind.ELU, alpha, inPlace);
        }
        // alpha·(e^min(x, 0) − 1) + max(x, 0): each part is one of the two branches, the other is 0.
        INDArray negative = Transforms.min(x, 0, true);
        Transforms.exp(negative, false);
        negative.subi(1).muli(alpha);
        INDArray positive = Transforms.max(x, 0, !inPlace);
        return positive.addi(negative);
    }

    /** ND4J's own {@code gelu} ops compute neither of PyTorch's forms, so both are composed here. */
    public static INDArray gelu(INDArray x, boolean tanhApproximation, boolean inPlace) {
        return MemoryOrder.unary(x, v -> geluKernel(v, tanhApproximation, inPlace));
    }

    private static INDArray geluKernel(INDArray x, boolean tanhApproximation, boolean inPlace) {
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

    /** The activations whose Java kernel is {@link #pointwise}. */
    private enum Kind { RELU6, HARDSIGMOID, HARDSWISH, SILU, MISH, ELU }

    /** One of {@link Kind} on the Java kernel; in place writes back into {@code x} and returns it. */
    private static INDArray pointwiseInJava(INDArray x, Kind kind, double alpha, boolean inPlace) {
        int length = Math.toIntExact(x.length());
        float[] values = JavaArrays.read(x, Slot.INPUT);
        pointwise(values, length, kind, alpha, values);
        return inPlace ? JavaArrays.written(values, x) : JavaArrays.create(values, x.shape());
    }

    /**
     * PyTorch's formulas: {@code relu6}, {@code hardsigmoid} and {@code hardswish} in float, as ATen's CPU kernels
     * evaluate them (so the results agree bit for bit); {@code silu}, {@code mish} and {@code elu} in double, rounded
     * once. {@code y} may be {@code x}.
     */
    private static void pointwise(float[] x, int length, Kind kind, double alpha, float[] y) {
        for (int i = 0; i < length; i++) {
            float v = x[i];
            y[i] = switch (kind) {
                case RELU6 -> Math.min(Math.max(v, 0f), 6f);
                case HARDSIGMOID -> Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
                case HARDSWISH -> v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
                case SILU -> (float) (v / (1.0 + Math.exp(-v)));
                case MISH -> (float) (v * Math.tanh(Math.log1p(Math.exp(v))));
                case ELU -> v > 0 ? v : (float) (alpha * Math.expm1(v));
            };
        }
    }

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
