package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireVector;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code layer_norm} over the last {@code axes} axes: each row of {@code M} elements (their product) normalised by its
 * mean and biased variance, {@code (x − mean)/√(var + eps)}, then scaled by {@code weight} and shifted by {@code bias}
 * (of the normalized shape, either may be {@code null}). Small inputs on the Java kernel (moments in double, two
 * passes), larger ones as ND4J row reductions in double. {@link GroupNormOp} normalises its groups' rows with the same code.
 */
public final class LayerNormOp {
    /** Elements up to which the Java kernel runs: batch norm's (a norm reads each element three times). */
    private static final long MAX_JAVA_ELEMENTS = 1 << 19;

    private LayerNormOp() {}

    public static INDArray layerNorm(INDArray x, int axes, INDArray weight, INDArray bias, double eps) {
        Objects.requireNonNull(x, "layer_norm: x");
        if (axes < 1 || axes > x.rank()) {
            throw new IllegalArgumentException("layer_norm: " + axes + " normalized axes for an input of rank "
                    + x.rank());
        }
        long[] shape = x.shape();
        long[] normalized = Arrays.copyOfRange(shape, shape.length - axes, shape.length);
        long m = 1;
        for (long size : normalized) {
            m *= size;
        }
        for (INDArray parameter : new INDArray[] {weight, bias}) {
            if (parameter != null && !Arrays.equals(parameter.shape(), normalized)) {
                throw new IllegalArgumentException("layer_norm: weight and bias must have the normalized shape "
                        + Arrays.toString(normalized) + ", found " + Arrays.toString(parameter.shape()));
            }
        }
        // new long[] {m}: reshape('c', m) would bind to reshape(long, long), the char read as 99 rows.
        INDArray flatWeight = weight == null ? null : weight.reshape('c', new long[] {m});
        INDArray flatBias = bias == null ? null : bias.reshape('c', new long[] {m});
        INDArray rows = normalizeRows(x, x.length() / m, m, eps);
        if (flatWeight != null) {
            rows.muliRowVector(flatWeight);
        }
        if (flatBias != null) {
            rows.addiRowVector(flatBias);
        }
        return rows.reshape('c', shape);
    }

    /**
     * {@code x} as {@code [rows, m]}, each row normalised: a new c-order array. Package-private for
     * {@link GroupNormOp}.
     */
    static INDArray normalizeRows(INDArray x, long rows, long m, double eps) {
        if (SmallTensors.fit(MAX_JAVA_ELEMENTS, x)) {
            int length = Math.toIntExact(x.length());
            float[] values = JavaArrays.read(x, Slot.INPUT);
            float[] y = JavaArrays.scratch(Slot.OUTPUT, length);
            normalize(values, Math.toIntExact(rows), Math.toIntExact(m), eps, y);
            // A fresh array, not a reused one: the caller scales it in place with ND4J.
            return Nd4j.create(Arrays.copyOf(y, length), new long[] {rows, m}, 'c');
        }
        // In double: ND4J's float32 row means drift by 1e-5 relative over a few hundred thousand elements, where
        // PyTorch's cascaded sums do not.
        INDArray flat = x.reshape('c', rows, m).castTo(DataType.DOUBLE);
        INDArray mean = flat.mean(true, 1);
        flat.subiColumnVector(mean);
        INDArray variance = flat.mul(flat).mean(true, 1).addi(eps);
        Transforms.sqrt(variance, false);
        return flat.diviColumnVector(variance).castTo(x.dataType());
    }

    // ------------------------------------------------------------------------------------------------ Java path

    /** Each of {@code rows} rows of {@code m}: {@code (x − mean)/√(var + eps)}, moments in double. */
    private static void normalize(float[] x, int rows, int m, double eps, float[] y) {
        for (int r = 0; r < rows; r++) {
            int offset = r * m;
            double sum = 0;
            for (int i = offset; i < offset + m; i++) {
                sum += x[i];
            }
            double mean = sum / m;
            double squares = 0;
            for (int i = offset; i < offset + m; i++) {
                double d = x[i] - mean;
                squares += d * d;
            }
            double scale = 1 / Math.sqrt(squares / m + eps);
            for (int i = offset; i < offset + m; i++) {
                y[i] = (float) ((x[i] - mean) * scale);
            }
        }
    }

    /** Checks a per-channel weight or bias of {@code channels}. */
    static void requireChannels(INDArray parameter, long channels, String what) {
        if (parameter != null) {
            requireVector(parameter, channels, what);
        }
    }
}
