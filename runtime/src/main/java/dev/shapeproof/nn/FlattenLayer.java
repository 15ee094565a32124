package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Flatten}, declared with {@link dev.shapeproof.Flatten}. */
public final class FlattenLayer extends Layer {
    private final int startDim;
    private final int endDim;

    public FlattenLayer(String name, int startDim, int endDim) {
        super(name);
        this.startDim = startDim;
        this.endDim = endDim;
    }

    public int startDim() { return startDim; }

    public int endDim() { return endDim; }

    /** A view of the input when it is contiguous, as PyTorch's flatten. */
    @Override
    public INDArray forward(INDArray input) {
        return F.flatten(input, startDim, endDim);
    }

    @Override
    public String pytorchType() { return "Flatten"; }

    /** A flatten is a view of its input. */
    @Override
    public boolean mayReturnInput() { return true; }

    @Override
    protected String describe() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
