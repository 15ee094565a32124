package dev.shapeproof.shape;

import java.util.Arrays;

/**
 * One tensor a layer owns, named as the last part of its PyTorch {@code state_dict} key ({@code weight},
 * {@code running_mean}).
 *
 * @param name the key suffix, e.g. {@code weight} in {@code conv1.weight}
 * @param dims the tensor's shape in PyTorch layout ({@code OIHW} for convolutions, {@code [out, in]} for linear);
 *     empty for a scalar
 * @param kind a trainable parameter or a buffer
 */
public record ParameterShape(String name, long[] dims, Kind kind) {

    /** PyTorch's two kinds of state: {@code parameters()} and {@code buffers()}. */
    public enum Kind {
        /** Learned; counted as trainable. */
        PARAMETER,
        /** Running statistics and counters: part of the state, not trainable. */
        BUFFER
    }

    public ParameterShape {
        dims = dims.clone();
    }

    public static ParameterShape parameter(String name, long... dims) {
        return new ParameterShape(name, dims, Kind.PARAMETER);
    }

    public static ParameterShape buffer(String name, long... dims) {
        return new ParameterShape(name, dims, Kind.BUFFER);
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** The number of elements; 1 for a scalar. */
    public long count() {
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterShape that
                && name.equals(that.name) && Arrays.equals(dims, that.dims) && kind == that.kind;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(dims)) + kind.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dims);
    }
}
