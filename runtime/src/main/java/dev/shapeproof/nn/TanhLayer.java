package dev.shapeproof.nn;

/** PyTorch's {@code nn.Tanh}, declared with {@link dev.shapeproof.Tanh}. */
public final class TanhLayer extends Layer {
    public TanhLayer(String name) {
        super(name);
    }

    @Override
    public String pytorchType() { return "Tanh"; }
}
