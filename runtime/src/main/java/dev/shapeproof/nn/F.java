package dev.shapeproof.nn;

import dev.shapeproof.nn.ops.ActivationOp;
import dev.shapeproof.nn.ops.AdaptiveAvgPool2dOp;
import dev.shapeproof.nn.ops.AdaptiveMaxPool2dOp;
import dev.shapeproof.nn.ops.AddOp;
import dev.shapeproof.nn.ops.ArithmeticOp;
import dev.shapeproof.nn.ops.AttentionOp;
import dev.shapeproof.nn.ops.AvgPool2dOp;
import dev.shapeproof.nn.ops.BatchNorm2dOp;
import dev.shapeproof.nn.ops.CatOp;
import dev.shapeproof.nn.ops.Conv2dOp;
import dev.shapeproof.nn.ops.ConvTranspose2dOp;
import dev.shapeproof.nn.ops.DropoutOp;
import dev.shapeproof.nn.ops.ExpandOp;
import dev.shapeproof.nn.ops.FlattenOp;
import dev.shapeproof.nn.ops.GroupNormOp;
import dev.shapeproof.nn.ops.InterpolateOp;
import dev.shapeproof.nn.ops.LayerNormOp;
import dev.shapeproof.nn.ops.LinearOp;
import dev.shapeproof.nn.ops.MaxPool2dOp;
import dev.shapeproof.nn.ops.PadOp;
import dev.shapeproof.nn.ops.PermuteOp;
import dev.shapeproof.nn.ops.ReduceOp;
import dev.shapeproof.nn.ops.ReshapeOp;
import dev.shapeproof.nn.ops.SliceOp;
import dev.shapeproof.nn.ops.SoftmaxOp;
import dev.shapeproof.nn.ops.StackOp;
import dev.shapeproof.shape.Window;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The functional kernels of the runtime: PyTorch's {@code torch.nn.functional} semantics on ND4J, NCHW, with
 * parameters in PyTorch's layouts ({@code Conv2d} weight {@code [out, in/groups, kH, kW]}, {@code Linear} weight
 * {@code [out, in]}). Generated code and the layers call these methods; each forwards to its op's class in
 * {@link dev.shapeproof.nn.ops} ({@code F.conv2d} to {@link Conv2dOp}), which holds the op's checks, its Java kernel
 * and its ND4J path.
 *
 * <p>No method modifies its input unless it takes {@code inPlace = true}; an in-place call may overwrite {@code x}
 * and return it. Inside a generated forward ({@link ForwardWorkspace} open) results may be arrays the next call of
 * that forward overwrites; outside one they are the caller's.
 *
 * <p>Which path runs:
 * <ul>
 *   <li>Small tensors are computed in plain Java, larger ones by ND4J: {@code conv2d}, the three poolings,
 *       eval-mode {@code batch_norm}, {@code linear}, {@code softmax}/{@code log_softmax}, {@code relu},
 *       {@code leaky_relu}, {@code sigmoid}, {@code tanh} and {@code add} of equal shapes, each under its own
 *       measured limit, on ND4J's CPU backends, for dense c-order float32 arrays. The system property
 *       {@code shapeproof.smallTensorKernels} is {@code auto} by default; {@code never} sends everything to ND4J,
 *       {@code always} every size to Java (for measuring the crossovers).</li>
 *   <li>Results are correct on ND4J's plain CPU build and on its oneDNN build: the ops whose oneDNN helpers are
 *       broken in 1.0.0-M2.1 (dilated convolution, dilated max pooling, rank-4 softmax) run with the helpers
 *       switched off, or, for a stride-1 dilated convolution on the oneDNN build, undilated on its phases (one
 *       convolution per phase when {@code groups = 1} and the phases are large, else all phases as one batch).</li>
 *   <li>The other ops ({@code gelu}, dropout, {@code cat}, {@code interpolate}) always run on ND4J;
 *       {@code flatten} and {@code reshape} return views where the strides allow.</li>
 * </ul>
 * The ND4J calls are those measured exact against PyTorch; public calls avoided here:
 * {@code Nd4j.nn().relu/gelu/...} overwrite their input, {@code Nd4j.nn().gelu} is not PyTorch's GELU,
 * {@code Nd4j.nn().logSoftmax} always uses the last axis and underflows to {@code -inf}.
 *
 * <p>Adding an op: its class in {@code dev.shapeproof.nn.ops}, and here one method that forwards to it.
 */
