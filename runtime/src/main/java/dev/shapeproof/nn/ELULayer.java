package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.ELU}, {@code x} where positive, else {@code alpha·(eˣ − 1)}; declared with {@link dev.shapeproof.ELU}. */
public final class ELULayer extends Layer {
    private final double alpha;

    public ELULayer(String name, double alpha) {
        super(name);
        this.alpha = alpha;
    }

    public double alpha() { return alpha; }

    @Override
    public INDArray forward(INDArray input) {
        return F.elu(input, alpha, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.elu(input, alpha, true);
    }

    @Override
    public String pytorchType() { return "ELU"; }

    @Override
    protected String describe() { return "alpha=" + alpha; }
}
