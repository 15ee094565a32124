package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Mish}, {@code x·tanh(softplus(x))}, declared with {@link dev.shapeproof.Mish}. */
public final class MishLayer extends Layer {
    public MishLayer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return F.mish(input, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.mish(input, true);
    }

    @Override
    public String pytorchType() { return "Mish"; }
}
