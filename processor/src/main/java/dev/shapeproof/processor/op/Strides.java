package dev.shapeproof.processor.op;

import dev.shapeproof.shape.TensorShape;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a tensor's elements lie in the storage it shares, one stride per axis, counted in elements of a contiguous
 * base: what PyTorch's {@code view} needs to know, since it cannot copy. Ops that return views (permute, transpose,
 * expand, view, a reshape or flatten that fits) derive their output's strides from their input's; every other op
 * writes a fresh, contiguous tensor.
 *
 * <p>The batch size is free, so the batch axis is measured at a representative size of 2 per batch. No view
 * ShapeProof accepts merges or splits the batch axis (a view keeps it first, on its own), and with the batch an axis
 * of its own, whether the sample axes fit is the same for every batch size of 2 or more.
 */
public final class Strides {
    private static final int REPRESENTATIVE_BATCH = 2;

    private final long[] strides;

    private Strides(long[] strides) {
        this.strides = strides;
    }

    /** The strides of a fresh tensor of {@code shape}: row-major, the last axis fastest. */
    public static Strides contiguous(TensorShape shape) {
        long[] sizes = sizes(shape);
        long[] strides = new long[sizes.length];
        long stride = 1;
        for (int i = sizes.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride = Shapes.times(stride, Math.max(sizes[i], 1));
        }
        return new Strides(strides);
    }

    /**
     * The strides of a fresh image tensor of {@code shape} in PyTorch's channels-last memory format: {@code [N, C, H,
     * W]} stored as N, H, W, C, the channels fastest.
     */
    static Strides channelsLast(TensorShape shape) {
        long[] sizes = sizes(shape);
        long c = sizes[1];
        long w = sizes[3];
        long h = sizes[2];
        return new Strides(new long[] {Shapes.times(Shapes.times(c, h), w), 1, Shapes.times(c, w), c});
    }

    /**
     * The strides of an element-wise op's output (an activation, a dropout, {@code a + b}): PyTorch's TensorIterator
     * lays it out as its first input when that has the output's shape and fills its storage without gaps or overlap,
     * else in the input's memory format.
     */
    static Strides elementwise(TensorShape input, Strides strides, TensorShape output) {
        if (Arrays.equals(input.dims(), output.dims())) {
            return strides.isDense(input) ? strides : denseInOrderOf(input, strides);
        }
        return inMemoryFormat(input, strides, output);
    }

    /**
     * What TensorIterator allocates for an element-wise op whose input has gaps (a narrowed, then transposed map): a
     * dense tensor whose axes lie in the order of the input's strides. Its insertion sort, from the innermost axis: a
     * zero stride leaves two axes as they are, a smaller stride goes inside, and of equal strides the larger axis goes
     * outside.
     */
    static Strides denseInOrderOf(TensorShape shape, Strides input) {
        long[] sizes = sizes(shape);
        int rank = sizes.length;
        int[] order = new int[rank]; // order[0] is the innermost axis
        for (int i = 0; i < rank; i++) {
            order[i] = rank - 1 - i;
        }
        for (int i = 1; i < rank; i++) {
            int moving = i;
            for (int before = i - 1; before >= 0; before--) {
                int comparison = outside(order[before], order[moving], sizes, input.strides);
                if (comparison > 0) {
                    int axis = order[before];
                    order[before] = order[moving];
                    order[moving] = axis;
                    moving = before;
                } else if (comparison < 0) {
                    break;
                }
            }
        }
        long[] strides = new long[rank];
        long stride = 1;
        for (int axis : order) {
            strides[axis] = stride;
            stride = Shapes.times(stride, Math.max(sizes[axis], 1));
        }
        return new Strides(strides);
    }

    /** 1 when axis {@code a} belongs outside axis {@code b}, -1 when inside, 0 when the strides cannot tell. */
    private static int outside(int a, int b, long[] sizes, long[] strides) {
        if (strides[a] == 0 || strides[b] == 0) {
            return 0;
        }
        if (strides[a] != strides[b]) {
            return strides[a] < strides[b] ? -1 : 1;
        }
        return sizes[a] > sizes[b] ? 1 : 0;
    }

    /**
     * The strides of an image op's output (conv, pooling, BatchNorm, interpolate): channels last when its input is,
     * as PyTorch's kernels follow the input's suggested memory format, else contiguous.
     */
    static Strides inMemoryFormat(TensorShape input, Strides strides, TensorShape output) {
        return output.rank() == 4 && strides.isChannelsLast(input) ? channelsLast(output) : contiguous(output);
    }

