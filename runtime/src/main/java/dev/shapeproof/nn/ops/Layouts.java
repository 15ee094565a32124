package dev.shapeproof.nn.ops;

import org.nd4j.linalg.api.buffer.DataType;
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

    /**
     * A dense copy of {@code x} in the current memory, with {@code x}'s memory order when it is dense in a permuted one
     * (a convolution's channels-last result stays channels last, so the next convolution needs no reorder), else in
     * c order.
     */
    public static INDArray copyKeepingLayout(INDArray x) {
        return MemoryOrder.copyKeepingOrder(x);
    }

    /**
     * A new dense c-order copy of {@code x} in the current memory. A large float array with other strides (a
     * convolution's channels-last result) is copied by oneDNN's reorder when the direct path is on: ND4J copies a
     * permuted array element by element, about 4× slower, single-threaded.
     */
    public static INDArray denseCCopy(INDArray x) {
        if (Dnnl.on() && x.dataType() == DataType.FLOAT && x.rank() >= 1 && x.rank() <= 6
                && x.length() >= REORDER_MIN_LENGTH && !isDenseC(x) && positiveStrides(x)) {
            return DnnlReorder.toDenseC(x);
        }
        return x.dup('c');
    }

    /** Below this many elements a copy takes microseconds either way: ND4J's needs no plan. */
    private static final long REORDER_MIN_LENGTH = 1 << 14;

    /** Whether every axis of more than one element has a positive stride (oneDNN describes no broadcast views). */
    static boolean positiveStrides(INDArray x) {
        for (int k = 0; k < x.rank(); k++) {
            if (x.size(k) > 1 && x.stride(k) <= 0) {
                return false;
            }
        }
        return true;
    }
}
