package dev.shapeproof.nn;

/** PyTorch's {@code nn.BatchNorm2d}, declared with {@link dev.shapeproof.BatchNorm2d}. */
public final class BatchNorm2dLayer extends Layer {
    private final int features;
    private final double eps;
    private final double momentum;
    private final boolean affine;

    public BatchNorm2dLayer(String name, int features, double eps, double momentum, boolean affine) {
        super(name);
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
    }

    public int features() { return features; }

    public double eps() { return eps; }

    public double momentum() { return momentum; }

    public boolean affine() { return affine; }

    @Override
    public String pytorchType() { return "BatchNorm2d"; }

    @Override
    protected String describe() {
        return features + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (affine ? "True" : "False");
    }
}
