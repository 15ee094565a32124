package dev.shapeproof.shape;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The shape of a tensor whose first dimension is the free batch dimension, printed {@code -1} as torchsummary does.
 *
 * <p>Immutable. Every other dimension is a positive size known at compile time. The batch axis holds the model's
 * batch of N samples, or, after a {@code cat} along it, several such batches: {@link #batches()} counts them (2 for
 * {@code cat([a, b])} of two batches, shape {@code [2N, ...]}), so that adding it to a one-batch tensor is the
 * mismatch it is in PyTorch for every N but 1. The count is not a dimension: it prints as {@code -1} and
 * {@link #dims()} does not show it.
 */
public final class TensorShape {
    /** The value that stands for the free batch dimension. */
    public static final int BATCH = -1;

    private final int[] dims;
    private final int batches;

    private TensorShape(int[] dims, int batches) {
        this.dims = dims;
        this.batches = batches;
    }

    /** A shape from all its dimensions; the first must be {@link #BATCH}. */
    public static TensorShape of(int... dims) {
        if (dims.length == 0 || dims[0] != BATCH) {
            throw new IllegalArgumentException("the first dimension must be the batch (-1): " + Arrays.toString(dims));
        }
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("dimension " + i + " must be positive: " + Arrays.toString(dims));
            }
        }
        return new TensorShape(dims.clone(), 1);
    }

    /**
     * The shape of a tensor without the batch axis: a learned parameter such as ViT's class token {@code [1, 1, D]},
     * which the forward reads as it is and broadcasts against batched tensors or expands to the batch. Every size
     * is known; {@link #batches()} is 0.
     */
    public static TensorShape unbatched(int... dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("dimension " + i + " must be positive: " + Arrays.toString(dims));
            }
        }
        return new TensorShape(dims.clone(), 0);
    }

    /** Whether axis 0 is the free batch axis; false for a parameter's shape ({@link #unbatched}). */
    public boolean isBatched() {
        return batches > 0;
    }

    /** The batched shape of one sample of shape {@code sample}, e.g. {@code {1, 28, 28}} gives {@code [-1, 1, 28, 28]}. */
    public static TensorShape batchOf(int... sample) {
        int[] dims = new int[sample.length + 1];
        dims[0] = BATCH;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return of(dims);
    }

    /**
     * How many batches of samples the batch axis holds: 1, or the number of batches a {@code cat} along the batch
     * axis joined; 0 for a shape without the batch axis ({@link #unbatched}).
     */
    public int batches() {
        return batches;
    }

    /** This shape with its batch axis holding {@code batches} batches. */
    public TensorShape withBatches(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("batches must be positive: " + batches);
        }
        return new TensorShape(dims, batches);
    }

    /**
     * A shape with this one's batch axis and the sample dimensions {@code sample}: what an op that maps each sample
     * to a new shape returns ({@code [-1, C, H, W]} → {@code [-1, out, H', W']}).
     */
    public TensorShape withSample(int... sample) {
        return batchOf(sample).withBatches(batches);
    }

    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code axis}; negative axes count from the end, as in PyTorch. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** All dimensions, batch first; a copy. */
    public int[] dims() {
        return dims.clone();
    }

    /** The dimensions of one sample (without the batch); a copy. */
    public int[] sampleDims() {
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    /**
     * The number of elements in one sample: the product of every dimension but the batch; for a shape without the
     * batch axis, all its elements.
     */
    public long sampleSize() {
        return product(isBatched() ? 1 : 0, dims.length);
    }

    /** The product of the dimensions {@code from} (inclusive) to {@code to} (exclusive); 1 when empty. */
    public long product(int from, int to) {
        long product = 1;
        for (int i = from; i < to; i++) {
            product = Math.multiplyExact(product, dims[i]);
        }
        return product;
    }

    /** Whether {@code axis} (negative counts from the end) names a dimension of this shape. */
    public boolean hasAxis(int axis) {
        return axis >= -dims.length && axis < dims.length;
    }

    /** {@code axis} as a non-negative index; PyTorch's wrap of negative dimensions. */
    public int normalizeAxis(int axis) {
        if (!hasAxis(axis)) {
            throw new IndexOutOfBoundsException(
                    "dimension " + axis + " is out of range for rank " + dims.length + " (expected -" + dims.length
                            + ".." + (dims.length - 1) + ")");
        }
        return axis < 0 ? axis + dims.length : axis;
    }

    /** This shape with dimension {@code axis} replaced by {@code size}. */
    public TensorShape withDim(int axis, int size) {
        int[] copy = dims.clone();
        copy[normalizeAxis(axis)] = size;
        return isBatched() ? of(copy).withBatches(batches) : unbatched(copy);
    }

    /** The sample dimensions joined by {@code ×}, e.g. {@code 20×4×4} (every dimension when unbatched). */
    public String sampleToString() {
        StringJoiner joiner = new StringJoiner("×");
        for (int i = isBatched() ? 1 : 0; i < dims.length; i++) {
            joiner.add(Integer.toString(dims[i]));
        }
        return joiner.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorShape that && Arrays.equals(dims, that.dims) && batches == that.batches;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + batches;
    }

    /** {@code [-1, 10, 24, 24]}, torchsummary's spelling. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
