package dev.shapeproof.nn;

import dev.shapeproof.nn.ops.BatchNorm2dOp;
import dev.shapeproof.nn.ops.Conv2dOp;
import dev.shapeproof.nn.ops.ConvActivation;
import dev.shapeproof.nn.ops.DerivedWeights;
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
    /** This convolution with the last BatchNorm it was fused with folded in ({@link #forwardFused}). */
    private volatile Folded folded;

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
        return forwardFused(input, null, null, Float.NaN);
    }

    /** PyTorch's {@code padding_mode}. */
    public String paddingMode() { return paddingMode; }

    /**
     * {@code act(norm(conv(input)) + residual)} in one step where the backend can: {@code norm} (or {@code null}) is
     * folded into this convolution's weights and bias, the residual (or {@code null}) and the activation are fused
     * into it ({@code reluSlope}: 0 for ReLU, a leaky ReLU's slope, {@code NaN} for none). Equal, to rounding, to the
     * layers called in turn. The folded weights are computed once per pair of states: a load into either layer
     * recomputes them on the next call. A {@code padding_mode} other than zeros pads first, then convolves unpadded.
     */
    public INDArray forwardFused(INDArray input, BatchNorm2dLayer norm, INDArray residual, float reluSlope) {
        return forwardFused(input, norm, residual, reluSlope, Float.POSITIVE_INFINITY);
    }

    /**
     * As {@link #forwardFused(INDArray, BatchNorm2dLayer, INDArray, float)}, the ReLU ({@code reluSlope} 0) bounded
     * above by {@code reluMax}: {@code forwardFused(x, bn, null, 0f, 6f)} is {@code relu6(bn(conv(x)))}.
     */
    public INDArray forwardFused(INDArray input, BatchNorm2dLayer norm, INDArray residual, float reluSlope,
            float reluMax) {
        return convolve(ConvActivation.of(input), norm, residual, reluSlope, reluMax, false).toArray();
    }

    /**
     * {@link #forwardFused(INDArray, BatchNorm2dLayer, INDArray, float)} on an activation the previous convolution
     * handed on ({@link #forwardKept}), read in the layout it was written in; the result is a plain array.
     */
    public INDArray forwardFused(ConvActivation input, BatchNorm2dLayer norm, INDArray residual, float reluSlope) {
        return forwardFused(input, norm, residual, reluSlope, Float.POSITIVE_INFINITY);
    }

    /** As above, the ReLU bounded above by {@code reluMax}. */
    public INDArray forwardFused(ConvActivation input, BatchNorm2dLayer norm, INDArray residual, float reluSlope,
            float reluMax) {
        return convolve(input, norm, residual, reluSlope, reluMax, false).toArray();
    }

    /**
     * {@link #forwardFused(INDArray, BatchNorm2dLayer, INDArray, float)} for a result whose only reader is another
     * convolution: it is handed on in the layout oneDNN wrote it (one of its blocked layouts where oneDNN picks one),
     * and the chain is reordered once, where it ends, instead of once per convolution. Generated code calls it where
     * the model's graph shows that nothing else reads the result; {@link ConvActivation#toArray} reads it otherwise.
     */
    public ConvActivation forwardKept(INDArray input, BatchNorm2dLayer norm, INDArray residual, float reluSlope) {
        return forwardKept(ConvActivation.of(input), norm, residual, reluSlope, Float.POSITIVE_INFINITY);
    }

    /** As above, the ReLU bounded above by {@code reluMax}. */
    public ConvActivation forwardKept(INDArray input, BatchNorm2dLayer norm, INDArray residual, float reluSlope,
            float reluMax) {
        return forwardKept(ConvActivation.of(input), norm, residual, reluSlope, reluMax);
    }

    /** As above, on an activation a convolution handed on. */
    public ConvActivation forwardKept(ConvActivation input, BatchNorm2dLayer norm, INDArray residual,
            float reluSlope) {
        return forwardKept(input, norm, residual, reluSlope, Float.POSITIVE_INFINITY);
    }

    /** As above, the ReLU bounded above by {@code reluMax}. */
    public ConvActivation forwardKept(ConvActivation input, BatchNorm2dLayer norm, INDArray residual,
            float reluSlope, float reluMax) {
        return convolve(input, norm, residual, reluSlope, reluMax, true);
    }

    private ConvActivation convolve(ConvActivation input, BatchNorm2dLayer norm, INDArray residual, float reluSlope,
            float reluMax, boolean keep) {
        if (norm != null) {
            return forwardFolded(input, norm, residual, reluSlope, reluMax, keep);
        }
        INDArray weight = tensor("weight");
        INDArray b = bias ? tensor("bias") : null;
        if (!paddingMode.equals("zeros")) {
            return Conv2dOp.conv2d(ConvActivation.of(padded(input.toArray())), weight, depthwiseKernel, b,
                    height.padding(0), width.padding(0), groups, reluSlope, reluMax, residual, true, keep);
        }
        return Conv2dOp.conv2d(input, weight, depthwiseKernel, b, height, width, groups, reluSlope, reluMax, residual,
                true, keep);
    }

    /** {@link #forwardFused} with {@code norm} folded into this convolution. */
    private ConvActivation forwardFolded(ConvActivation input, BatchNorm2dLayer norm, INDArray residual,
            float reluSlope, float reluMax, boolean keep) {
        Folded f = folded;
        if (f == null || f.conv != state() || f.norm != norm.state()) {
            synchronized (this) { // one handle per pair of states, so threads share oneDNN's cached copy's key
                f = folded;
                if (f == null || f.conv != state() || f.norm != norm.state()) {
                    f = fold(norm);
                    folded = f;
                }
            }
        }
        if (!paddingMode.equals("zeros")) {
            return Conv2dOp.conv2d(ConvActivation.of(padded(input.toArray())), f.weight, f.bias, height.padding(0),
                    width.padding(0), groups, reluSlope, reluMax, residual, keep);
        }
        return Conv2dOp.conv2d(input, f.weight, f.bias, height, width, groups, reluSlope, reluMax, residual, keep);
    }

    /** The input padded by this layer's {@code padding_mode}, to be convolved unpadded. */
    private INDArray padded(INDArray input) {
        return F.pad(input, new int[] {width.padBefore(), width.padAfter(), height.padBefore(), height.padAfter()},
                paddingMode, 0);
    }

    /**
     * This convolution with {@code norm} folded in, for the current states of both. The folded bias is small and
     * made now; the folded weight is made where a path reads it ({@link DerivedWeights}): oneDNN reorders it into
     * its own copy and lets it go, so a fused layer does not keep a plain folded copy beside its own weight.
     */
    private Folded fold(BatchNorm2dLayer norm) {
        if (norm.features() != out) {
            throw new IllegalArgumentException(norm.name() + " normalises " + norm.features() + " channels, "
                    + name() + " outputs " + out);
        }
        Map<String, INDArray> convState = state();
        Map<String, INDArray> normState = norm.state();
        INDArray convWeight = convState.get("weight");
        double[] alpha = BatchNorm2dOp.foldScale(out, normState.get("running_mean"), normState.get("running_var"),
                normState.get("weight"), norm.eps());
        INDArray foldedBias = BatchNorm2dOp.foldBias(convState.get("bias"), normState.get("running_mean"),
                normState.get("bias"), alpha);
        DerivedWeights foldedWeight = new DerivedWeights(convWeight.shape(),
                () -> BatchNorm2dOp.foldWeight(convWeight, alpha));
        return new Folded(convState, normState, foldedWeight, foldedBias);
    }

    /** Folded weights and the two states they were computed from. */
    private record Folded(Map<String, INDArray> conv, Map<String, INDArray> norm, DerivedWeights weight,
                          INDArray bias) {}

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
