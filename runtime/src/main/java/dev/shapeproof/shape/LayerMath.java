package dev.shapeproof.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Parameter shapes and multiply-accumulate counts of the layers that have them, for one sample.
 *
 * <p>MACs follow the usual convention (ptflops, fvcore): a convolution does {@code (in/groups)·kH·kW} per output
 * element, a linear layer {@code in·out} per row; the bias add is reported separately, other ops count 0.
 */
public final class LayerMath {
    private LayerMath() {}

    /** {@code weight [out, in/groups, kH, kW]} and, with bias, {@code bias [out]}. */
    public static List<ParameterShape> conv2dParameters(int in, int out, int groups, int kernelH, int kernelW,
            boolean bias) {
        List<ParameterShape> parameters = new ArrayList<>();
        parameters.add(ParameterShape.parameter("weight", out, in / groups, kernelH, kernelW));
        if (bias) {
            parameters.add(ParameterShape.parameter("bias", out));
        }
        return List.copyOf(parameters);
    }

    /** {@code weight [out, in]} and, with bias, {@code bias [out]}. */
    public static List<ParameterShape> linearParameters(int in, int out, boolean bias) {
        List<ParameterShape> parameters = new ArrayList<>();
        parameters.add(ParameterShape.parameter("weight", out, in));
        if (bias) {
            parameters.add(ParameterShape.parameter("bias", out));
        }
        return List.copyOf(parameters);
    }

    /**
     * {@code weight} and {@code bias} (with {@code affine}), then the buffers {@code running_mean},
     * {@code running_var} and the 0-d {@code num_batches_tracked}, in PyTorch's {@code state_dict} order.
     */
    public static List<ParameterShape> batchNorm2dParameters(int features, boolean affine) {
        List<ParameterShape> parameters = new ArrayList<>();
        if (affine) {
            parameters.add(ParameterShape.parameter("weight", features));
            parameters.add(ParameterShape.parameter("bias", features));
        }
        parameters.add(ParameterShape.buffer("running_mean", features));
        parameters.add(ParameterShape.buffer("running_var", features));
        parameters.add(ParameterShape.buffer("num_batches_tracked"));
        return List.copyOf(parameters);
    }

    /** {@code ConvTranspose2d}: {@code weight [in, out/groups, kH, kW]} and, with bias, {@code bias [out]}. */
    public static List<ParameterShape> convTranspose2dParameters(int in, int out, int groups, int kernelH,
            int kernelW, boolean bias) {
        List<ParameterShape> parameters = new ArrayList<>();
        parameters.add(ParameterShape.parameter("weight", in, out / groups, kernelH, kernelW));
        if (bias) {
            parameters.add(ParameterShape.parameter("bias", out));
        }
        return List.copyOf(parameters);
    }

    /**
     * {@code LayerNorm} and {@code GroupNorm}: with {@code affine}, {@code weight} and {@code bias} of
     * {@code shape} (the normalized shape; the channels for GroupNorm); no buffers.
     */
    public static List<ParameterShape> normParameters(long[] shape, boolean affine) {
        if (!affine) {
            return List.of();
        }
        return List.of(ParameterShape.parameter("weight", shape), ParameterShape.parameter("bias", shape));
    }

    /**
     * {@code MultiheadAttention(embed_dim)} with equal query, key and value sizes: {@code in_proj_weight [3E, E]},
     * {@code in_proj_bias [3E]}, then its {@code out_proj} Linear's {@code weight [E, E]} and {@code bias [E]}, in
     * PyTorch's state_dict order (the biases with {@code bias}).
     */
    public static List<ParameterShape> attentionParameters(int embedDim, boolean bias) {
        List<ParameterShape> parameters = new ArrayList<>();
        parameters.add(ParameterShape.parameter("in_proj_weight", 3L * embedDim, embedDim));
        if (bias) {
            parameters.add(ParameterShape.parameter("in_proj_bias", 3L * embedDim));
        }
        parameters.add(ParameterShape.parameter("out_proj.weight", embedDim, embedDim));
        if (bias) {
            parameters.add(ParameterShape.parameter("out_proj.bias", embedDim));
        }
        return List.copyOf(parameters);
    }

    /** Convolution MACs for one sample: {@code outputElements·(in/groups)·kH·kW}; the bias is not included. */
    public static long conv2dMacs(TensorShape output, int in, int groups, int kernelH, int kernelW) {
        return Math.multiplyExact(output.sampleSize(),
                Math.multiplyExact(Math.multiplyExact((long) (in / groups), kernelH), kernelW));
    }

    /** Linear MACs for one sample: {@code in·out} for each row (every dimension but the batch and the last). */
    public static long linearMacs(TensorShape input, int out) {
        long rows = input.product(1, input.rank() - 1);
        return Math.multiplyExact(rows, Math.multiplyExact((long) input.dim(-1), out));
    }
}
