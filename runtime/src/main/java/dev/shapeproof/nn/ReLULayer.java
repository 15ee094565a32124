package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.ReLU}, declared with {@link dev.shapeproof.ReLU}. */
public final class ReLULayer extends Layer {
    public ReLULayer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return F.relu(input, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.relu(input, true);
    }

    @Override
    public String pytorchType() { return "ReLU"; }
}
