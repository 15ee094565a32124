package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.ReLU6}, {@code min(max(0, x), 6)}, declared with {@link dev.shapeproof.ReLU6}. */
public final class ReLU6Layer extends Layer {
    public ReLU6Layer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return F.relu6(input, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.relu6(input, true);
    }

    @Override
    public String pytorchType() { return "ReLU6"; }
}
