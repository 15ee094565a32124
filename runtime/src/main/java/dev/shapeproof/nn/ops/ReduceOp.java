package dev.shapeproof.nn.ops;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code mean}, {@code sum} and {@code amax} over the given dims, with {@code keepdim}: small inputs on the Java kernel
 * (sums in double, as PyTorch's float32 reductions accumulate more precisely than float), larger ones on ND4J's
 * reductions, of a double copy for the sums; {@code amax} propagates NaN as PyTorch's does.
 */
public final class ReduceOp {
    /** Elements up to which the Java kernel runs: the pointwise limit (a reduction reads each element once). */
    private static final long MAX_JAVA_ELEMENTS = SmallTensors.MAX_ELEMENTS;

    private enum Kind { MEAN, SUM, AMAX }

    private ReduceOp() {}

    public static INDArray mean(INDArray x, boolean keepdim, int... dims) {
        return reduce("mean", Kind.MEAN, x, keepdim, dims);
    }

    public static INDArray sum(INDArray x, boolean keepdim, int... dims) {
        return reduce("sum", Kind.SUM, x, keepdim, dims);
    }

    public static INDArray amax(INDArray x, boolean keepdim, int... dims) {
        return reduce("amax", Kind.AMAX, x, keepdim, dims);
    }

    private static INDArray reduce(String name, Kind kind, INDArray x, boolean keepdim, int... dims) {
        Objects.requireNonNull(x, name + ": x");
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        int[] axes = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int axis = Checks.dim(dims[i], rank, name + " dim");
            if (reduced[axis]) {
                throw new IllegalArgumentException(name + ": dim " + axis + " appears multiple times in the list of "
                        + "dims");
            }
            reduced[axis] = true;
            axes[i] = axis;
        }
        long[] shape = x.shape();
        long[] kept = new long[rank];
        int keptRank = 0;
        long[] out = new long[rank];
        for (int k = 0; k < rank; k++) {
            out[k] = reduced[k] ? 1 : shape[k];
            if (!reduced[k]) {
                kept[keptRank++] = shape[k];
            }
        }
        long[] result = keepdim ? out : Arrays.copyOf(kept, keptRank);
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x)) {
            return inJava(x, kind, reduced, out, result);
        }
        Arrays.sort(axes);
        // Sums in double, as on the Java path: ND4J's float32 sums drift over long reductions.
        INDArray y = switch (kind) {
            case MEAN -> x.castTo(DataType.DOUBLE).mean(false, axes).castTo(x.dataType());
            case SUM -> x.castTo(DataType.DOUBLE).sum(false, axes).castTo(x.dataType());
            case AMAX -> x.max(false, axes);
        };
        if (kind == Kind.AMAX) {
            // ND4J's max skips NaN; PyTorch's amax returns NaN where a reduced group has one (rare: element by element).
            INDArray nan = x.isNaN().castTo(x.dataType()).sum(false, axes);
            if (nan.sumNumber().doubleValue() > 0) {
                for (long i = 0; i < y.length(); i++) {
                    if (nan.getDouble(i) > 0) {
                        y.putScalar(i, Float.NaN);
                    }
                }
            }
        }
        return y.reshape('c', result);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    private static INDArray inJava(INDArray x, Kind kind, boolean[] reduced, long[] out, long[] result) {
        long[] shape = x.shape();
        int length = Math.toIntExact(x.length());
        int outLength = 1;
        for (long size : out) {
            outLength = Math.multiplyExact(outLength, (int) size);
        }
        float[] values = JavaArrays.read(x, Slot.INPUT);
        double[] sums = new double[outLength];
        if (kind == Kind.AMAX) {
            Arrays.fill(sums, Double.NEGATIVE_INFINITY);
        }
        // The output offset of each input element: the input's c-order index with the reduced axes dropped.
        int rank = shape.length;
        int[] index = new int[rank];
        int[] outStride = new int[rank];
        int stride = 1;
        for (int k = rank - 1; k >= 0; k--) {
            outStride[k] = reduced[k] ? 0 : stride;
            stride *= (int) out[k];
        }
        int offset = 0;
        for (int i = 0; i < length; i++) {
            double v = values[i];
            if (kind == Kind.AMAX) {
                double current = sums[offset];
                sums[offset] = Double.isNaN(v) || Double.isNaN(current) ? Double.NaN : Math.max(current, v);
            } else {
                sums[offset] += v;
            }
            for (int k = rank - 1; k >= 0; k--) {
                index[k]++;
                offset += outStride[k];
                if (index[k] < shape[k]) {
                    break;
                }
                offset -= outStride[k] * index[k];
                index[k] = 0;
            }
        }
        long count = length / Math.max(1, outLength);
        float[] y = JavaArrays.scratch(Slot.OUTPUT, outLength);
        for (int i = 0; i < outLength; i++) {
            y[i] = (float) (kind == Kind.MEAN ? sums[i] / count : sums[i]);
        }
        return JavaArrays.create(y, result);
    }
}
