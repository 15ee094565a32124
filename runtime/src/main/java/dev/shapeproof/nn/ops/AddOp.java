package dev.shapeproof.nn.ops;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code a + b} with PyTorch's broadcasting: equal shapes of small tensors on the Java kernel, the rest on ND4J's
 * broadcasting {@code add} op (named in full below: this class shares its simple name). A channels-last {@code a}
 * is computed in memory order and keeps its layout ({@link MemoryOrder}).
 */
public final class AddOp {
    private AddOp() {}

    public static INDArray add(INDArray a, INDArray b, boolean inPlace) {
        Objects.requireNonNull(a, "add: a");
        Objects.requireNonNull(b, "add: b");
        long[] shape = broadcastShape("add", a.shape(), b.shape());
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException("add: a is " + a.dataType() + ", b is " + b.dataType());
        }
        if (inPlace && !Arrays.equals(shape, a.shape())) {
            throw new IllegalArgumentException("add: in place, a " + Arrays.toString(a.shape())
                    + " does not have the broadcast shape " + Arrays.toString(shape));
        }
        return MemoryOrder.binary(a, b, (x, y) -> addKernel(x, y, inPlace));
    }

    /** {@code a + b} on checked operands, in c order or any strides. */
    private static INDArray addKernel(INDArray a, INDArray b, boolean inPlace) {
        if (Arrays.equals(a.shape(), b.shape()) && SmallTensors.fit(a, b)) {
            return inJava(a, b, inPlace);
        }
        // The "add" custom op broadcasts numpy-style, ranks may differ, inputs may be views; z may be a itself.
        INDArray z = inPlace ? a : Nd4j.create(a.dataType(), broadcastShape("add", a.shape(), b.shape()));
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(new INDArray[] {a, b},
                new INDArray[] {z}));
        return z;
    }

    /** PyTorch's broadcast shape of two shapes; throws on a mismatch. */
    static long[] broadcastShape(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] shape = new long[rank];
        for (int k = 0; k < rank; k++) {
            int i = a.length - rank + k;
            int j = b.length - rank + k;
            long sa = i >= 0 ? a[i] : 1;
            long sb = j >= 0 ? b[j] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": the size of a (" + sa + ") must match the size of b (" + sb
                        + ") at non-singleton dimension " + k + ": " + Arrays.toString(a) + " vs "
                        + Arrays.toString(b));
            }
            shape[k] = sa == 1 ? sb : sa;
        }
        return shape;
    }

    // ------------------------------------------------------------------------------------------------ Java path

    /** {@code a + b} on equal shapes; in place writes into {@code a}. */
    private static INDArray inJava(INDArray a, INDArray b, boolean inPlace) {
        int length = Math.toIntExact(a.length());
        float[] values = JavaArrays.read(a, Slot.INPUT);
        add(values, JavaArrays.read(b, Slot.SECOND_INPUT), length, values);
        return inPlace ? JavaArrays.written(values, a) : JavaArrays.create(values, a.shape());
    }

    /** {@code y = a + b}, elementwise on equal shapes. {@code y} may be {@code a} or {@code b}. */
    private static void add(float[] a, float[] b, int length, float[] y) {
        for (int i = 0; i < length; i++) {
            y[i] = a[i] + b[i];
        }
    }
}
