package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code x.expand(sizes)}: axes of size 1 repeated to the given sizes, {@code -1} keeping an axis, new leading axes
 * allowed, as PyTorch's. A new c-order array, never a view: an expanded parameter (ViT's class token) can then never
 * be written through it.
 */
public final class ExpandOp {
    private ExpandOp() {}

    public static INDArray expand(INDArray x, long... sizes) {
        Objects.requireNonNull(x, "expand: x");
        long[] shape = x.shape();
        int leading = sizes.length - shape.length;
        if (leading < 0) {
            throw new IllegalArgumentException("expand: " + Arrays.toString(sizes) + " has fewer sizes than "
                    + Arrays.toString(shape));
        }
        long[] out = new long[sizes.length];
        long[] aligned = new long[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            long current = k < leading ? 1 : shape[k - leading];
            aligned[k] = current;
            long size = sizes[k] == -1 && k >= leading ? current : sizes[k];
            if (size < 1 || current != 1 && current != size) {
                throw new IllegalArgumentException("expand: the expanded size " + sizes[k] + " must match the "
                        + "existing size " + current + " at non-singleton dimension " + k + " of "
                        + Arrays.toString(shape));
            }
            out[k] = size;
        }
        INDArray source = leading == 0 ? x : x.reshape('c', aligned);
        INDArray result = Nd4j.createUninitialized(x.dataType(), out);
        result.assign(Arrays.equals(aligned, out) ? source : source.broadcast(out));
        return result;
    }
}
