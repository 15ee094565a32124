package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.LeakyReLU}, declared with {@link dev.shapeproof.LeakyReLU}. */
public final class LeakyReLULayer extends Layer {
    private final double slope;

    public LeakyReLULayer(String name, double slope) {
        super(name);
        this.slope = slope;
    }

    /** PyTorch's {@code negative_slope}. */
    public double slope() { return slope; }

    @Override
    public INDArray forward(INDArray input) {
        return F.leakyRelu(input, slope, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.leakyRelu(input, slope, true);
    }

    @Override
    public String pytorchType() { return "LeakyReLU"; }

    @Override
    protected String describe() { return "negative_slope=" + slope; }
}
