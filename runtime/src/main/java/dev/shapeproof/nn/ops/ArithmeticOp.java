package dev.shapeproof.nn.ops;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The element-wise arithmetic besides {@code add} of two tensors ({@link AddOp}): {@code a − b}, {@code a·b},
 * {@code a / b} with PyTorch's broadcasting, and every operator with a number ({@code x + s}, {@code x − s},
 * {@code s − x}, {@code x·s}, {@code x / s}, {@code s / x}) and {@code −x}. Equal shapes and scalars of small tensors
 * on the Java kernel (the pointwise limit {@link SmallTensors#MAX_ELEMENTS}, measured for add), the rest on ND4J's
 * broadcasting pairwise ops and its scalar ops, in float32 as PyTorch computes float32 tensors with a Python number.
 * A channels-last {@code a} (or {@code x}) is computed in memory order and keeps its layout ({@link MemoryOrder}).
 */
public final class ArithmeticOp {
    /** What the Java kernel computes. */
    private enum Kind { ADD, SUB, RSUB, MUL, DIV, RDIV }

    private ArithmeticOp() {}

    public static INDArray sub(INDArray a, INDArray b, boolean inPlace) {
        return tensors("sub", Kind.SUB, a, b, inPlace);
    }

    public static INDArray mul(INDArray a, INDArray b, boolean inPlace) {
        return tensors("mul", Kind.MUL, a, b, inPlace);
    }

    public static INDArray div(INDArray a, INDArray b, boolean inPlace) {
        return tensors("div", Kind.DIV, a, b, inPlace);
    }

    public static INDArray add(INDArray x, double s, boolean inPlace) {
        return scalar(x, Kind.ADD, s, inPlace);
    }

    public static INDArray sub(INDArray x, double s, boolean inPlace) {
        return scalar(x, Kind.SUB, s, inPlace);
    }

    public static INDArray rsub(INDArray x, double s, boolean inPlace) {
        return scalar(x, Kind.RSUB, s, inPlace);
    }

    public static INDArray mul(INDArray x, double s, boolean inPlace) {
        return scalar(x, Kind.MUL, s, inPlace);
    }

    public static INDArray div(INDArray x, double s, boolean inPlace) {
        return scalar(x, Kind.DIV, s, inPlace);
    }

    public static INDArray rdiv(INDArray x, double s, boolean inPlace) {
        return scalar(x, Kind.RDIV, s, inPlace);
    }

    public static INDArray neg(INDArray x, boolean inPlace) {
        return scalar(x, Kind.RSUB, 0, inPlace);
    }

    private static INDArray tensors(String name, Kind kind, INDArray a, INDArray b, boolean inPlace) {
        Objects.requireNonNull(a, name + ": a");
        Objects.requireNonNull(b, name + ": b");
        long[] shape = AddOp.broadcastShape(name, a.shape(), b.shape());
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(name + ": a is " + a.dataType() + ", b is " + b.dataType());
        }
        if (inPlace && !Arrays.equals(shape, a.shape())) {
            throw new IllegalArgumentException(name + ": in place, a " + Arrays.toString(a.shape())
                    + " does not have the broadcast shape " + Arrays.toString(shape));
        }
        return MemoryOrder.binary(a, b, (x, y) -> tensorsKernel(kind, x, y, inPlace));
    }

    /** {@code a op b} on checked operands, in c order or any strides. */
    private static INDArray tensorsKernel(Kind kind, INDArray a, INDArray b, boolean inPlace) {
        if (Arrays.equals(a.shape(), b.shape()) && SmallTensors.fit(a, b)) {
            int length = Math.toIntExact(a.length());
            float[] values = JavaArrays.read(a, Slot.INPUT);
            float[] other = JavaArrays.read(b, Slot.SECOND_INPUT);
            for (int i = 0; i < length; i++) {
                values[i] = apply(kind, values[i], other[i]);
            }
            return inPlace ? JavaArrays.written(values, a) : JavaArrays.create(values, a.shape());
        }
        // The pairwise custom ops broadcast numpy-style, ranks may differ, inputs may be views; z may be a itself.
        INDArray z = inPlace ? a : Nd4j.create(a.dataType(), AddOp.broadcastShape(kind.name(), a.shape(), b.shape()));
        INDArray[] inputs = {a, b};
        INDArray[] outputs = {z};
        Nd4j.exec(switch (kind) {
            case SUB -> new SubOp(inputs, outputs);
            case MUL -> new MulOp(inputs, outputs);
            default -> new DivOp(inputs, outputs);
        });
        return z;
    }

    private static INDArray scalar(INDArray x, Kind kind, double s, boolean inPlace) {
        Objects.requireNonNull(x, "x");
        return MemoryOrder.unary(x, v -> scalarKernel(v, kind, s, inPlace));
    }

    /** {@code x op s} in c order or any strides. */
    private static INDArray scalarKernel(INDArray x, Kind kind, double s, boolean inPlace) {
        if (SmallTensors.fit(x)) {
            int length = Math.toIntExact(x.length());
            float[] values = JavaArrays.read(x, Slot.INPUT);
            float scalar = (float) s;
            for (int i = 0; i < length; i++) {
                values[i] = apply(kind, values[i], scalar);
            }
            return inPlace ? JavaArrays.written(values, x) : JavaArrays.create(values, x.shape());
        }
        return switch (kind) {
            case ADD -> inPlace ? x.addi(s) : x.add(s);
            case SUB -> inPlace ? x.subi(s) : x.sub(s);
            case RSUB -> inPlace ? x.rsubi(s) : x.rsub(s);
            case MUL -> inPlace ? x.muli(s) : x.mul(s);
            case DIV -> inPlace ? x.divi(s) : x.div(s);
            case RDIV -> inPlace ? x.rdivi(s) : x.rdiv(s);
        };
    }

    /** The Java kernel's arithmetic, in float as PyTorch's for float32 tensors: {@code a op b}. */
    private static float apply(Kind kind, float a, float b) {
        return switch (kind) {
            case ADD -> a + b;
            case SUB -> a - b;
            case RSUB -> b - a;
            case MUL -> a * b;
            case DIV -> a / b;
            case RDIV -> b / a;
        };
    }
}
