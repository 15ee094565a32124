package dev.shapeproof.nn.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One of oneDNN's blocked layouts of an {@code [N, C, H, W]} activation ({@code nChw16c}: channels in blocks of 16,
 * the innermost axis): what a convolution wrote when oneDNN chose it, and how to read it back. Plain Java, so that
 * {@link ConvActivation} names it without loading oneDNN's classes on a build that has none.
 */
interface BlockedLayout {
    /** The activation's logical shape {@code [N, C, H, W]}. */
    long[] shape();

    /** The buffer's length in floats (more than the activation's when the last channel block is padded). */
    long floats();

    /** What tells this layout apart in plan keys. */
    String key();

    /** {@code blocks}, a buffer in this layout, reordered into a new dense c-order array in the current memory. */
    INDArray toDenseC(INDArray blocks);
}
