package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.shapeproof.nn.ops.JavaArrays.Slot;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code nn.MultiheadAttention}'s forward with {@code batch_first=True}: the query, key and value projected by the
 * thirds of {@code in_proj_weight} ({@link LinearOp}), split into heads, {@code softmax(q·kᵀ/√d)·v} per head (with
 * dropout on the weights in training), the heads joined and projected by {@code out_proj}. The attention itself runs
 * on the Java kernel up to a size, else one ND4J gemm pair per sample and head.
 */
public final class AttentionOp {
    /**
     * Multiply-adds of the attention (both products) up to which the Java kernel runs: linear's limit, the kernel being
     * dot products of the same kind.
     */
    private static final long MAX_JAVA_MACS = 1 << 17;

    private AttentionOp() {}

    public static INDArray multiheadAttention(INDArray query, INDArray key, INDArray value, int heads,
            INDArray inWeight, INDArray inBias, INDArray outWeight, INDArray outBias, double dropout,
            boolean training) {
        requireRank(query, 3, "multi_head_attention query");
        requireRank(key, 3, "multi_head_attention key");
        requireRank(value, 3, "multi_head_attention value");
        long e = query.size(2);
        if (heads < 1 || e % heads != 0 || inWeight.size(0) != 3 * e || inWeight.size(1) != e
                || key.size(2) != e || value.size(2) != e || key.size(1) != value.size(1)
                || key.size(0) != query.size(0) || value.size(0) != query.size(0)) {
            throw new IllegalArgumentException("multi_head_attention: query " + Arrays.toString(query.shape())
                    + ", key " + Arrays.toString(key.shape()) + ", value " + Arrays.toString(value.shape())
                    + ", in_proj_weight " + Arrays.toString(inWeight.shape()) + ", " + heads + " heads");
        }
        INDArray q = LinearOp.linear(query, third(inWeight, 0, e), inBias == null ? null : thirdOf(inBias, 0, e));
        INDArray k = LinearOp.linear(key, third(inWeight, 1, e), inBias == null ? null : thirdOf(inBias, 1, e));
        INDArray v = LinearOp.linear(value, third(inWeight, 2, e), inBias == null ? null : thirdOf(inBias, 2, e));
        long n = query.size(0);
        long l = query.size(1);
        long s = key.size(1);
        long d = e / heads;
        double scale = 1 / Math.sqrt(d);
        boolean drop = training && dropout > 0;
        INDArray attended;
        if (!drop && SmallTensors.fitWork(2 * n * heads * l * s * d, MAX_JAVA_MACS) && SmallTensors.fit(q, k, v)) {
            attended = inJava(q, k, v, heads, scale);
        } else {
            attended = inNd4j(q, k, v, heads, scale, drop ? dropout : 0);
        }
        return LinearOp.linear(attended, outWeight, outBias);
    }

    /** Rows {@code [part·e, (part+1)·e)} of the packed projection weight. */
    private static INDArray third(INDArray weight, int part, long e) {
        return weight.get(interval(part * e, (part + 1) * e), all());
    }

    private static INDArray thirdOf(INDArray bias, int part, long e) {
        return bias.get(interval(part * e, (part + 1) * e));
    }

    /** Per sample and head: {@code [L, d]·[S, d]ᵀ}, the row softmax (and dropout), then times {@code [S, d]}. */
    private static INDArray inNd4j(INDArray q, INDArray k, INDArray v, int heads, double scale, double dropout) {
        long n = q.size(0);
        long l = q.size(1);
        long s = k.size(1);
        long e = q.size(2);
        long d = e / heads;
        INDArray qh = split(q.mul(scale), heads);
        INDArray kh = split(k, heads);
        INDArray vh = split(v, heads);
        INDArray out = Nd4j.createUninitialized(q.dataType(), n * heads, l, d);
        for (long b = 0; b < n * heads; b++) {
            INDArray scores = Nd4j.gemm(qh.slice(b), kh.slice(b), false, true);
            INDArray weights = SoftmaxOp.softmax(scores, 1);
            if (dropout > 0) {
                weights = DropoutOp.dropout(weights, dropout, true);
            }
            out.slice(b).assign(Nd4j.gemm(weights, vh.slice(b), false, false));
        }
        return out.reshape('c', n, heads, l, d).permute(0, 2, 1, 3).dup('c').reshape('c', n, l, e);
    }

    /** {@code [N, L, E]} as {@code [N·heads, L, d]}, each head's features contiguous: a new array. */
    private static INDArray split(INDArray x, int heads) {
        long n = x.size(0);
        long l = x.size(1);
        long d = x.size(2) / heads;
        return x.reshape('c', n, l, heads, d).permute(0, 2, 1, 3).dup('c').reshape('c', n * heads, l, d);
    }

    // ------------------------------------------------------------------------------------------------ Java path

    private static INDArray inJava(INDArray q, INDArray k, INDArray v, int heads, double scale) {
        int n = (int) q.size(0);
        int l = (int) q.size(1);
        int s = (int) k.size(1);
        int e = (int) q.size(2);
        float[] y = JavaArrays.scratch(Slot.OUTPUT, n * l * e);
        attention(JavaArrays.read(q, Slot.INPUT), JavaArrays.read(k, Slot.SECOND_INPUT),
                JavaArrays.read(v, Slot.WEIGHT), n, l, s, e, heads, (float) scale, y);
        return JavaArrays.create(y, n, l, e);
    }

    /**
     * The Java kernel on {@code q [n, l, e]}, {@code k} and {@code v [n, s, e]}: for each head {@code h} (features
     * {@code [h·d, (h+1)·d)}), {@code y = softmax((q·scale)·kᵀ)·v}, the softmax with its maximum subtracted, sums in
     * double.
     */
    private static void attention(float[] q, float[] k, float[] v, int n, int l, int s, int e, int heads,
            float scale, float[] y) {
        int d = e / heads;
        double[] weights = new double[s];
        for (int b = 0; b < n; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < l; i++) {
                    int qOffset = (b * l + i) * e + h * d;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < s; j++) {
                        int kOffset = (b * s + j) * e + h * d;
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += (q[qOffset + c] * scale) * k[kOffset + c];
                        }
                        weights[j] = dot;
                        max = Math.max(max, dot);
                    }
                    double sum = 0;
                    for (int j = 0; j < s; j++) {
                        weights[j] = Math.exp(weights[j] - max);
                        sum += weights[j];
                    }
                    int yOffset = (b * l + i) * e + h * d;
                    for (int c = 0; c < d; c++) {
                        double acc = 0;
                        for (int j = 0; j < s; j++) {
                            acc += weights[j] * v[(b * s + j) * e + h * d + c];
                        }
                        y[yOffset + c] = (float) (acc / sum);
                    }
                }
            }
        }
    }
}
