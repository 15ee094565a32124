package dev.shapeproof.nn;

import dev.shapeproof.shape.Window;
import java.util.Objects;

/** PyTorch's {@code nn.Conv2d}, declared with {@link dev.shapeproof.Conv2d}. */
public final class Conv2dLayer extends Layer {
    private final int in;
    private final int out;
    private final Window height;
    private final Window width;
    private final int groups;
    private final boolean bias;

    public Conv2dLayer(String name, int in, int out, Window height, Window width, int groups, boolean bias) {
        super(name);
        this.in = in;
        this.out = out;
        this.height = Objects.requireNonNull(height, "height");
        this.width = Objects.requireNonNull(width, "width");
        this.groups = groups;
        this.bias = bias;
    }

    public int in() { return in; }

    public int out() { return out; }

    /** The window along the height axis. */
    public Window height() { return height; }

    /** The window along the width axis. */
    public Window width() { return width; }

    public int groups() { return groups; }

    public boolean hasBias() { return bias; }

    @Override
    public String pytorchType() { return "Conv2d"; }

    @Override
    protected String describe() {
        return in + ", " + out + ", " + Window2d.describe(height, width, true)
                + (groups != 1 ? ", groups=" + groups : "") + (bias ? "" : ", bias=False");
    }
}
