package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Layouts#denseCCopy}: the same elements as ND4J's {@code dup('c')}, dense in c order, on every path (oneDNN's
 * reorders through 16-channel blocks, its direct reorder, ND4J's copy) and for every layout that reaches it.
 */
class DenseCCopyTest {
    private static INDArray random(long... shape) {
        Random random = new Random(Long.hashCode(java.util.Arrays.hashCode(shape)));
        float[] values = new float[Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(values, shape, 'c');
    }

    /** {@code [N, C, H, W]} laid out channels last, as a convolution's result. */
    private static INDArray channelsLast(long n, long c, long h, long w) {
        return random(n, h, w, c).permute(0, 3, 1, 2);
    }

    private static void assertCopies(INDArray x) {
        INDArray copy = Layouts.denseCCopy(x);
        assertThat(copy.shape()).isEqualTo(x.shape());
        assertThat(Layouts.isDenseC(copy)).isTrue();
        assertThat(copy).isNotSameInstanceAs(x);
        float[] expected = x.dup('c').data().asFloat();
        assertThat(copy.data().asFloat()).isEqualTo(expected);
    }

    @Test
    void channelsLastWithChannelsInBlocksOfSixteen() {
        assertCopies(channelsLast(2, 32, 40, 40));
        assertCopies(channelsLast(1, 64, 33, 17));
    }

    @Test
    void channelsLastWithOtherChannelCounts() {
        assertCopies(channelsLast(2, 21, 64, 64));
        assertCopies(channelsLast(1, 3, 128, 64));
    }

    @Test
    void otherStridesAndSmallArrays() {
        assertCopies(random(4, 64, 128).permute(2, 0, 1));          // any permutation
        assertCopies(random(8, 64, 100).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 32),
                org.nd4j.linalg.indexing.NDArrayIndex.all()));       // a slice with gaps
        assertCopies(channelsLast(1, 16, 3, 3));                     // below the reorder's size
        assertCopies(random(3, 4, 5).castTo(DataType.FLOAT));        // already dense
    }
}
