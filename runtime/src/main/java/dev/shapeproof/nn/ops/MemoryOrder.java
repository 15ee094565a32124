package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs element-wise ops on an array in the order its elements lie in memory. oneDNN's convolutions return channels-last
 * arrays, which every other op sees as NCHW arrays with permuted strides; ND4J's pointwise kernels walk such an array
 * element by element through its shape (about 100× slower than on the same array in c order), and the Java kernels
 * only take c order. Viewed with its dimensions in memory order the same buffer is a dense c-order array, so an
 * element-wise op runs on that view at c-order speed, and its result, permuted back, keeps the input's layout: no
 * element is reordered, and the next convolution reads the result as it is.
 *
 * <p>An element-wise op computes each element from the same elements whatever order it visits them in, so the numbers
 * are those of the same op on a c-order copy.
 */
final class MemoryOrder {
    /** {@code [N, C, H, W]} in the memory order {@code N, H, W, C}. */
    static final int[] CHANNELS_LAST = {0, 2, 3, 1};

    private MemoryOrder() {}

    /** {@code op(x)}, on {@code x} viewed in its memory order when it is dense in a permuted order. */
    static INDArray unary(INDArray x, UnaryOperator<INDArray> op) {
        int[] order = permutedOrder(x);
        if (order == null) {
            return op.apply(x);
        }
        INDArray viewed = view(x, order);
        return inputOrBack(op.apply(viewed), viewed, x, order);
    }

    /**
     * {@code op(a, b)} for a broadcasting op whose result has {@code a}'s shape or {@code b}'s: on both viewed in
     * {@code a}'s memory order when {@code a} is dense in a permuted order and {@code b} is dense in the same order
     * (a per-channel {@code [N, C, 1, 1]} is, for every order); else on the arrays as they are. Broadcasting commutes
     * with a permutation applied to both operands.
     */
    static INDArray binary(INDArray a, INDArray b, BinaryOperator<INDArray> op) {
        int[] order = permutedOrder(a);
        if (order == null || b.rank() > a.rank()) {
            return op.apply(a, b);
        }
        INDArray sameRank = b.rank() == a.rank() ? b : b.reshape(leadingOnes(b.shape(), a.rank()));
        INDArray bInOrder = sameRank.permute(order);
        if (!Layouts.isDenseC(bInOrder)) {
            return op.apply(a, b);
        }
        INDArray viewed = view(a, order);
        return inputOrBack(op.apply(viewed, view(sameRank, order)), viewed, a, order);
    }

    /** Whether {@code x} is an image batch {@code [N, C, H, W]} laid out channels last, dense. */
    static boolean isChannelsLast(INDArray x) {
        return x.rank() == 4 && Arrays.equals(permutedOrder(x), CHANNELS_LAST);
    }

    /**
     * The dimensions of {@code x}, outermost in memory first, when {@code x} is dense in that order and it is not c
     * order; else {@code null}.
     */
    static int[] permutedOrder(INDArray x) {
        if (x.isEmpty() || x.rank() < 2 || Layouts.isDenseC(x)) {
            return null;
        }
        long[] shape = x.shape();
        long[] stride = x.stride();
        int rank = shape.length;
        // Size-1 dimensions first (their strides mean nothing), then the others outermost first.
        int[] order = IntStream.range(0, rank).boxed()
                .sorted(Comparator.<Integer>comparingInt(k -> shape[k] == 1 ? 0 : 1)
                        .thenComparing(k -> shape[k] == 1 ? 0 : -stride[k]))
                .mapToInt(Integer::intValue).toArray();
        long expected = 1;
        for (int k = rank - 1; k >= 0; k--) {
            int dim = order[k];
            if (shape[dim] != 1 && stride[dim] != expected) {
                return null;
            }
            expected *= shape[dim];
        }
        return order;
    }

    /**
     * {@code x}'s buffer as a c-order array of {@code x}'s shape permuted by {@code order}: a view made with c-order
     * strides and the c flag, which ND4J's dense kernels and the Java kernels take.
     */
    static INDArray view(INDArray x, int[] order) {
        long[] shape = new long[order.length];
        for (int k = 0; k < order.length; k++) {
            shape[k] = x.size(order[k]);
        }
        return Nd4j.create(x.data(), shape, cStrides(shape), x.offset(), 'c');
    }

    /**
     * A dense copy of {@code x} in the current workspace with {@code x}'s memory order when it is dense in a permuted
     * one (a convolution's channels-last result stays channels last, so the next convolution needs no reorder), else
     * in c order.
     */
    static INDArray copyKeepingOrder(INDArray x) {
        int[] order = permutedOrder(x);
        return order == null ? x.dup('c') : back(view(x, order).dup('c'), order);
    }

    /** {@code input} itself when the op worked in place on its view, else {@link #back}. */
    private static INDArray inputOrBack(INDArray y, INDArray view, INDArray input, int[] order) {
        return y == view ? input : back(y, order);
    }

    /** {@code y}, computed on views in memory order, with its dimensions back in logical order. */
    static INDArray back(INDArray y, int[] order) {
        int[] inverse = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            inverse[order[k]] = k;
        }
        return y.permute(inverse);
    }

    private static long[] cStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            strides[k] = stride;
            stride *= shape[k];
        }
        return strides;
    }

    private static long[] leadingOnes(long[] shape, int rank) {
        long[] padded = new long[rank];
        Arrays.fill(padded, 1);
        System.arraycopy(shape, 0, padded, rank - shape.length, shape.length);
        return padded;
    }
}
