package dev.shapeproof.nn;

import dev.shapeproof.shape.Window;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.MaxPool2d}, declared with {@link dev.shapeproof.MaxPool2d}. */
public final class MaxPool2dLayer extends Layer {
    private final Window height;
    private final Window width;

    public MaxPool2dLayer(String name, Window height, Window width) {
        super(name);
        this.height = Objects.requireNonNull(height, "height");
        this.width = Objects.requireNonNull(width, "width");
    }

    public Window height() { return height; }

    public Window width() { return width; }

    @Override
    public INDArray forward(INDArray input) {
        return F.maxPool2d(input, height, width);
    }

    @Override
    public String pytorchType() { return "MaxPool2d"; }

    @Override
    protected String describe() { return Window2d.describe(height, width, true); }
}
