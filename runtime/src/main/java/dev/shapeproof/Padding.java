package dev.shapeproof;

/**
 * PyTorch's string paddings, {@code padding='same'} and {@code padding='valid'}, for {@link Conv2d#autoPad()}.
 *
 * <p>They are a separate attribute, not a magic number inside {@code padding}: any int chosen to mean "same" would
 * turn a mistyped explicit value into a valid one, and the compiler could no longer reject it.
 */
public enum Padding {
    /** No automatic padding: {@link Conv2d#padding()} applies (0 unless given). */
    EXPLICIT,
    /**
     * Pads so the output has the input's size: a total of {@code d·(k−1)} per axis, the odd one extra at the
     * bottom/right, as PyTorch does. Requires stride 1.
     */
    SAME,
    /** No padding at all; the same as {@code padding = 0}. */
    VALID
}