public final class F {
    private F() {}

    // ---------------------------------------------------------------------------------------------- convolution

    /**
     * PyTorch's {@code conv2d}: {@code x} {@code [N, C, H, W]}, {@code weight} {@code [out, C/groups, kH, kW]}
     * (OIHW, passed to ND4J as-is), {@code bias} {@code [out]} or {@code null}. Any {@code groups} dividing
     * {@code C} and {@code out}; padding may differ before and after ({@code padding='same'}); dilation.
     */
    public static INDArray conv2d(INDArray x, INDArray weight, INDArray bias, Window height, Window width,
                                  int groups) {
        return conv2d(x, weight, null, bias, height, width, groups);
    }

    /**
     * {@link #conv2d(INDArray, INDArray, INDArray, Window, Window, int)} with the depthwise weight already in ND4J's
     * layout ({@link #depthwiseKernel}), so a layer converts it once at load instead of on every call. {@code
     * depthwiseKernel} is ignored (and may be {@code null}) unless {@code groups} equals the input channels.
     */
    public static INDArray conv2d(INDArray x, INDArray weight, INDArray depthwiseKernel, INDArray bias,
                                  Window height, Window width, int groups) {
        return Conv2dOp.conv2d(x, weight, depthwiseKernel, bias, height, width, groups);
    }

    /**
     * A depthwise weight (PyTorch's {@code [C·M, 1, kH, kW]}) in the layout ND4J's depthwise op needs,
     * {@code [kH, kW, C, M]}: PyTorch's output channel {@code c·M + m} is ND4J's {@code [.., c, m]}, and the op
     * ignores {@code weightsFormat}. A copy, c-order.
     */
    public static INDArray depthwiseKernel(INDArray weight, long channels) {
        return Conv2dOp.depthwiseKernel(weight, channels);
    }

    /**
     * PyTorch's {@code conv_transpose2d}: {@code x} {@code [N, C, H, W]}, {@code weight} {@code [C, out/groups, kH,
     * kW]}, {@code bias} {@code [out]} or {@code null}; pairs {@code {height, width}}. The output is
     * {@code (i − 1)·s − 2p + d·(k − 1) + op + 1} per axis. {@code convWeight} is the weight prepared by
     * {@link #convTransposeKernel}, or {@code null}.
     */
    public static INDArray convTranspose2d(INDArray x, INDArray weight, INDArray convWeight, INDArray bias,
                                           int[] stride, int[] padding, int[] outputPadding, int[] dilation,
                                           int groups) {
        return ConvTranspose2dOp.convTranspose2d(x, weight, convWeight, bias, stride, padding, outputPadding,
                dilation, groups);
    }

    /**
     * A transposed convolution's weight {@code [in, out/groups, kH, kW]} as the equivalent ordinary convolution's
     * {@code [out, in/groups, kH, kW]}, flipped: a layer prepares it once per state.
     */
    public static INDArray convTransposeKernel(INDArray weight, int groups) {
        return ConvTranspose2dOp.kernel(weight, groups);
    }

    // ---------------------------------------------------------------------------------------------------- pooling

    /**
     * PyTorch's {@code max_pool2d} with padding acting as {@code -inf}, dilation and ceil mode. The windows' padding
     * must be at most half the kernel, as PyTorch requires.
     */
    public static INDArray maxPool2d(INDArray x, Window height, Window width) {
        return MaxPool2dOp.maxPool2d(x, height, width);
    }

    /**
     * PyTorch's {@code avg_pool2d} (no divisor override): windows of dilation 1, ceil mode, and PyTorch's divisors:
     * with {@code countIncludePad} the window clipped to input + padding, without it the window clipped to the input.
     */
    public static INDArray avgPool2d(INDArray x, Window height, Window width, boolean countIncludePad) {
        return AvgPool2dOp.avgPool2d(x, height, width, countIncludePad);
    }

