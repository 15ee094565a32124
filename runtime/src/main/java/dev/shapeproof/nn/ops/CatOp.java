package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.Checks.dim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code torch.cat}: the inputs checked as PyTorch checks them, then ND4J's concat of the non-empty ones. */
public final class CatOp {
    private CatOp() {}

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
        if (d == 1 && rank == 4 && first.dataType() == DataType.FLOAT
                && parts.stream().anyMatch(MemoryOrder::isChannelsLast)) {
            return channelsLast(parts, outShape);
        }
        return Nd4j.concat(d, parts.toArray(new INDArray[0]));
    }

    /**
     * Image batches, some laid out channels last (convolutions' results), joined along the channels into a
     * channels-last result: a channels-last input is one dense block per pixel, copied into its channel range, and
     * the next convolution reads the result as it is. ND4J's concat would read them element by element and write c
     * order, which that convolution then reorders back (DeepLab's ASPP head joins four convolutions' maps and its
     * pooling branch, DenseNet's layers every feature map before them). The layout is the runtime's choice: views of
     * the result follow PyTorch's strides, which the processor checked, and reshape copies where ND4J needs.
     */
    private static INDArray channelsLast(List<INDArray> parts, long[] outShape) {
        long n = outShape[0];
        long h = outShape[2];
        long w = outShape[3];
        INDArray pixels = Nd4j.createUninitialized(DataType.FLOAT, n, h, w, outShape[1]);
        long channel = 0;
        for (INDArray part : parts) {
            long c = part.size(1);
            if (Dnnl.on() && Layouts.positiveStrides(part)) {
                DnnlReorder.copyIntoChannels(part, pixels, channel);
            } else {
                pixels.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(channel, channel + c)).assign(part.permute(0, 2, 3, 1));
            }
            channel += c;
        }
        return pixels.permute(0, 3, 1, 2);
    }
}
