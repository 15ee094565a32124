package dev.shapeproof.nn;

import dev.shapeproof.shape.LayerMath;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's {@code nn.LayerNorm}, declared with {@link dev.shapeproof.LayerNorm}: each sample normalised over its last
 * axes ({@code shape}), then, with {@code elementwiseAffine}, scaled by {@code weight} and shifted by {@code bias}.
 */
public final class LayerNormLayer extends Layer {
    private final long[] shape;
    private final double eps;
    private final boolean affine;

    public LayerNormLayer(String name, long[] shape, double eps, boolean affine) {
        super(name, LayerMath.normParameters(shape, affine));
        this.shape = shape.clone();
        this.eps = eps;
        this.affine = affine;
    }

    public long[] shape() { return shape.clone(); }

    public double eps() { return eps; }

    @Override
    public String pytorchType() { return "LayerNorm"; }

    @Override
    public INDArray forward(INDArray input) {
        return F.layerNorm(input, shape.length, affine ? tensor("weight") : null, affine ? tensor("bias") : null,
                eps);
    }

    /** PyTorch's {@code reset_parameters}: weight 1, bias 0. */
    @Override
    public void initialize(SplittableRandom random) {
        if (!affine) {
            setState(Map.of());
            return;
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", Init.filled(1, shape));
        tensors.put("bias", Init.filled(0, shape));
        setState(tensors);
    }

    @Override
    protected String describe() {
        return Arrays.toString(shape).replace('[', '(').replace("]", ",)") + ", eps=" + eps
                + ", elementwise_affine=" + (affine ? "True" : "False");
    }
}