    /**
     * PyTorch's {@code adaptive_avg_pool2d}: output cell {@code i} averages input rows
     * {@code [floor(i·H/oh), ceil((i+1)·H/oh))}, and likewise for columns, also when the sizes do not divide.
     */
    public static INDArray adaptiveAvgPool2d(INDArray x, int outputHeight, int outputWidth) {
        return AdaptiveAvgPool2dOp.adaptiveAvgPool2d(x, outputHeight, outputWidth);
    }

    /** PyTorch's {@code adaptive_max_pool2d}: the maximum of each of {@code adaptiveAvgPool2d}'s bins; NaN wins. */
    public static INDArray adaptiveMaxPool2d(INDArray x, int outputHeight, int outputWidth) {
        return AdaptiveMaxPool2dOp.adaptiveMaxPool2d(x, outputHeight, outputWidth);
    }

    // ------------------------------------------------------------------------------------------------ batch norm

    /**
     * Eval-mode {@code batch_norm} over dimension 1 with running statistics: {@code (x − mean)/sqrt(var + eps)·weight
     * + bias}; {@code weight} and {@code bias} may be {@code null} ({@code affine=False}).
     */
    public static INDArray batchNorm2d(INDArray x, INDArray runningMean, INDArray runningVar, INDArray weight,
                                       INDArray bias, double eps) {
        return BatchNorm2dOp.batchNorm2d(x, runningMean, runningVar, weight, bias, eps);
    }

    /** Eval-mode {@code batch_norm} of {@code [N, C]} or {@code [N, C, L]} over dimension 1 ({@code BatchNorm1d}). */
    public static INDArray batchNorm1d(INDArray x, INDArray runningMean, INDArray runningVar, INDArray weight,
                                       INDArray bias, double eps) {
        return BatchNorm2dOp.batchNorm1d(x, runningMean, runningVar, weight, bias, eps);
    }

    /**
     * PyTorch's {@code layer_norm} over the last {@code axes} axes: {@code (x − mean)/√(var + eps)·weight + bias} per
     * sample, the variance biased; {@code weight} and {@code bias} have the normalized shape, or are {@code null}.
     */
    public static INDArray layerNorm(INDArray x, int axes, INDArray weight, INDArray bias, double eps) {
        return LayerNormOp.layerNorm(x, axes, weight, bias, eps);
    }

    /**
     * PyTorch's {@code group_norm} on {@code [N, C, *]}: each of {@code groups} channel groups of each sample normalised
     * over its channels and positions, then {@code weight} and {@code bias} ({@code [C]} or {@code null}) per channel.
     */
    public static INDArray groupNorm(INDArray x, int groups, INDArray weight, INDArray bias, double eps) {
        return GroupNormOp.groupNorm(x, groups, weight, bias, eps);
    }

    // ----------------------------------------------------------------------------------------------- activations

    /** {@code max(x, 0)}. */
    public static INDArray relu(INDArray x, boolean inPlace) {
        return ActivationOp.relu(x, inPlace);
    }

    /** {@code x} where positive, else {@code slope·x}. */
    public static INDArray leakyRelu(INDArray x, double slope, boolean inPlace) {
        return ActivationOp.leakyRelu(x, slope, inPlace);
    }

    /** {@code 1/(1 + e^−x)}. */
    public static INDArray sigmoid(INDArray x, boolean inPlace) {
        return ActivationOp.sigmoid(x, inPlace);
    }

    /** {@code tanh(x)}. */
    public static INDArray tanh(INDArray x, boolean inPlace) {
        return ActivationOp.tanh(x, inPlace);
    }

    /**
     * PyTorch's GELU: {@code 0.5·x·(1 + erf(x/√2))}, or with {@code tanhApproximation} PyTorch's
     * {@code approximate='tanh'} form {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. ND4J's own {@code gelu}
     * ops compute neither.
     */
    public static INDArray gelu(INDArray x, boolean tanhApproximation, boolean inPlace) {
        return ActivationOp.gelu(x, tanhApproximation, inPlace);
    }

