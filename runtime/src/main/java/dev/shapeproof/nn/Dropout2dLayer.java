package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Dropout2d}, declared with {@link dev.shapeproof.Dropout2d}; the identity in eval mode. */
public final class Dropout2dLayer extends Layer {
    private final double p;

    public Dropout2dLayer(String name, double p) {
        super(name);
        this.p = p;
    }

    /** The probability of zeroing, in training. */
    public double p() { return p; }

    /** The identity in eval mode (the input itself); PyTorch's inverted dropout in training. */
    @Override
    public INDArray forward(INDArray input) {
        return F.dropout2d(input, p, isTraining());
    }

    @Override
    public String pytorchType() { return "Dropout2d"; }

    /** In eval mode, dropout returns its input itself. */
    @Override
    public boolean mayReturnInput() { return true; }

    @Override
    protected String describe() { return "p=" + p + ", inplace=False"; }
}
