package dev.shapeproof.nn;

import dev.shapeproof.shape.LayerMath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Linear}, declared with {@link dev.shapeproof.Linear}. */
public final class LinearLayer extends Layer {
    private final int in;
    private final int out;
    private final boolean bias;

    public LinearLayer(String name, int in, int out, boolean bias) {
        super(name, LayerMath.linearParameters(in, out, bias));
        this.in = in;
        this.out = out;
        this.bias = bias;
    }

    public int in() { return in; }

    public int out() { return out; }

    public boolean hasBias() { return bias; }

    @Override
    public String pytorchType() { return "Linear"; }

    @Override
    public INDArray forward(INDArray input) {
        return F.linear(input, tensor("weight"), bias ? tensor("bias") : null);
    }

    /** PyTorch's {@code Linear.reset_parameters}: fan-in is {@code in}. */
    @Override
    public void initialize(SplittableRandom random) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", Init.uniform(random, in, out, in));
        if (bias) {
            tensors.put("bias", Init.uniform(random, in, out));
        }
        setState(tensors);
    }

    @Override
    protected String describe() {
        return "in_features=" + in + ", out_features=" + out + ", bias=" + (bias ? "True" : "False");
    }
}