    /** {@code min(max(x, 0), 6)}. */
    public static INDArray relu6(INDArray x, boolean inPlace) {
        return ActivationOp.relu6(x, inPlace);
    }

    /** {@code x·min(max(x + 3, 0), 6)/6}. */
    public static INDArray hardswish(INDArray x, boolean inPlace) {
        return ActivationOp.hardswish(x, inPlace);
    }

    /** {@code min(max(x + 3, 0), 6)/6}. */
    public static INDArray hardsigmoid(INDArray x, boolean inPlace) {
        return ActivationOp.hardsigmoid(x, inPlace);
    }

    /** {@code x·sigmoid(x)}. */
    public static INDArray silu(INDArray x, boolean inPlace) {
        return ActivationOp.silu(x, inPlace);
    }

    /** {@code x·tanh(log(1 + eˣ))}. */
    public static INDArray mish(INDArray x, boolean inPlace) {
        return ActivationOp.mish(x, inPlace);
    }

    /** {@code x} where positive, else {@code alpha·(eˣ − 1)}. */
    public static INDArray elu(INDArray x, double alpha, boolean inPlace) {
        return ActivationOp.elu(x, alpha, inPlace);
    }

    // ---------------------------------------------------------------------------------------------------- dropout

    /**
     * {@code dropout}: the identity ({@code x} itself) when not training; when training a new array where each
     * element is zeroed with probability {@code p} and the others are scaled by {@code 1/(1−p)}.
     */
    public static INDArray dropout(INDArray x, double p, boolean training) {
        return DropoutOp.dropout(x, p, training);
    }

    /**
     * {@code dropout2d} on {@code [N, C, H, W]}: like {@link #dropout} but zeroes whole channels (one draw per
     * {@code (n, c)}).
     */
    public static INDArray dropout2d(INDArray x, double p, boolean training) {
        return DropoutOp.dropout2d(x, p, training);
    }

    /**
     * torchvision's {@code stochastic_depth}: the identity ({@code x} itself) when not training or {@code p = 0}; when
     * training each sample ({@code mode = "row"}) or the whole batch ({@code "batch"}) zeroed with probability
     * {@code p}, the rest scaled by {@code 1/(1−p)}.
     */
    public static INDArray stochasticDepth(INDArray x, double p, String mode, boolean training) {
        return DropoutOp.stochasticDepth(x, p, mode, training);
    }

    // ------------------------------------------------------------------------------------------ reshape & linear

    /**
     * {@code torch.flatten(x, startDim, endDim)}, negative dims counting from the end; a view of {@code x} when
     * {@code x} is c-contiguous, else a copy.
     */
    public static INDArray flatten(INDArray x, int startDim, int endDim) {
        return FlattenOp.flatten(x, startDim, endDim);
    }

    /** {@code linear}: {@code y = x·Wᵀ + b} on the last dimension of {@code x}; weight {@code [out, in]}. */
    public static INDArray linear(INDArray x, INDArray weight, INDArray bias) {
        return LinearOp.linear(x, weight, bias);
    }

    /**
     * {@code nn.MultiheadAttention}'s forward with {@code batch_first=True}: query {@code [N, L, E]}, key and value
     * {@code [N, S, E]}, {@code heads} dividing {@code E}; its {@code in_proj_weight [3E, E]}, {@code in_proj_bias
     * [3E]}, {@code out_proj} weight {@code [E, E]} and bias {@code [E]} (biases may be {@code null}); dropout on the
     * attention weights only when {@code training}. Returns the attention output {@code [N, L, E]}.
     */
    public static INDArray multiheadAttention(INDArray query, INDArray key, INDArray value, int heads,
                                              INDArray inWeight, INDArray inBias, INDArray outWeight,
                                              INDArray outBias, double dropout, boolean training) {
        return AttentionOp.multiheadAttention(query, key, value, heads, inWeight, inBias, outWeight, outBias,
                dropout, training);
    }

    // --------------------------------------------------------------------------------------------------- softmax

    /** {@code softmax} along {@code dim} (negative counts from the end). */
    public static INDArray softmax(INDArray x, int dim) {
        return SoftmaxOp.softmax(x, dim);
    }