    /** The sizes the strides are measured against: the shape's, the batch axis at its representative size. */
    static long[] sizes(TensorShape shape) {
        int[] dims = shape.dims();
        long[] sizes = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            sizes[i] = dims[i] == TensorShape.BATCH ? (long) REPRESENTATIVE_BATCH * shape.batches() : dims[i];
        }
        return sizes;
    }

    /** Whether a tensor of {@code shape} with these strides is laid out as a fresh one, so any view of it fits. */
    public boolean isContiguous(TensorShape shape) {
        long[] sizes = sizes(shape);
        long[] fresh = contiguous(shape).strides;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] != 1 && strides[i] != fresh[i]) {
                return false; // an axis of size 1 is never stepped along, so its stride does not matter
            }
        }
        return true;
    }

    /**
     * Whether the elements fill their storage without gaps or overlap: some order of the axes (of size above 1) is
     * row-major, as a permute of a fresh tensor is.
     */
    boolean isDense(TensorShape shape) {
        long[] sizes = sizes(shape);
        Integer[] axes = java.util.stream.IntStream.range(0, sizes.length).filter(i -> sizes[i] != 1).boxed()
                .sorted(java.util.Comparator.comparingLong(i -> strides[i])).toArray(Integer[]::new);
        long expected = 1;
        for (int axis : axes) {
            if (strides[axis] != expected) {
                return false;
            }
            expected *= sizes[axis];
        }
        return true;
    }

    /**
     * Whether a rank-4 tensor is channels last and not also contiguous (axes of size 1 aside): what PyTorch's image
     * kernels read as a request for a channels-last output.
     */
    boolean isChannelsLast(TensorShape shape) {
        if (shape.rank() != 4 || isContiguous(shape)) {
            return false;
        }
        long[] sizes = sizes(shape);
        long[] last = channelsLast(shape).strides;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] != 1 && strides[i] != last[i]) {
                return false;
            }
        }
        return true;
    }

    /** The strides after reordering the axes: output axis {@code i} is input axis {@code order[i]}. */
    Strides permuted(int[] order) {
        long[] out = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = strides[order[i]];
        }
        return new Strides(out);
    }

    /**
     * The strides after indexing: output axis {@code i} is input axis {@code axes[i]} read every {@code steps[i]}-th
     * element (an axis indexed by an int is gone; a slice keeps its stride, times its step).
     */
    Strides indexed(int[] axes, int[] steps) {
        long[] out = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = Shapes.times(strides[axes[i]], steps[i]);
        }
        return new Strides(out);
    }

    /**
     * The strides after {@code expand} from {@code input} to {@code output}: a new leading axis or an axis of size 1
     * repeated reads the same elements again, stride 0.
     */
    Strides expanded(TensorShape input, TensorShape output) {
        long[] from = sizes(input);
        long[] to = sizes(output);
        int leading = to.length - from.length;
        long[] out = new long[to.length];
        for (int i = 0; i < to.length; i++) {
            int axis = i - leading;
            out[i] = axis < 0 || (from[axis] == 1 && to[i] != 1) ? 0 : strides[axis];
        }
        return new Strides(out);
    }

    /**
     * The strides of {@code input} viewed as {@code output}, or empty when no view can have that shape: ATen's
     * {@code computeStride}. The input's axes fall into chunks, each a run of axes contiguous with one another (an axis
     * of size 1 joins either neighbour); the new sizes must split and merge within chunks only, never across two.
     */
    Optional<Strides> viewedAs(TensorShape input, TensorShape output) {
        long[] oldSizes = sizes(input);
        long[] newSizes = sizes(output);
        long[] out = new long[newSizes.length];
        if (oldSizes.length == 0) {
            Arrays.fill(out, 1);
            return Optional.of(new Strides(out));
        }
        int viewAxis = newSizes.length - 1;
        long chunkBaseStride = strides[strides.length - 1];
        long tensorElements = 1;
        long viewElements = 1;
        for (int axis = oldSizes.length - 1; axis >= 0; axis--) {
            tensorElements *= oldSizes[axis];
            boolean chunkEnds = axis == 0 || (oldSizes[axis - 1] != 1
                    && strides[axis - 1] != tensorElements * chunkBaseStride);
            if (!chunkEnds) {
                continue;
            }
            while (viewAxis >= 0 && (viewElements < tensorElements || newSizes[viewAxis] == 1)) {
                out[viewAxis] = viewElements * chunkBaseStride;
                viewElements *= newSizes[viewAxis];
                viewAxis--;
            }
            if (viewElements != tensorElements) {
                return Optional.empty();
            }
            if (axis > 0) {
                chunkBaseStride = strides[axis - 1];
                tensorElements = 1;
                viewElements = 1;
            }
        }
        return viewAxis == -1 ? Optional.of(new Strides(out)) : Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Strides that && Arrays.equals(strides, that.strides);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(strides);
    }

    /** As PyTorch's {@code x.stride()} prints them: {@code [12, 4, 1, 2]}. */
    @Override
    public String toString() {
        return Arrays.toString(strides);
    }
}
