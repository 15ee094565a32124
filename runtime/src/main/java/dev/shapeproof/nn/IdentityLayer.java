package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Identity}, declared with {@link dev.shapeproof.Identity}: returns its input itself. */
public final class IdentityLayer extends Layer {
    public IdentityLayer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return input;
    }

    @Override
    public String pytorchType() { return "Identity"; }

    @Override
    public boolean mayReturnInput() { return true; }
}