    /**
     * {@code log_softmax} along {@code dim}, as PyTorch computes it: {@code x − max − log Σ exp(x − max)}, finite
     * even where the softmax underflows. ND4J's {@code logSoftmax} is not used: it always works on the last axis and
     * returns {@code -inf} there.
     */
    public static INDArray logSoftmax(INDArray x, int dim) {
        return SoftmaxOp.logSoftmax(x, dim);
    }

    // -------------------------------------------------------------------------------------------- cat, add, reshape

    /**
     * {@code torch.cat(tensors, dim)}: a new c-order array; {@code dim} may be negative. The inputs must have the
     * same rank (at least 1), the same data type and equal sizes on every other dimension; they are never modified,
     * and the result is a new array even for a single input.
     */
    public static INDArray cat(int dim, INDArray... tensors) {
        return CatOp.cat(dim, tensors);
    }

    /**
     * {@code a + b} with PyTorch's broadcasting (align trailing dimensions; each pair equal, or one of them 1; the
     * missing leading dimensions count as 1). Without {@code inPlace} the result is another array (in a generated
     * forward possibly one of its reused arrays, see {@link ForwardWorkspace}); with it the result
     * is written into {@code a}, which is returned, and {@code a} must have the result's shape (as for PyTorch's
     * {@code a.add_(b)}). Both must have the same data type.
     */
    public static INDArray add(INDArray a, INDArray b, boolean inPlace) {
        return AddOp.add(a, b, inPlace);
    }

    /**
     * {@code x.view(shape)} / {@code x.reshape(shape)}: the elements of {@code x} in c order, in a new shape with the
     * same number of elements; at most one entry may be {@code -1} (inferred). Like PyTorch's {@code reshape}, a
     * view of {@code x} whenever its strides allow one (always when {@code x} is c-contiguous, as for {@code view};
     * writes through it change {@code x}), else a c-order copy (e.g. a permuted NCHW array flattened per sample).
     */
    public static INDArray reshape(INDArray x, long... shape) {
        return ReshapeOp.reshape(x, shape);
    }

    /** {@code a − b} with PyTorch's broadcasting; in place into {@code a} as {@link #add}. */
    public static INDArray sub(INDArray a, INDArray b, boolean inPlace) {
        return ArithmeticOp.sub(a, b, inPlace);
    }

    /** {@code a·b} with PyTorch's broadcasting; in place into {@code a} as {@link #add}. */
    public static INDArray mul(INDArray a, INDArray b, boolean inPlace) {
        return ArithmeticOp.mul(a, b, inPlace);
    }

    /** {@code a / b} with PyTorch's broadcasting; in place into {@code a} as {@link #add}. */
    public static INDArray div(INDArray a, INDArray b, boolean inPlace) {
        return ArithmeticOp.div(a, b, inPlace);
    }

    /** {@code x + s}, in float32 as PyTorch adds a Python number to a float32 tensor. */
    public static INDArray add(INDArray x, double s, boolean inPlace) {
        return ArithmeticOp.add(x, s, inPlace);
    }

    /** {@code x − s}. */
    public static INDArray sub(INDArray x, double s, boolean inPlace) {
        return ArithmeticOp.sub(x, s, inPlace);
    }

    /** {@code s − x}. */
    public static INDArray rsub(INDArray x, double s, boolean inPlace) {
        return ArithmeticOp.rsub(x, s, inPlace);
    }

    /** {@code x·s}. */
    public static INDArray mul(INDArray x, double s, boolean inPlace) {
        return ArithmeticOp.mul(x, s, inPlace);
    }

    /** {@code x / s}. */
    public static INDArray div(INDArray x, double s, boolean inPlace) {
        return ArithmeticOp.div(x, s, inPlace);
    }

    /** {@code s / x}. */
    public static INDArray rdiv(INDArray x, double s, boolean inPlace) {
        return ArithmeticOp.rdiv(x, s, inPlace);
    }

    /** {@code −x}. */
    public static INDArray neg(INDArray x, boolean inPlace) {
        return ArithmeticOp.neg(x, inPlace);
    }

