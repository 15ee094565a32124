package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.LogSoftmax}, declared with {@link dev.shapeproof.LogSoftmax}. */
public final class LogSoftmaxLayer extends Layer {
    private final int dim;

    public LogSoftmaxLayer(String name, int dim) {
        super(name);
        this.dim = dim;
    }

    /** The dimension, counting the batch as 0. */
    public int dim() { return dim; }

    @Override
    public INDArray forward(INDArray input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    public String pytorchType() { return "LogSoftmax"; }

    @Override
    protected String describe() { return "dim=" + dim; }
}
