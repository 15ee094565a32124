package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.dim;

import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code torch.flatten}: a reshape to the merged shape, reused in a generated forward like any view. */
public final class FlattenOp {
    private FlattenOp() {}

    public static INDArray flatten(INDArray x, int startDim, int endDim) {
        int rank = x.rank();
        if (rank == 0) {
            return x.reshape('c', new long[] {1}); // reshape('c', 1L) would bind to reshape(long, long)
        }
        int start = dim(startDim, rank, "flatten start_dim");
        int end = dim(endDim, rank, "flatten end_dim");
        if (start > end) {
            throw new IllegalArgumentException("flatten: start_dim " + startDim + " comes after end_dim " + endDim
                    + " for rank " + rank);
        }
        long[] shape = x.shape();
        long[] flat = new long[rank - (end - start)];
        System.arraycopy(shape, 0, flat, 0, start);
        long merged = 1;
        for (int d = start; d <= end; d++) {
            merged *= shape[d];
        }
        flat[start] = merged;
        System.arraycopy(shape, end + 1, flat, start + 1, rank - end - 1);
        return CallMemory.reshaped(x, flat);
    }
}
