package dev.shapeproof.nn.ops;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution's result on its way to the next convolution, which is its only reader: a plain array, or the buffer
 * a oneDNN convolution wrote in the blocked layout it chose ({@code nChw16c}), which only another oneDNN convolution
 * reads as it is. Passed from convolution to convolution ({@code Conv2dLayer.forwardKept}), a chain stays in oneDNN's
 * layout and is reordered once, where it leaves the chain, instead of being asked for channels last at every
 * convolution (the bench's dilated stack, 8×32×128×128, two threads, one process: 40.6–43.2 ms a forward against
 * 44.1–46.6; docs/backends.md).
 *
 * <p>The one type of this package that generated code names. A blocked buffer lives in the forward's memory like
 * every intermediate: it is valid until the forward returns, and {@link #toArray} is how anything else reads it.
 */
public final class ConvActivation {
    private final INDArray array;        // the activation, or its blocked buffer (a flat float array)
    private final BlockedLayout layout;  // null when the array is the activation
    private final ChainTrial trial;      // the timed run of a chain's start this activation is part of, or null

    private ConvActivation(INDArray array, BlockedLayout layout, ChainTrial trial) {
        this.array = array;
        this.layout = layout;
        this.trial = trial;
    }

    /** A plain {@code [N, C, H, W]} array (any strides), as the first convolution of a chain reads it. */
    public static ConvActivation of(INDArray x) {
        return new ConvActivation(Objects.requireNonNull(x, "x"), null, null);
    }

    static ConvActivation blocked(INDArray blocks, BlockedLayout layout) {
        return new ConvActivation(blocks, layout, null);
    }

    /** This activation as part of {@code trial}'s chain (itself when {@code trial} is {@code null}). */
    ConvActivation within(ChainTrial trial) {
        return trial == null || trial == this.trial ? this : new ConvActivation(array, layout, trial);
    }

    ChainTrial trial() {
        return trial;
    }

    /** Whether the activation is held in a oneDNN blocked layout, which only {@link #toArray} reads as an array. */
    public boolean isBlocked() {
        return layout != null;
    }

    /** {@code [N, C, H, W]}. */
    public long[] shape() {
        return layout == null ? array.shape() : layout.shape().clone();
    }

    /**
     * The activation as an array: the plain one as it is, a blocked one reordered into a new dense c-order array in
     * the current memory (the forward's, or outside any workspace for a result). Where the activation leaves its
     * chain: a chain's timed start is credited here ({@link ChainTrial}).
     */
    public INDArray toArray() {
        return toArray(UnaryOperator.identity());
    }

    /**
     * {@code then} applied to {@link #toArray()}, within the chain's time: where the array a chain leaves is copied
     * on at once (a forward's result into dense c order), the copy is the chain's cost, which a start that leaves a
     * channels-last array pays and one that leaves a blocked buffer (reordered straight into c order) does not.
     */
    public INDArray toArray(UnaryOperator<INDArray> then) {
        INDArray y = then.apply(layout == null ? array : layout.toDenseC(array));
        if (trial != null) {
            trial.end();
        }
        return y;
    }

    INDArray array() {
        return array;
    }

    BlockedLayout layout() {
        return layout;
    }
}
