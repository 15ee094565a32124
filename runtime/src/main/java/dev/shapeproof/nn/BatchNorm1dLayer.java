package dev.shapeproof.nn;

import dev.shapeproof.shape.LayerMath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's {@code nn.BatchNorm1d} on {@code [N, C]} or {@code [N, C, L]}, declared with {@link dev.shapeproof.BatchNorm1d}. Inference only: it always
 * normalises with the running statistics, as PyTorch does in eval mode; training mode does not update them (there is
 * no training in ShapeProof yet).
 */
public final class BatchNorm1dLayer extends Layer {
    private final int features;
    private final double eps;
    private final double momentum;
    private final boolean affine;

    public BatchNorm1dLayer(String name, int features, double eps, double momentum, boolean affine) {
        super(name, LayerMath.batchNorm2dParameters(features, affine));
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
    }

    public int features() { return features; }

    public double eps() { return eps; }

    public double momentum() { return momentum; }

    public boolean affine() { return affine; }

    @Override
    public String pytorchType() { return "BatchNorm1d"; }

    @Override
    public INDArray forward(INDArray input) {
        return F.batchNorm1d(input, tensor("running_mean"), tensor("running_var"),
                affine ? tensor("weight") : null, affine ? tensor("bias") : null, eps);
    }

    /** PyTorch's {@code reset_parameters}: weight 1, bias 0, mean 0, variance 1, no batches seen. */
    @Override
    public void initialize(SplittableRandom random) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        if (affine) {
            tensors.put("weight", Init.filled(1, features));
            tensors.put("bias", Init.filled(0, features));
        }
        tensors.put("running_mean", Init.filled(0, features));
        tensors.put("running_var", Init.filled(1, features));
        tensors.put("num_batches_tracked", Init.counter(0));
        setState(tensors);
    }

    @Override
    protected String describe() {
        return features + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (affine ? "True" : "False");
    }
}
