package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.SiLU}, {@code x·sigmoid(x)}, declared with {@link dev.shapeproof.SiLU}. */
public final class SiLULayer extends Layer {
    public SiLULayer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return F.silu(input, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.silu(input, true);
    }

    @Override
    public String pytorchType() { return "SiLU"; }
}
