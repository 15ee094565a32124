package dev.shapeproof.shape;

/**
 * The receptive field along one axis, in input pixels: how many input pixels one output pixel sees ({@code size},
 * r) and how far apart neighbouring output pixels are in the input ({@code jump}, j).
 *
 * <p>Both start at 1 at the input. A window op grows the field by {@code (k_eff − 1)·j} and multiplies the jump by its
 * stride; padding and ceil mode do not enter. Padding can make the field exceed the input; that is correct. Values are
 * doubles because interpolation divides the jump.
 */
public record ReceptiveField(double size, double jump) {
    /** The input itself: every pixel sees one pixel. */
    public static final ReceptiveField INPUT = new ReceptiveField(1, 1);

    /** After a convolution or pooling window. */
    public ReceptiveField through(Window window) {
        return through(window.effectiveKernel(), window.stride());
    }

    /** After a window of {@code effectiveKernel} pixels moving by {@code stride}. */
    public ReceptiveField through(long effectiveKernel, double stride) {
        return new ReceptiveField(size + (effectiveKernel - 1) * jump, jump * stride);
    }

    /** Where two paths meet ({@code cat}, {@code +}): the larger field and the larger jump. */
    public ReceptiveField merge(ReceptiveField other) {
        return new ReceptiveField(Math.max(size, other.size), Math.max(jump, other.jump));
    }

    /** The field as the summary prints it: an integer when it is one. */
    @Override
    public String toString() {
        return format(size) + " (jump " + format(jump) + ")";
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
