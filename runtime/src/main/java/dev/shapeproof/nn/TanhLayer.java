package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Tanh}, declared with {@link dev.shapeproof.Tanh}. */
public final class TanhLayer extends Layer {
    public TanhLayer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return F.tanh(input, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.tanh(input, true);
    }

    @Override
    public String pytorchType() { return "Tanh"; }
}
