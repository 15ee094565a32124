package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * torchvision's {@code StochasticDepth}, declared with {@link dev.shapeproof.StochasticDepth}: the identity in eval
 * mode; in training, each sample's ({@code "row"}) or the batch's ({@code "batch"}) residual branch is dropped with
 * probability {@code p}, the kept ones scaled by {@code 1/(1−p)}.
 */
public final class StochasticDepthLayer extends Layer {
    private final double p;
    private final String mode;

    public StochasticDepthLayer(String name, double p, String mode) {
        super(name);
        this.p = p;
        this.mode = mode;
    }

    public double p() { return p; }

    public String mode() { return mode; }

    @Override
    public INDArray forward(INDArray input) {
        return F.stochasticDepth(input, p, mode, isTraining());
    }

    @Override
    public String pytorchType() { return "StochasticDepth"; }

    /** In eval mode it returns its input itself. */
    @Override
    public boolean mayReturnInput() { return true; }

    @Override
    protected String describe() { return "p=" + p + ", mode=" + mode; }
}
