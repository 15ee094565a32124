package dev.shapeproof.nn;

import dev.shapeproof.shape.LayerMath;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's {@code nn.ConvTranspose2d}, declared with {@link dev.shapeproof.ConvTranspose2d}: weight
 * {@code [in, out/groups, kH, kW]}, bias {@code [out]}. Pairs are {@code {height, width}}.
 */
public final class ConvTranspose2dLayer extends Layer {
    private final int in;
    private final int out;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int[] dilation;
    private final int groups;
    private final boolean bias;
    /** The weight as an ordinary convolution's, prepared once per state. */
    private volatile INDArray convWeight;

    public ConvTranspose2dLayer(String name, int in, int out, int[] kernel, int[] stride, int[] padding,
            int[] outputPadding, int[] dilation, int groups, boolean bias) {
        super(name, LayerMath.convTranspose2dParameters(in, out, groups, kernel[0], kernel[1], bias));
        this.in = in;
        this.out = out;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.outputPadding = outputPadding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        this.bias = bias;
    }

    public int in() { return in; }

    public int out() { return out; }

    public int groups() { return groups; }

    @Override
    public String pytorchType() { return "ConvTranspose2d"; }

    @Override
    public INDArray forward(INDArray input) {
        return F.convTranspose2d(input, tensor("weight"), convWeight, bias ? tensor("bias") : null, stride, padding,
                outputPadding, dilation, groups);
    }

    @Override
    protected void stateChanged() {
        convWeight = F.convTransposeKernel(tensor("weight"), groups);
    }

    /**
     * PyTorch's {@code reset_parameters}: {@code kaiming_uniform_(a=√5)}, whose fan-in for a transposed weight
     * {@code [in, out/groups, kH, kW]} is {@code out/groups·kH·kW} (its dimension 1); the bias with the same bound.
     */
    @Override
    public void initialize(SplittableRandom random) {
        int fanIn = out / groups * kernel[0] * kernel[1];
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", Init.uniform(random, fanIn, in, out / groups, kernel[0], kernel[1]));
        if (bias) {
            tensors.put("bias", Init.uniform(random, fanIn, out));
        }
        setState(tensors);
    }

    @Override
    protected String describe() {
        return in + ", " + out + ", kernel_size=" + pair(kernel) + ", stride=" + pair(stride)
                + (padding[0] != 0 || padding[1] != 0 ? ", padding=" + pair(padding) : "")
                + (outputPadding[0] != 0 || outputPadding[1] != 0 ? ", output_padding=" + pair(outputPadding) : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias ? "" : ", bias=False")
                + (dilation[0] != 1 || dilation[1] != 1 ? ", dilation=" + pair(dilation) : "");
    }

    private static String pair(int[] pair) {
        return Arrays.toString(pair).replace('[', '(').replace(']', ')');
    }
}
