package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code F.pad}: the input copied into the middle of a new array, then the borders filled axis by axis (each axis's
 * border slabs span the other axes' borders, so corners come out as PyTorch's separable padding gives them). Data
 * movement only, so no Java kernel: one ND4J assign per slab. ND4J's own pad is not used: it has no replicate or
 * circular mode.
 */
public final class PadOp {
    private PadOp() {}

    public static INDArray pad(INDArray x, int[] pad, String mode, double value) {
        Objects.requireNonNull(x, "pad: x");
        int rank = x.rank();
        if (pad.length % 2 != 0 || pad.length / 2 > rank) {
            throw new IllegalArgumentException("pad: " + Arrays.toString(pad) + " for an input of rank " + rank);
        }
        long[] shape = x.shape();
        long[] out = shape.clone();
        long[] before = new long[rank];
        long[] after = new long[rank];
        for (int i = 0; i < pad.length / 2; i++) {
            int axis = rank - 1 - i;
            before[axis] = pad[2 * i];
            after[axis] = pad[2 * i + 1];
            out[axis] = shape[axis] + before[axis] + after[axis];
            if (out[axis] < 1) {
                throw new IllegalArgumentException("pad: axis " + axis + " of " + shape[axis] + " padded by "
                        + before[axis] + ", " + after[axis] + " leaves nothing");
            }
            if (!mode.equals("constant") && (before[axis] < 0 || after[axis] < 0
                    || before[axis] > shape[axis] || after[axis] > shape[axis]
                    || mode.equals("reflect") && (before[axis] >= shape[axis] || after[axis] >= shape[axis]))) {
                throw new IllegalArgumentException("pad: " + mode + " padding " + before[axis] + ", " + after[axis]
                        + " does not fit axis " + axis + " of " + shape[axis]);
            }
        }
        INDArray y = mode.equals("constant") ? Nd4j.valueArrayOf(out, value, x.dataType())
                : Nd4j.createUninitialized(x.dataType(), out);
        INDArrayIndex[] source = new INDArrayIndex[rank];
        INDArrayIndex[] target = new INDArrayIndex[rank];
        for (int axis = 0; axis < rank; axis++) {
            long cropBefore = Math.max(0, -before[axis]);
            long cropAfter = Math.max(0, -after[axis]);
            source[axis] = NDArrayIndex.interval(cropBefore, shape[axis] - cropAfter);
            long start = Math.max(0, before[axis]);
            target[axis] = NDArrayIndex.interval(start, start + shape[axis] - cropBefore - cropAfter);
        }
        y.get(target).assign(x.get(source));
        if (mode.equals("constant")) {
            return y;
        }
        for (int axis = 0; axis < rank; axis++) {
            long size = shape[axis];
            long first = before[axis];
            long last = first + size - 1;
            for (long k = 1; k <= before[axis]; k++) {
                copy(y, axis, first - k, switch (mode) {
                    case "reflect" -> first + k;
                    case "replicate" -> first;
                    default -> first + size - k; // circular
                });
            }
            for (long k = 1; k <= after[axis]; k++) {
                copy(y, axis, last + k, switch (mode) {
                    case "reflect" -> last - k;
                    case "replicate" -> last;
                    default -> first + k - 1; // circular
                });
            }
        }
        return y;
    }

    /** Copies the slab at {@code from} along {@code axis} to {@code to}, across every other axis. */
    private static void copy(INDArray y, int axis, long to, long from) {
        INDArrayIndex[] target = new INDArrayIndex[y.rank()];
        INDArrayIndex[] source = new INDArrayIndex[y.rank()];
        for (int k = 0; k < y.rank(); k++) {
            target[k] = k == axis ? NDArrayIndex.interval(to, to + 1) : NDArrayIndex.all();
            source[k] = k == axis ? NDArrayIndex.interval(from, from + 1) : NDArrayIndex.all();
        }
        y.get(target).assign(y.get(source));
    }
}
