package dev.shapeproof.nn.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which memory layout an array really has. ND4J's {@code ordering()} is a flag, not a fact: an array made with
 * channels-last strides (oneDNN's preferred output) still says {@code 'c'}, and code that reads its buffer in c order
 * would read a permutation.
 */
public final class Layouts {
    private Layouts() {}

    /** Whether {@code x}'s elements lie in c order without gaps, so that one bulk copy of its buffer reads them. */
    public static boolean isDenseC(INDArray x) {
        long[] shape = x.shape();
        long[] stride = x.stride();
        long expected = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            if (shape[k] != 1 && stride[k] != expected) {
                return false;
            }
            expected *= shape[k];
        }
        return true;
    }
}
