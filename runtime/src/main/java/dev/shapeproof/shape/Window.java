package dev.shapeproof.shape;

/**
 * The geometry of a sliding window (convolution or pooling) along one axis, and PyTorch's output-size rule for it.
 *
 * @param kernel taps of the window, {@code k}
 * @param stride step between windows, {@code s}
 * @param padBefore padding at the top/left
 * @param padAfter padding at the bottom/right (differs from {@code padBefore} only for {@code padding='same'})
 * @param dilation spacing between taps, {@code d}
 * @param ceilMode whether the output size is rounded up (pooling only)
 */
public record Window(int kernel, int stride, int padBefore, int padAfter, int dilation, boolean ceilMode) {

    /** A window with the same padding on both sides and floor rounding. */
    public static Window of(int kernel, int stride, int padding, int dilation) {
        return new Window(kernel, stride, padding, padding, dilation, false);
    }

    /**
     * A window of {@code kernel} taps with PyTorch's defaults (stride 1, no padding, dilation 1, floor rounding), to
     * refine with the methods below: {@code Window.kernel(3).padding(2).dilation(2)}.
     */
    public static Window kernel(int kernel) {
        return new Window(kernel, 1, 0, 0, 1, false);
    }

    /** This window moving by {@code stride}. */
    public Window stride(int stride) {
        return new Window(kernel, stride, padBefore, padAfter, dilation, ceilMode);
    }

    /** This window with {@code padding} on both sides. */
    public Window padding(int padding) {
        return new Window(kernel, stride, padding, padding, dilation, ceilMode);
    }

    /** This window with different padding before (top/left) and after (bottom/right). */
    public Window padding(int before, int after) {
        return new Window(kernel, stride, before, after, dilation, ceilMode);
    }

    /** This window with {@code dilation}. */
    public Window dilation(int dilation) {
        return new Window(kernel, stride, padBefore, padAfter, dilation, ceilMode);
    }

    /** This window rounding its output size up. */
    public Window ceilMode(boolean ceilMode) {
        return new Window(kernel, stride, padBefore, padAfter, dilation, ceilMode);
    }

    /**
     * The pixels the dilated kernel spans: {@code d·(k−1)+1} ({@code d−1} gaps between each pair of taps). Exact: a
     * dilation of 1,073,741,825 on a 5-tap kernel spans 4,294,967,301 pixels, which no int holds.
     */
    public long effectiveKernel() {
        return (long) dilation * (kernel - 1) + 1;
    }

    /** Input plus both paddings: the extent the window slides over. */
    public long paddedSize(int input) {
        return (long) input + padBefore + padAfter;
    }

    /**
     * Whether PyTorch accepts this window on an input of {@code input}: whether it gives at least one output. For
     * convolutions and floor-mode pooling that is "the dilated kernel fits the padded input"; in ceil mode a kernel
     * may overhang the padded input by up to {@code stride − 1}, as ATen's {@code pooling_output_shape} and
     * {@code pool2d_shape_check} allow ({@code AvgPool2d(5, stride=2, ceil_mode=True)} on 4 gives 1).
     */
    public boolean fits(int input) {
        return outputLength(input) >= 1;
    }

    /**
     * The largest effective kernel this window's input, padding and stride admit: {@code input + pad} plus, in ceil
     * mode, {@code stride − 1}.
     */
    public long largestEffectiveKernel(int input) {
        return paddedSize(input) + (ceilMode ? stride - 1L : 0);
    }

    /**
     * PyTorch's output size {@code ⌊(i + 2p − d·(k−1) − 1) / s⌋ + 1} in exact arithmetic, which may be below 1 (the
     * window does not fit) or above {@code Integer.MAX_VALUE}; with {@code ceilMode} the division rounds up and a last
     * window that would start inside the right padding is dropped (MaxPool2d(2, s=2, p=1, ceil) on 11 gives 6, not 7),
     * as ATen's {@code pooling_output_shape_pad_lr}.
     */
    public long outputLength(int input) {
        long span = paddedSize(input) - effectiveKernel();
        long size = Math.floorDiv(span + (ceilMode ? stride - 1L : 0), (long) stride) + 1;
        if (ceilMode && size > 1 && (size - 1) * stride >= (long) input + padBefore) {
            size--;
        }
        return size;
    }

    /**
     * {@link #outputLength(int)} as an int. Call only when {@link #fits(int)}; throws {@link ArithmeticException}
     * for an output no int holds.
     */
    public int outputSize(int input) {
        if (!fits(input)) {
            throw new IllegalArgumentException("the window " + this + " does not fit an input of " + input);
        }
        return Math.toIntExact(outputLength(input));
    }

    /**
     * {@code padding='same'} for stride 1: a total of {@code d·(k−1)}, split with the odd pixel at the bottom/right,
     * exactly as PyTorch's {@code _conv_forward} does. Throws {@link ArithmeticException} when that padding is
     * beyond an int.
     */
    public static Window same(int kernel, int dilation) {
        int total = Math.toIntExact((long) dilation * (kernel - 1));
        int before = total / 2;
        return new Window(kernel, 1, before, total - before, dilation, false);
    }
}
