package dev.shapeproof.processor.graph;

import java.util.Arrays;

/**
 * A learned parameter that is not a layer's, as {@code @Init("nn.Parameter(...)")} creates it: its shape and how
 * PyTorch's {@code __init__} fills it ({@code torch.zeros(1, 1, D)}, {@code torch.ones(C, 1, 1) * 1e-6},
 * {@code torch.empty(1, L, D).normal_(std=0.02)}).
 *
 * @param shape its sizes, every one positive
 * @param fill how its values start
 * @param a the constant, the normal's mean, or the uniform's lower bound
 * @param b the normal's standard deviation or the uniform's upper bound; 0 for a constant
 */
public record ParameterInit(int[] shape, Fill fill, double a, double b) {
    /** How a parameter's values start. */
    public enum Fill {
        /** Every value {@code a}. */
        CONSTANT,
        /** Normal with mean {@code a} and standard deviation {@code b}. */
        NORMAL,
        /** Uniform on {@code [a, b)}. */
        UNIFORM
    }

    public ParameterInit {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterInit that && Arrays.equals(shape, that.shape) && fill == that.fill
                && Double.compare(a, that.a) == 0 && Double.compare(b, that.b) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + fill.hashCode();
    }

    @Override
    public String toString() {
        return "Parameter" + Arrays.toString(shape);
    }
}
