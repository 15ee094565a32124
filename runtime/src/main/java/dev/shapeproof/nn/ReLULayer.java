package dev.shapeproof.nn;

/** PyTorch's {@code nn.ReLU}, declared with {@link dev.shapeproof.ReLU}. */
public final class ReLULayer extends Layer {
    public ReLULayer(String name) {
        super(name);
    }

    @Override
    public String pytorchType() { return "ReLU"; }
}
