package dev.shapeproof.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's {@code nn.Upsample}, declared with {@link dev.shapeproof.Upsample}: {@code F.interpolate} to a fixed size
 * or by a scale factor, the output size computed from each input as PyTorch does.
 */
public final class UpsampleLayer extends Layer {
    private final int[] size;
    private final double scale;
    private final String mode;
    private final boolean alignCorners;

    /**
     * @param size the output's {@code {h, w}}, or {@code null} when {@code scale} is given
     * @param scale the scale factor, or 0 when {@code size} is given
     */
    public UpsampleLayer(String name, int[] size, double scale, String mode, boolean alignCorners) {
        super(name);
        this.size = size == null ? null : size.clone();
        this.scale = scale;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    @Override
    public INDArray forward(INDArray input) {
        if (size != null) {
            return F.interpolate(input, size[0], size[1], 0, 0, mode, alignCorners);
        }
        // PyTorch: floor(float(size) * scale_factor), in double.
        int height = (int) Math.floor(input.size(2) * scale);
        int width = (int) Math.floor(input.size(3) * scale);
        return F.interpolate(input, height, width, scale, scale, mode, alignCorners);
    }

    @Override
    public String pytorchType() { return "Upsample"; }

    @Override
    protected String describe() {
        return (size != null ? "size=(" + size[0] + ", " + size[1] + ")" : "scale_factor=" + scale) + ", mode='" + mode
                + "'";
    }
}
