package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code x.view(shape)} and {@code x.reshape(shape)}: the shape resolved and checked, then a view where possible. */
public final class ReshapeOp {
    private ReshapeOp() {}

    public static INDArray reshape(INDArray x, long... shape) {
        Objects.requireNonNull(x, "reshape: x");
        Objects.requireNonNull(shape, "reshape: shape");
        long[] resolved = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int k = 0; k < resolved.length; k++) {
            if (resolved[k] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be inferred: "
                            + Arrays.toString(shape));
                }
                inferred = k;
            } else if (resolved[k] < 0) {
                throw new IllegalArgumentException("reshape: invalid shape dimension " + resolved[k] + " in "
                        + Arrays.toString(shape));
            } else {
                known *= resolved[k];
            }
        }
        long length = x.length();
        if (inferred >= 0) {
            if (known == 0) {
                throw new IllegalArgumentException("reshape: cannot reshape a tensor of " + length + " elements into "
                        + Arrays.toString(shape) + ": the unspecified dimension -1 can be any value");
            }
            if (length % known != 0) {
                throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape)
                        + " is invalid for input of size " + length);
            }
            resolved[inferred] = length / known;
        } else if (known != length) {
            throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape)
                    + " is invalid for input of size " + length);
        }
        return CallMemory.reshaped(x, resolved);
    }
}
