package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Sigmoid}, declared with {@link dev.shapeproof.Sigmoid}. */
public final class SigmoidLayer extends Layer {
    public SigmoidLayer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return F.sigmoid(input, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.sigmoid(input, true);
    }

    @Override
    public String pytorchType() { return "Sigmoid"; }
}
