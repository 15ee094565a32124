package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.AdaptiveMaxPool2d}, declared with {@link dev.shapeproof.AdaptiveMaxPool2d}. */
public final class AdaptiveMaxPool2dLayer extends Layer {
    private final int outputHeight;
    private final int outputWidth;

    public AdaptiveMaxPool2dLayer(String name, int outputHeight, int outputWidth) {
        super(name);
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
    }

    public int outputHeight() { return outputHeight; }

    public int outputWidth() { return outputWidth; }

    @Override
    public INDArray forward(INDArray input) {
        return F.adaptiveMaxPool2d(input, outputHeight, outputWidth);
    }

    @Override
    public String pytorchType() { return "AdaptiveMaxPool2d"; }

    @Override
    protected String describe() { return "output_size=" + Window2d.pair(outputHeight, outputWidth); }
}
