package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Hardsigmoid}, {@code min(max(x + 3, 0), 6)/6}, declared with {@link dev.shapeproof.Hardsigmoid}. */
public final class HardsigmoidLayer extends Layer {
    public HardsigmoidLayer(String name) {
        super(name);
    }

    @Override
    public INDArray forward(INDArray input) {
        return F.hardsigmoid(input, false);
    }

    @Override
    public INDArray forwardInPlace(INDArray input) {
        return F.hardsigmoid(input, true);
    }

    @Override
    public String pytorchType() { return "Hardsigmoid"; }
}
