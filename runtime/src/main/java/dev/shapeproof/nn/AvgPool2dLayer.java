package dev.shapeproof.nn;

import dev.shapeproof.shape.Window;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.AvgPool2d}, declared with {@link dev.shapeproof.AvgPool2d}. */
public final class AvgPool2dLayer extends Layer {
    private final Window height;
    private final Window width;
    private final boolean countIncludePad;

    public AvgPool2dLayer(String name, Window height, Window width, boolean countIncludePad) {
        super(name);
        this.height = Objects.requireNonNull(height, "height");
        this.width = Objects.requireNonNull(width, "width");
        this.countIncludePad = countIncludePad;
    }

    public Window height() { return height; }

    public Window width() { return width; }

    /** Whether the zero padding counts in the divisor. */
    public boolean countIncludePad() { return countIncludePad; }

    @Override
    public INDArray forward(INDArray input) {
        return F.avgPool2d(input, height, width, countIncludePad);
    }

    @Override
    public String pytorchType() { return "AvgPool2d"; }

    @Override
    protected String describe() {
        return Window2d.describe(height, width, false) + (countIncludePad ? "" : ", count_include_pad=False");
    }
}
