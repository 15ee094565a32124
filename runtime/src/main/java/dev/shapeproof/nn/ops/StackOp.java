package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code torch.stack(tensors, dim)}: each input viewed with a new axis of size 1 at {@code dim}, then concatenated. */
public final class StackOp {
    private StackOp() {}

    public static INDArray stack(int dim, INDArray... tensors) {
        Objects.requireNonNull(tensors, "stack: tensors");
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        long[] shape = tensors[0].shape();
        int axis = Checks.dim(dim, shape.length + 1, "stack dim");
        INDArray[] expanded = new INDArray[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape(), shape)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                        + Arrays.toString(shape) + " at entry 0 and " + Arrays.toString(tensors[i].shape())
                        + " at entry " + i);
            }
            long[] withAxis = new long[shape.length + 1];
            for (int k = 0, j = 0; k < withAxis.length; k++) {
                withAxis[k] = k == axis ? 1 : shape[j++];
            }
            expanded[i] = tensors[i].reshape('c', withAxis); // a view or a copy; the cat copies either way
        }
        return CatOp.cat(axis, expanded);
    }
}
