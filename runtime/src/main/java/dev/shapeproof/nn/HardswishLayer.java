package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Hardswish}, {@code x·min(max(x + 3, 0), 6)/6}, declared with {@link dev.shapeproof.Hardswish}. */
public final class HardswishLayer extends Layer {
    public HardswishLayer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return F.hardswish(input, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.hardswish(input, true);
    }

    @Override
    public String pytorchType() { return "Hardswish"; }
}
