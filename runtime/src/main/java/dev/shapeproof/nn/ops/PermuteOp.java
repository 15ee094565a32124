package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code x.permute(dims)} and {@code x.transpose(a, b)}: a new c-order array with the axes reordered. PyTorch returns a
 * view; a copy here lets every later op read its input densely (the Java kernels need dense c-order arrays), and the
 * processor still treats the result as sharing the input's storage, so the in-place rules are PyTorch's.
 */
public final class PermuteOp {
    private PermuteOp() {}

    public static INDArray permute(INDArray x, int... dims) {
        Objects.requireNonNull(x, "permute: x");
        int rank = x.rank();
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " for an input of rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        boolean identity = true;
        for (int i = 0; i < rank; i++) {
            int axis = Checks.dim(dims[i], rank, "permute dim");
            if (seen[axis]) {
                throw new IllegalArgumentException("permute: repeated dim " + axis + " in " + Arrays.toString(dims));
            }
            seen[axis] = true;
            identity &= axis == i;
        }
        return identity ? x.dup('c') : x.permute(dims).dup('c');
    }
}
