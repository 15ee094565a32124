package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Softmax}, declared with {@link dev.shapeproof.Softmax}. */
public final class SoftmaxLayer extends Layer {
    private final int dim;

    public SoftmaxLayer(String name, int dim) {
        super(name);
        this.dim = dim;
    }

    /** The dimension, counting the batch as 0. */
    public int dim() { return dim; }

    @Override
    public INDArray forward(INDArray input) {
        return F.softmax(input, dim);
    }

    @Override
    public String pytorchType() { return "Softmax"; }

    @Override
    protected String describe() { return "dim=" + dim; }
}
