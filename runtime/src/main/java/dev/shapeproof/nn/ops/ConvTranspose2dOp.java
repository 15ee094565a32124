package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.requireRank;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.shapeproof.shape.Window;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code conv_transpose2d} as the ordinary convolution it equals: the input spread out by the stride (zeros between its
 * pixels), padded by {@code d·(k−1) − p} before and that plus the output padding after (cropped where negative), then
 * convolved with stride 1, the same dilation and the weight transposed per group and flipped ({@link #kernel}).
 * Everything heavy runs in {@link Conv2dOp}, on its Java kernel or ND4J's as their limits decide; the spread-out input
 * costs stride² times the work of a direct kernel, which the decoders of UNets and FCNs (stride 2) afford.
 */
public final class ConvTranspose2dOp {
    private ConvTranspose2dOp() {}

    /**
     * @param convWeight the weight as an ordinary convolution's ({@link #kernel}), prepared once by a layer, or
     *     {@code null} to prepare it here
     * @param stride, padding, outputPadding, dilation pairs {@code {height, width}}
     */
    public static INDArray convTranspose2d(INDArray x, INDArray weight, INDArray convWeight, INDArray bias,
            int[] stride, int[] padding, int[] outputPadding, int[] dilation, int groups) {
        requireRank(x, 4, "conv_transpose2d input");
        requireRank(weight, 4, "conv_transpose2d weight");
        long channels = x.size(1);
        if (groups < 1 || channels % groups != 0 || weight.size(0) != channels) {
            throw new IllegalArgumentException("conv_transpose2d: weight " + Arrays.toString(weight.shape())
                    + " does not match input " + Arrays.toString(x.shape()) + " with groups " + groups);
        }
        INDArray kernel = convWeight != null ? convWeight : kernel(weight, groups);
        long[] shape = x.shape();
        int[] kernelSize = {(int) weight.size(2), (int) weight.size(3)};
        // Spread the input out by the stride.
        INDArray spread = x;
        if (stride[0] > 1 || stride[1] > 1) {
            long height = (shape[2] - 1) * stride[0] + 1;
            long width = (shape[3] - 1) * stride[1] + 1;
            spread = Nd4j.zeros(x.dataType(), shape[0], shape[1], height, width);
            spread.get(all(), all(), interval(0, stride[0], height), interval(0, stride[1], width)).assign(x);
        }
        // Pad by d·(k−1) − p (+ output padding after); crop where that is negative.
        long[] before = new long[2];
        long[] after = new long[2];
        for (int axis = 0; axis < 2; axis++) {
            long reach = (long) dilation[axis] * (kernelSize[axis] - 1) - padding[axis];
            before[axis] = reach;
            after[axis] = reach + outputPadding[axis];
        }
        long cropTop = Math.max(0, -before[0]);
        long cropBottom = Math.max(0, -after[0]);
        long cropLeft = Math.max(0, -before[1]);
        long cropRight = Math.max(0, -after[1]);
        if (cropTop + cropBottom + cropLeft + cropRight > 0) {
            spread = spread.get(all(), all(), interval(cropTop, spread.size(2) - cropBottom),
                    interval(cropLeft, spread.size(3) - cropRight)).dup('c');
        }
        Window height = Window.kernel(kernelSize[0]).padding((int) Math.max(0, before[0]), (int) Math.max(0, after[0]))
                .dilation(dilation[0]);
        Window width = Window.kernel(kernelSize[1]).padding((int) Math.max(0, before[1]), (int) Math.max(0, after[1]))
                .dilation(dilation[1]);
        return Conv2dOp.conv2d(spread, kernel, null, bias, height, width, groups);
    }

    /**
     * The transposed weight {@code [in, out/groups, kH, kW]} as the equivalent convolution's
     * {@code [out, in/groups, kH, kW]}: within each group input and output channels swap, and the kernel is flipped
     * on both axes. A new c-order array.
     */
    public static INDArray kernel(INDArray weight, int groups) {
        requireRank(weight, 4, "conv_transpose2d weight");
        int in = Math.toIntExact(weight.size(0));
        int outPerGroup = Math.toIntExact(weight.size(1));
        int kH = Math.toIntExact(weight.size(2));
        int kW = Math.toIntExact(weight.size(3));
        int inPerGroup = in / groups;
        float[] w = weight.dup('c').data().asFloat();
        float[] conv = new float[w.length];
        int taps = kH * kW;
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < inPerGroup; i++) {
                for (int o = 0; o < outPerGroup; o++) {
                    int source = ((g * inPerGroup + i) * outPerGroup + o) * taps;
                    int target = ((g * outPerGroup + o) * inPerGroup + i) * taps;
                    for (int t = 0; t < taps; t++) {
                        conv[target + t] = w[source + taps - 1 - t]; // flipped on both axes
                    }
                }
            }
        }
        return Nd4j.create(conv, new long[] {(long) outPerGroup * groups, inPerGroup, kH, kW}, 'c');
    }
}
