package dev.shapeproof.nn.ops;

import static dev.shapeproof.nn.ops.DnnlNative.Plan.bind;

import dev.shapeproof.nn.ops.DnnlNative.Plan;
import dev.shapeproof.nn.ops.DnnlNative.Reorder;
import java.util.Arrays;
import java.util.function.Supplier;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A strided array copied into a new dense c-order one by oneDNN's reorder primitives, built once per shape, strides
 * and thread. Why: a convolution's channels-last result leaves a forward as a c-order copy, and a direct transpose of
 * it is slow both in ND4J and in oneDNN (8×32×128×128 floats, one thread: about 12.9 ms, a fifth of the dilated
 * stack's forward). Through oneDNN's 16-channel blocked layout it is two fast passes (3.7 ms to the blocks, 2.7 ms
 * out of them, measured with {@code ONEDNN_VERBOSE}), so channels last with a multiple of 16 channels goes that way.
 */
final class DnnlReorder {
    private static final int BLOCK = 16;

    private DnnlReorder() {}

    /** {@code x} (rank 1 to 6, float32, positive strides) as a new c-order array in the current memory. */
    static INDArray toDenseC(INDArray x) {
        long[] shape = x.shape();
        String key = "reorder|" + Arrays.toString(shape) + Arrays.toString(x.stride()) + "|t" + DnnlNative.threads();
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, shape);
        if (shape.length == 4 && shape[1] % BLOCK == 0 && MemoryOrder.isChannelsLast(x)) {
            Reorder in = reorder(key + "|to-blocks",
                    () -> new Reorder(DnnlNative.describe(x), DnnlNative.byTag(shape, dnnl.dnnl_aBcd16b), null));
            Reorder out = reorder(key + "|from-blocks", () -> new Reorder(DnnlNative.byTag(shape, dnnl.dnnl_aBcd16b),
                    DnnlNative.byTag(shape, plainTag(shape.length)), null));
            try (MemoryWorkspace scratch = CallMemory.scratch()) {
                INDArray blocks = Nd4j.createUninitialized(DataType.FLOAT, x.length());
                run(in, x, blocks);
                run(out, blocks, y);
            }
            return y;
        }
        run(reorder(key, () -> new Reorder(DnnlNative.describe(x), DnnlNative.byTag(shape, plainTag(shape.length)),
                null)), x, y);
        return y;
    }

    /**
     * Copies the image batch {@code part} {@code [N, C, H, W]} (float32, positive strides) into channels
     * {@code [channel, channel + C)} of {@code pixels}, a c-order {@code [N, H, W, total]} array: one reorder, with
     * no ND4J view made (each costs microseconds, as much as copying a small map).
     */
    static void copyIntoChannels(INDArray part, INDArray pixels, long channel) {
        long total = pixels.size(3);
        String key = "channels|" + Arrays.toString(part.shape()) + Arrays.toString(part.stride()) + "|" + total + "|t"
                + DnnlNative.threads();
        Reorder reorder = reorder(key, () -> new Reorder(DnnlNative.describe(part), DnnlNative.byStrides(
                part.shape(), new long[] {pixels.size(1) * pixels.size(2) * total, 1, pixels.size(2) * total, total}),
                null));
        bind(reorder.from, DnnlNative.address(part));
        bind(reorder.to, DnnlNative.address(pixels, channel));
        reorder.execute();
    }

    /** The reorder cached under {@code key} on this thread, built (descriptors and primitive) only the first time. */
    private static Reorder reorder(String key, Supplier<Reorder> build) {
        Plan cached = DnnlNative.plan(key);
        return cached != null ? (Reorder) cached : DnnlNative.remember(key, build.get());
    }

    private static void run(Reorder reorder, INDArray from, INDArray to) {
        bind(reorder.from, DnnlNative.address(from));
        bind(reorder.to, DnnlNative.address(to));
        reorder.execute();
    }

    private static int plainTag(int rank) {
        return switch (rank) {
            case 1 -> dnnl.dnnl_a;
            case 2 -> dnnl.dnnl_ab;
            case 3 -> dnnl.dnnl_abc;
            case 4 -> dnnl.dnnl_abcd;
            case 5 -> dnnl.dnnl_abcde;
            case 6 -> dnnl.dnnl_abcdef;
            default -> throw new IllegalArgumentException("rank " + rank);
        };
    }
}
