package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code group_norm} on {@code [N, C, *]}: the channels of each sample split into {@code groups} groups, each group's
 * channels and positions normalised together ({@link LayerNormOp}'s rows), then {@code weight} and {@code bias}
 * ({@code [C]}, either may be {@code null}) per channel.
 */
public final class GroupNormOp {
    private GroupNormOp() {}

    public static INDArray groupNorm(INDArray x, int groups, INDArray weight, INDArray bias, double eps) {
        Objects.requireNonNull(x, "group_norm: x");
        long[] shape = x.shape();
        if (shape.length < 2 || groups < 1 || shape[1] % groups != 0) {
            throw new IllegalArgumentException("group_norm: " + groups + " groups for input "
                    + Arrays.toString(shape));
        }
        long n = shape[0];
        long channels = shape[1];
        long positions = x.length() / (n * channels);
        LayerNormOp.requireChannels(weight, channels, "group_norm weight");
        LayerNormOp.requireChannels(bias, channels, "group_norm bias");
        INDArray y = LayerNormOp.normalizeRows(x, n * groups, channels / groups * positions, eps)
                .reshape('c', n, channels, positions);
        if (weight != null) {
            Nd4j.exec(new MulOp(new INDArray[] {y, weight.reshape('c', 1, channels, 1)}, new INDArray[] {y}));
        }
        if (bias != null) {
            Nd4j.exec(new AddOp(new INDArray[] {y, bias.reshape('c', 1, channels, 1)}, new INDArray[] {y}));
        }
        return y.reshape('c', shape);
    }
}
