package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.GELU}, declared with {@link dev.shapeproof.GELU}. */
public final class GELULayer extends Layer {
    private final boolean tanhApproximation;

    /** @param tanhApproximation PyTorch's {@code approximate='tanh'}; otherwise the exact erf form */
    public GELULayer(String name, boolean tanhApproximation) {
        super(name);
        this.tanhApproximation = tanhApproximation;
    }

    public boolean tanhApproximation() { return tanhApproximation; }

    @Override
    public INDArray forward(INDArray input) {
        return F.gelu(input, tanhApproximation, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.gelu(input, tanhApproximation, true);
    }

    @Override
    public String pytorchType() { return "GELU"; }

    @Override
    protected String describe() { return "approximate='" + (tanhApproximation ? "tanh" : "none") + "'"; }
}
