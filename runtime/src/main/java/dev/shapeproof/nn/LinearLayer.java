package dev.shapeproof.nn;

/** PyTorch's {@code nn.Linear}, declared with {@link dev.shapeproof.Linear}. */
public final class LinearLayer extends Layer {
    private final int in;
    private final int out;
    private final boolean bias;

    public LinearLayer(String name, int in, int out, boolean bias) {
        super(name);
        this.in = in;
        this.out = out;
        this.bias = bias;
    }

    public int in() { return in; }

    public int out() { return out; }

    public boolean hasBias() { return bias; }

    @Override
    public String pytorchType() { return "Linear"; }

    @Override
    protected String describe() {
        return "in_features=" + in + ", out_features=" + out + ", bias=" + (bias ? "True" : "False");
    }
}
