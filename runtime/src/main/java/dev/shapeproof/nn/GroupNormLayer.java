package dev.shapeproof.nn;

import dev.shapeproof.shape.LayerMath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's {@code nn.GroupNorm}, declared with {@link dev.shapeproof.GroupNorm}: the channels of each sample split into
 * {@code groups} groups, each normalised over its channels and positions, then, with {@code affine}, scaled and shifted
 * per channel.
 */
public final class GroupNormLayer extends Layer {
    private final int groups;
    private final int channels;
    private final double eps;
    private final boolean affine;

    public GroupNormLayer(String name, int groups, int channels, double eps, boolean affine) {
        super(name, LayerMath.normParameters(new long[] {channels}, affine));
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.affine = affine;
    }

    public int groups() { return groups; }

    public int channels() { return channels; }

    @Override
    public String pytorchType() { return "GroupNorm"; }

    @Override
    public INDArray forward(INDArray input) {
        return F.groupNorm(input, groups, affine ? tensor("weight") : null, affine ? tensor("bias") : null, eps);
    }

    /** PyTorch's {@code reset_parameters}: weight 1, bias 0. */
    @Override
    public void initialize(SplittableRandom random) {
        if (!affine) {
            setState(Map.of());
            return;
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", Init.filled(1, channels));
        tensors.put("bias", Init.filled(0, channels));
        setState(tensors);
    }

    @Override
    protected String describe() {
        return groups + ", " + channels + ", eps=" + eps + ", affine=" + (affine ? "True" : "False");
    }
}
