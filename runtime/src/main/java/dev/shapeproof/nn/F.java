package dev.shapeproof.nn;

import static dev.shapeproof.nn.Checks.dim;
import static dev.shapeproof.nn.Checks.requireRank;
import static dev.shapeproof.nn.Checks.requireVector;

import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The functional kernels of the runtime: PyTorch's {@code torch.nn.functional} semantics on ND4J, NCHW, with
 * parameters in PyTorch's layouts ({@code Conv2d} weight {@code [out, in/groups, kH, kW]}, {@code Linear} weight
 * {@code [out, in]}).
 *
 * <p>No method modifies its input unless it takes {@code inPlace = true}; an in-place call may overwrite {@code x}
 * and return it. Inside a generated forward ({@link ForwardWorkspace} open) results may be arrays the next call of
 * that forward overwrites; outside one they are the caller's. Small tensors are computed in plain Java
 * ({@link SmallTensors}), larger ones by ND4J. Results are correct on ND4J's plain CPU build and on its oneDNN build:
 * the ops whose oneDNN helpers are broken in 1.0.0-M2.1 (dilated convolution, dilated max pooling, rank-4 softmax)
 * run with the helpers switched off ({@link Helpers}), or, for a stride-1 dilated convolution, undilated on its
 * phases. The ND4J calls follow research/nd4j-runtime.md §2, which also lists the public calls avoided here:
 * {@code Nd4j.nn().relu/gelu/...} overwrite their input, {@code Nd4j.nn().gelu} is not PyTorch's GELU,
 * {@code Nd4j.nn().logSoftmax} always uses the last axis and underflows to {@code -inf}.
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

    // ------------------------------------------------------------------------------------------------ batch norm

    /**
     * Eval-mode {@code batch_norm} over dimension 1 with running statistics: {@code (x − mean)/sqrt(var + eps)·weight
     * + bias}; {@code weight} and {@code bias} may be {@code null} ({@code affine=False}).
     */
    public static INDArray batchNorm2d(INDArray x, INDArray runningMean, INDArray runningVar, INDArray weight,
                                       INDArray bias, double eps) {
        return BatchNorm2dOp.batchNorm2d(x, runningMean, runningVar, weight, bias, eps);
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

    // ------------------------------------------------------------------------------------------ reshape & linear

    /**
     * {@code torch.flatten(x, startDim, endDim)}, negative dims counting from the end; a view of {@code x} when
     * {@code x} is c-contiguous, else a copy.
     */
    public static INDArray flatten(INDArray x, int startDim, int endDim) {
        int rank = x.rank();
        if (rank == 0) {
            return x.reshape('c', 1L);
        }
        int start = dim(startDim, rank, "flatten start_dim");
        int end = dim(endDim, rank, "flatten end_dim");
        if (start > end) {
            throw new IllegalArgumentException("flatten: start_dim " + startDim + " comes after end_dim " + endDim
                    + " for rank " + rank);
        }
        long[] shape = x.shape();
        long[] flat = new long[rank - (end - start)];
        System.arraycopy(shape, 0, flat, 0, start);
        long merged = 1;
        for (int d = start; d <= end; d++) {
            merged *= shape[d];
        }
        flat[start] = merged;
        System.arraycopy(shape, end + 1, flat, start + 1, rank - end - 1);
        return reshaped(x, flat);
    }

    /** {@code linear}: {@code y = x·Wᵀ + b} on the last dimension of {@code x}; weight {@code [out, in]}. */
    public static INDArray linear(INDArray x, INDArray weight, INDArray bias) {
        requireRank(weight, 2, "linear weight");
        if (x.rank() < 1) {
            throw new IllegalArgumentException("linear: input must have at least one dimension");
        }
        long in = weight.size(1);
        long out = weight.size(0);
        long[] shape = x.shape();
        if (shape[shape.length - 1] != in) {
            throw new IllegalArgumentException("linear: input " + Arrays.toString(shape) + " has last dimension "
                    + shape[shape.length - 1] + ", weight " + Arrays.toString(weight.shape()) + " expects " + in);
        }
        if (bias != null) {
            requireVector(bias, out, "linear bias");
        }
        if (SmallTensors.fitLinear(x, weight, bias)) {
            return SmallTensors.linear(x, weight, bias);
        }
        INDArray rows = x.rank() == 2 ? x : x.reshape('c', x.length() / in, in);
        INDArray y = Nd4j.gemm(rows, weight, false, true); // transB: no copy of W
        if (bias != null) {
            y.addiRowVector(bias);
        }
        if (x.rank() == 2) {
            return y;
        }
        long[] outShape = shape.clone();
        outShape[outShape.length - 1] = out;
        return y.reshape('c', outShape);
    }

    // --------------------------------------------------------------------------------------------------- softmax

    /** {@code softmax} along {@code dim} (negative counts from the end). */
    public static INDArray softmax(INDArray x, int dim) {
        int d = dim(dim, x.rank(), "softmax dim");
        if (SmallTensors.fitSoftmax(x)) {
            return SmallTensors.softmax(x, d, false);
        }
        Supplier<INDArray> op = () -> Nd4j.nn().softmax(x, d);
        // oneDNN's helper is silently wrong on rank 4 (along dim 1 whenever H·W > 1).
        return x.rank() == 4 ? Helpers.withoutHelpers(op) : op.get();
    }

    /**
     * {@code log_softmax} along {@code dim}, as PyTorch computes it: {@code x − max − log Σ exp(x − max)}, finite
     * even where the softmax underflows. ND4J's {@code logSoftmax} is not used: it always works on the last axis and
     * returns {@code -inf} there.
     */
    public static INDArray logSoftmax(INDArray x, int dim) {
        int d = dim(dim, x.rank(), "log_softmax dim");
        if (SmallTensors.fitSoftmax(x)) {
            return SmallTensors.softmax(x, d, true);
        }
        INDArray shifted = x.sub(x.max(true, d));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, d), false);
        return shifted.subi(logSum);
    }

    // -------------------------------------------------------------------------------------------- cat, add, reshape

    /**
     * {@code torch.cat(tensors, dim)}: a new c-order array; {@code dim} may be negative. The inputs must have the
     * same rank (at least 1), the same data type and equal sizes on every other dimension; they are never modified,
     * and the result is a new array even for a single input.
     */
    public static INDArray cat(int dim, INDArray... tensors) {
        Objects.requireNonNull(tensors, "tensors");
        if (tensors.length == 0) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        INDArray first = Objects.requireNonNull(tensors[0], "cat: tensor 0");
        int rank = first.rank();
        if (rank == 0) {
            throw new IllegalArgumentException("cat: zero-dimensional tensor 0 cannot be concatenated");
        }
        int d = dim(dim, rank, "cat dim");
        long[] shape = first.shape();
        long total = 0;
        List<INDArray> parts = new ArrayList<>(tensors.length);
        for (int i = 0; i < tensors.length; i++) {
            INDArray t = Objects.requireNonNull(tensors[i], "cat: tensor " + i);
            long[] s = t.shape();
            boolean compatible = s.length == rank;
            for (int k = 0; compatible && k < rank; k++) {
                compatible = k == d || s[k] == shape[k];
            }
            if (!compatible) {
                throw new IllegalArgumentException("cat: tensor " + i + " " + Arrays.toString(s) + " does not match "
                        + "tensor 0 " + Arrays.toString(shape) + " on the dimensions other than " + d);
            }
            if (t.dataType() != first.dataType()) {
                throw new IllegalArgumentException("cat: tensor " + i + " is " + t.dataType() + ", tensor 0 is "
                        + first.dataType());
            }
            total += s[d];
            if (s[d] > 0) {
                parts.add(t);
            }
        }
        long[] outShape = shape.clone();
        outShape[d] = total;
        if (parts.isEmpty()) {
            return Nd4j.create(first.dataType(), outShape);
        }
        if (parts.size() == 1) {
            return parts.get(0).dup('c'); // Nd4j.concat returns a lone input itself
        }
        return Nd4j.concat(d, parts.toArray(new INDArray[0]));
    }

    /**
     * {@code a + b} with PyTorch's broadcasting (align trailing dimensions; each pair equal, or one of them 1; the
     * missing leading dimensions count as 1). Without {@code inPlace} the result is another array (in a generated
     * forward possibly one of its reused arrays, see {@link ForwardWorkspace}); with it the result
     * is written into {@code a}, which is returned, and {@code a} must have the result's shape (as for PyTorch's
     * {@code a.add_(b)}). Both must have the same data type.
     */
    public static INDArray add(INDArray a, INDArray b, boolean inPlace) {
        Objects.requireNonNull(a, "add: a");
        Objects.requireNonNull(b, "add: b");
        long[] shape = broadcastShape("add", a.shape(), b.shape());
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException("add: a is " + a.dataType() + ", b is " + b.dataType());
        }
        if (inPlace && !Arrays.equals(shape, a.shape())) {
            throw new IllegalArgumentException("add: in place, a " + Arrays.toString(a.shape())
                    + " does not have the broadcast shape " + Arrays.toString(shape));
        }
        if (Arrays.equals(a.shape(), b.shape()) && SmallTensors.fit(a, b)) {
            return SmallTensors.add(a, b, inPlace);
        }
        // The "add" custom op broadcasts numpy-style, ranks may differ, inputs may be views; z may be a itself.
        INDArray z = inPlace ? a : Nd4j.create(a.dataType(), shape);
        Nd4j.exec(new AddOp(new INDArray[] {a, b}, new INDArray[] {z}));
        return z;
    }

    /** PyTorch's broadcast shape of two shapes; throws on a mismatch. */
    private static long[] broadcastShape(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] shape = new long[rank];
        for (int k = 0; k < rank; k++) {
            int i = a.length - rank + k;
            int j = b.length - rank + k;
            long sa = i >= 0 ? a[i] : 1;
            long sb = j >= 0 ? b[j] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": the size of a (" + sa + ") must match the size of b (" + sb
                        + ") at non-singleton dimension " + k + ": " + Arrays.toString(a) + " vs "
                        + Arrays.toString(b));
            }
            shape[k] = sa == 1 ? sb : sa;
        }
        return shape;
    }

    /**
     * {@code x.view(shape)} / {@code x.reshape(shape)}: the elements of {@code x} in c order, in a new shape with the
     * same number of elements; at most one entry may be {@code -1} (inferred). Like PyTorch's {@code reshape}, a
     * view of {@code x} whenever its strides allow one (always when {@code x} is c-contiguous, as for {@code view};
     * writes through it change {@code x}), else a c-order copy (e.g. a permuted NCHW array flattened per sample).
     */
    public static INDArray reshape(INDArray x, long... shape) {
        Objects.requireNonNull(x, "reshape: x");
        Objects.requireNonNull(shape, "reshape: shape");
        long[] resolved = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int k = 0; k < resolved.length; k++) {
            if (resolved[k] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be inferred: "
                            + Arrays.toString(shape));
                }
                inferred = k;
            } else if (resolved[k] < 0) {
                throw new IllegalArgumentException("reshape: invalid shape dimension " + resolved[k] + " in "
                        + Arrays.toString(shape));
            } else {
                known *= resolved[k];
            }
        }
        long length = x.length();
        if (inferred >= 0) {
            if (known == 0) {
                throw new IllegalArgumentException("reshape: cannot reshape a tensor of " + length + " elements into "
                        + Arrays.toString(shape) + ": the unspecified dimension -1 can be any value");
            }
            if (length % known != 0) {
                throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape)
                        + " is invalid for input of size " + length);
            }
            resolved[inferred] = length / known;
        } else if (known != length) {
            throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape)
                    + " is invalid for input of size " + length);
        }
        return reshaped(x, resolved);
    }

    /**
     * {@code x.reshape('c', shape)}: a view when the strides allow it, else ND4J copies. In a generated forward the
     * view made at this point of the previous call is reused when it is of the same array ({@link ForwardWorkspace}).
     */
    private static INDArray reshaped(INDArray x, long[] shape) {
        return CallMemory.reshaped(x, shape);
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
        requireRank(x, 4, "interpolate input");
        Objects.requireNonNull(mode, "interpolate mode");
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("interpolate: output size " + outH + "×" + outW + " must be positive");
        }
        for (double scale : new double[] {scaleH, scaleW}) {
            if (!(scale >= 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("interpolate: scale factor " + scale
                        + " must be positive (or 0 when a size was given)");
            }
        }
        int inH = Math.toIntExact(x.size(2));
        int inW = Math.toIntExact(x.size(3));
        if (inH < 1 || inW < 1) {
            throw new IllegalArgumentException("interpolate: empty input " + Arrays.toString(x.shape()));
        }
        switch (mode) {
            case "nearest":
                if (alignCorners) {
                    throw new IllegalArgumentException("interpolate: align_corners is only for the linear modes, "
                            + "not \"nearest\"");
                }
                return nearest(x, nearestIndices(inH, outH, scaleH), nearestIndices(inW, outW, scaleW));
            case "bilinear":
                return bilinear(x, linearWeights(inH, outH, scaleH, alignCorners),
                        linearWeights(inW, outW, scaleW, alignCorners));
            default:
                throw new IllegalArgumentException("interpolate: mode \"" + mode
                        + "\" is not supported (\"nearest\", \"bilinear\")");
        }
    }

    /**
     * PyTorch's {@code nearest_idx} (aten/src/ATen/native/UpSample.h) for every output index: identity when
     * {@code out == in}, {@code dst >> 1} when {@code out == 2·in}, else {@code min(floorf(dst·s), in − 1)}
     * computed in float32 with {@code s = (float) (1/scale)}, or {@code (float) in/out} without a scale.
     */
    private static int[] nearestIndices(int in, int out, double scale) {
        int[] index = new int[out];
        float s = scale > 0 ? (float) (1.0 / scale) : (float) in / out;
        for (int i = 0; i < out; i++) {
            if (out == in) {
                index[i] = i;
            } else if (out == 2 * in) {
                index[i] = i >> 1;
            } else {
                index[i] = Math.min((int) Math.floor(i * s), in - 1); // i·s: a float product, as in PyTorch
            }
        }
        return index;
    }

    /** {@code k} when {@code index[i] == i / k} for every {@code i} and {@code out == k·in}, else 0. */
    private static int repeatFactor(int[] index, int in) {
        if (index.length % in != 0) {
            return 0;
        }
        int k = index.length / in;
        for (int i = 0; i < index.length; i++) {
            if (index[i] != i / k) {
                return 0;
            }
        }
        return k;
    }

    /**
     * Nearest: when both axes repeat every cell an integer number of times, ND4J's {@code upsampling2d} (exactly
     * that); otherwise one {@code gather} per axis that changes, with PyTorch's indices. ND4J's
     * {@code ResizeNearestNeighbor} is not used: its coordinate rules are TensorFlow's, and it knows no scale factor.
     */
    private static INDArray nearest(INDArray x, int[] rows, int[] cols) {
        int inH = Math.toIntExact(x.size(2));
        int inW = Math.toIntExact(x.size(3));
        int kH = repeatFactor(rows, inH);
        int kW = repeatFactor(cols, inW);
        if (kH == 1 && kW == 1) {
            return x.dup('c');
        }
        if (kH > 0 && kW > 0) {
            return Nd4j.cnn().upsampling2d(x, kH, kW, true);
        }
        // Indices as an array: Gather's int[] form treats a single index as a scalar and drops the axis.
        INDArray y = x;
        if (kH != 1) {
            y = Nd4j.exec(new Gather(y, Nd4j.createFromArray(rows), 2))[0];
        }
        if (kW != 1) {
            y = Nd4j.exec(new Gather(y, Nd4j.createFromArray(cols), 3))[0];
        }
        return y;
    }

    /**
     * The {@code [out, in]} matrix of PyTorch's linear interpolation weights along one axis
     * ({@code compute_source_index_and_lambda} in aten/src/ATen/native/cpu/UpSampleKernel.cpp, float32 like
     * PyTorch's kernel for float input): each row holds {@code λ0} at {@code i0 = (int) src} and {@code λ1} at
     * {@code min(i0 + 1, in − 1)}; {@code null} when the axis is copied ({@code out == in}).
     */
    private static float[][] linearWeights(int in, int out, double scale, boolean alignCorners) {
        if (out == in) {
            return null;
        }
        float ratio;
        if (alignCorners) {
            ratio = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
        } else {
            ratio = scale > 0 ? (float) (1.0 / scale) : (float) in / out;
        }
        float[][] weights = new float[out][in];
        for (int i = 0; i < out; i++) {
            float src;
            if (alignCorners) {
                src = ratio * i;
            } else {
                src = (float) (ratio * (i + 0.5) - 0.5); // PyTorch: scale * (dst + 0.5) - 0.5 in double, to float
                src = src < 0 ? 0f : src;
            }
            int i0 = (int) src;
            int i1 = i0 < in - 1 ? i0 + 1 : i0;
            float lambda1 = Math.min(Math.max(src - i0, 0f), 1f);
            float lambda0 = 1f - lambda1;
            weights[i][i0] += lambda0;
            weights[i][i1] += lambda1;
        }
        return weights;
    }

    /**
     * Bilinear as two interpolation-matrix products, {@code out = Ah · x · Awᵀ} per {@code (n, c)}: first one gemm
     * {@code [N·C·H, W] · Awᵀ}, then a batched matmul with {@code Ah}. Each output is {@code λ0·a + λ1·b} per axis,
     * PyTorch's own arithmetic (the other weights are exact zeros), with PyTorch's coordinates, including the
     * {@code 1/scale_factor} mapping. ND4J's {@code ResizeBilinear} is not used: it needs NHWC c-order copies in and
     * out, knows no scale factor (in/out only), and {@code Nd4j.image().resizeBiLinear} always throws. (A
     * non-finite input value spreads along its row and column here, through 0·inf.)
     */
    private static INDArray bilinear(INDArray x, float[][] rowWeights, float[][] colWeights) {
        long n = x.size(0);
        long channels = x.size(1);
        long inH = x.size(2);
        long inW = x.size(3);
        if (rowWeights == null && colWeights == null) {
            return x.dup('c');
        }
        long outH = rowWeights == null ? inH : rowWeights.length;
        long outW = colWeights == null ? inW : colWeights.length;
        INDArray y = x;
        if (colWeights != null) {
            INDArray aw = Nd4j.createFromArray(colWeights).castTo(x.dataType()); // [outW, inW]
            y = Nd4j.gemm(x.reshape('c', n * channels * inH, inW), aw, false, true); // transB: no copy
        }
        if (rowWeights != null) {
            long batch = n * channels;
            INDArray ah = Nd4j.createFromArray(rowWeights).castTo(x.dataType()); // [outH, inH]
            // ND4J's matmul does not broadcast a rank-2 operand against a rank-3 one: repeat Ah per (n, c).
            INDArray ahs = ah.reshape('c', 1, outH, inH).broadcast(batch, outH, inH);
            y = Nd4j.matmul(ahs, y.reshape('c', batch, inH, outW));
        }
        return y.reshape('c', n, channels, outH, outW);
    }
}
