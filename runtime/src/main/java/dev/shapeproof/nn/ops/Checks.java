package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The argument checks that several ops share, with PyTorch's wording where PyTorch has one. */
final class Checks {
    private Checks() {}

    static void requireRank(INDArray array, int rank, String what) {
        Objects.requireNonNull(array, what);
        if (array.rank() != rank) {
            throw new IllegalArgumentException(what + " must have rank " + rank + ", found "
                    + Arrays.toString(array.shape()));
        }
    }

    static void requireVector(INDArray array, long length, String what) {
        Objects.requireNonNull(array, what);
        if (array.rank() != 1 || array.length() != length) {
            throw new IllegalArgumentException(what + " must be [" + length + "], found "
                    + Arrays.toString(array.shape()));
        }
    }

    /** A dimension index in {@code [-rank, rank)} made non-negative. */
    static int dim(int dim, int rank, String what) {
        if (dim < -rank || dim >= rank) {
            throw new IllegalArgumentException(what + " " + dim + " is out of range for rank " + rank);
        }
        return dim < 0 ? dim + rank : dim;
    }
}
