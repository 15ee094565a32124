package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parts of a tensor along one axis, as new c-order arrays: {@code narrow} (the pieces of {@code chunk} and
 * {@code split}), {@code slice} with a step ({@code x[:, 1:7:2]}) and {@code select} ({@code x[:, 0]}, the axis
 * dropped). PyTorch returns views; the processor still treats these results as sharing the input's storage (see
 * {@link PermuteOp}).
 */
public final class SliceOp {
    private SliceOp() {}

    public static INDArray narrow(INDArray x, int dim, long start, long length) {
        return slice(x, dim, start, start + length, 1);
    }

    /** Elements {@code start, start + step, …} below {@code stop} along {@code dim}; bounds already resolved. */
    public static INDArray slice(INDArray x, int dim, long start, long stop, long step) {
        Objects.requireNonNull(x, "slice: x");
        int axis = Checks.dim(dim, x.rank(), "slice dim");
        long size = x.size(axis);
        if (start < 0 || stop > size || start >= stop || step < 1) {
            throw new IllegalArgumentException("slice: " + start + ":" + stop + ":" + step + " of axis " + axis
                    + " of " + Arrays.toString(x.shape()));
        }
        INDArrayIndex[] index = new INDArrayIndex[x.rank()];
        for (int k = 0; k < index.length; k++) {
            index[k] = k == axis ? NDArrayIndex.interval(start, step, stop) : NDArrayIndex.all();
        }
        return x.get(index).dup('c');
    }

    /** Element {@code index} along {@code dim}, the axis dropped. */
    public static INDArray select(INDArray x, int dim, long index) {
        Objects.requireNonNull(x, "select: x");
        int axis = Checks.dim(dim, x.rank(), "select dim");
        long[] shape = x.shape();
        long at = index < 0 ? index + shape[axis] : index;
        if (at < 0 || at >= shape[axis]) {
            throw new IllegalArgumentException("select: index " + index + " is out of range for axis " + axis + " of "
                    + Arrays.toString(shape));
        }
        INDArray part = slice(x, axis, at, at + 1, 1);
        long[] dropped = new long[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k != axis) {
                dropped[j++] = shape[k];
            }
        }
        return part.reshape('c', dropped);
    }
}
