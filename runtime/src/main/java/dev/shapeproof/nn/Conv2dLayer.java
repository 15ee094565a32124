package dev.shapeproof.nn;

import dev.shapeproof.shape.LayerMath;
import dev.shapeproof.shape.Window;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's {@code nn.Conv2d}, declared with {@link dev.shapeproof.Conv2d}. */
public final class Conv2dLayer extends Layer {
    private final int in;
    private final int out;
    private final Window height;
    private final Window width;
    private final int groups;
    private final boolean bias;
    private final String paddingMode;
    /** The depthwise weight in ND4J's layout, prepared once per state; {@code null} unless depthwise. */
    private volatile INDArray depthwiseKernel;

    public Conv2dLayer(String name, int in, int out, Window height, Window width, int groups, boolean bias) {
        this(name, in, out, height, width, groups, bias, "zeros");
    }

    /**
     * @param paddingMode PyTorch's {@code padding_mode}: {@code "zeros"}, or {@code "reflect"}, {@code "replicate"},
     *     {@code "circular"}, which pad the input first (the windows' padding) and convolve it unpadded
     */
    public Conv2dLayer(String name, int in, int out, Window height, Window width, int groups, boolean bias,
            String paddingMode) {
        super(name, LayerMath.conv2dParameters(in, out, groups, height.kernel(), width.kernel(), bias));
        this.paddingMode = Objects.requireNonNull(paddingMode, "paddingMode");
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
    public INDArray forward(INDArray input) {
        if (!paddingMode.equals("zeros")) {
            INDArray padded = F.pad(input, new int[] {width.padBefore(), width.padAfter(), height.padBefore(),
                height.padAfter()}, paddingMode, 0);
            return F.conv2d(padded, tensor("weight"), depthwiseKernel, bias ? tensor("bias") : null,
                    height.padding(0), width.padding(0), groups);
        }
        return F.conv2d(input, tensor("weight"), depthwiseKernel, bias ? tensor("bias") : null, height, width,
                groups);
    }

    /** PyTorch's {@code padding_mode}. */
    public String paddingMode() { return paddingMode; }

    /** A depthwise convolution's weight is re-laid out for ND4J here, at load, never per call. */
    @Override
    protected void stateChanged() {
        depthwiseKernel = groups == in && in > 1 ? F.depthwiseKernel(tensor("weight"), in) : null;
    }

    /** PyTorch's {@code Conv2d.reset_parameters}: fan-in is {@code in/groups·kH·kW}. */
    @Override
    public void initialize(SplittableRandom random) {
        int fanIn = in / groups * height.kernel() * width.kernel();
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", Init.uniform(random, fanIn, out, in / groups, height.kernel(), width.kernel()));
        if (bias) {
            tensors.put("bias", Init.uniform(random, fanIn, out));
        }
        setState(tensors);
    }

    @Override
    protected String describe() {
        return in + ", " + out + ", " + Window2d.describe(height, width, true)
                + (groups != 1 ? ", groups=" + groups : "") + (bias ? "" : ", bias=False")
                + (paddingMode.equals("zeros") ? "" : ", padding_mode=" + paddingMode);
    }
}