    // ------------------------------------------------------------------------------------------------ reductions

    /** {@code x.mean(dims, keepdim)}: a new array. */
    public static INDArray mean(INDArray x, boolean keepdim, int... dims) {
        return ReduceOp.mean(x, keepdim, dims);
    }

    /** {@code x.sum(dims, keepdim)}: a new array. */
    public static INDArray sum(INDArray x, boolean keepdim, int... dims) {
        return ReduceOp.sum(x, keepdim, dims);
    }

    /** {@code x.amax(dims, keepdim)}: a new array; NaN where a reduced group has one. */
    public static INDArray amax(INDArray x, boolean keepdim, int... dims) {
        return ReduceOp.amax(x, keepdim, dims);
    }

    // ------------------------------------------------------------------------------------ axes, parts and padding

    /** {@code x.permute(dims)} (and {@code transpose}): a new c-order array. */
    public static INDArray permute(INDArray x, int... dims) {
        return PermuteOp.permute(x, dims);
    }

    /** {@code x.narrow(dim, start, length)}: a new c-order array (the pieces of {@code chunk} and {@code split}). */
    public static INDArray narrow(INDArray x, int dim, long start, long length) {
        return SliceOp.narrow(x, dim, start, length);
    }

    /** {@code x[..., start:stop:step]} along {@code dim}, bounds resolved: a new c-order array. */
    public static INDArray slice(INDArray x, int dim, long start, long stop, long step) {
        return SliceOp.slice(x, dim, start, stop, step);
    }

    /** {@code x[..., index]} along {@code dim}, the axis dropped: a new c-order array. */
    public static INDArray select(INDArray x, int dim, long index) {
        return SliceOp.select(x, dim, index);
    }

    /** {@code torch.stack(tensors, dim)}: tensors of one shape joined along a new axis. */
    public static INDArray stack(int dim, INDArray... tensors) {
        return StackOp.stack(dim, tensors);
    }

    /** {@code x.expand(sizes)}, {@code -1} keeping an axis: a new c-order array. */
    public static INDArray expand(INDArray x, long... sizes) {
        return ExpandOp.expand(x, sizes);
    }

    /**
     * {@code F.pad(x, pad, mode, value)}: {@code pad} lists (before, after) pairs from the last axis backwards;
     * {@code mode} {@code "constant"} (negative pads crop), {@code "reflect"}, {@code "replicate"} or
     * {@code "circular"}. A new array.
     */
    public static INDArray pad(INDArray x, int[] pad, String mode, double value) {
        return PadOp.pad(x, pad, mode, value);
    }

    // ------------------------------------------------------------------------------------------------ interpolate

    /**
     * {@code F.interpolate} on {@code [N, C, H, W]} to {@code [N, C, outH, outW]}, a new c-order array.
     * {@code scaleH}/{@code scaleW} are the {@code scale_factor} the size was computed from, or 0 when {@code size}
     * was given: PyTorch maps output to input coordinates with {@code 1/scale_factor} when it has one (without
     * {@code recompute_scale_factor}), else with {@code in/out}.
     *
     * <ul>
     *   <li>{@code "nearest"} (PyTorch's legacy nearest): source index {@code min(floor(dst·s), in − 1)} with the
     *       float32 scale {@code s}; {@code out == in} copies and {@code out == 2·in} takes {@code dst/2}, as
     *       PyTorch's kernel does whatever the scale. {@code alignCorners} must be false.</li>
     *   <li>{@code "bilinear"}: with {@code alignCorners} the source is {@code dst·(in − 1)/(out − 1)} (0 when
     *       {@code out == 1}); without it, half-pixel centres {@code (dst + 0.5)·s − 0.5}, negative values clamped to
     *       0. Interpolation between the two neighbouring cells, the last cell repeated at the edge; {@code out ==
     *       in} copies.</li>
     * </ul>
     */
    public static INDArray interpolate(INDArray x, int outH, int outW, double scaleH, double scaleW, String mode,
                                       boolean alignCorners) {
        return InterpolateOp.interpolate(x, outH, outW, scaleH, scaleW, mode, alignCorners);
    }
}
