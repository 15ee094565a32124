package dev.shapeproof.nn;

/** PyTorch's {@code nn.Sigmoid}, declared with {@link dev.shapeproof.Sigmoid}. */
public final class SigmoidLayer extends Layer {
    public SigmoidLayer(String name) {
        super(name);
    }

    @Override
    public String pytorchType() { return "Sigmoid"; }
}
