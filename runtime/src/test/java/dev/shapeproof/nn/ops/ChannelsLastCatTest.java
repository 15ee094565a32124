package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code cat} along the channels of image batches of which some are channels last (convolutions' results): the
 * result is channels last, with the elements of a c-order concat, whatever mix of layouts comes in.
 */
class ChannelsLastCatTest {
    private static INDArray random(Random random, long... shape) {
        float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(values, shape, 'c');
    }

    private static INDArray channelsLast(Random random, long n, long c, long h, long w) {
        return random(random, n, h, w, c).permute(0, 3, 1, 2);
    }

    private static void assertCat(INDArray... parts) {
        INDArray[] dense = Arrays.stream(parts).map(p -> p.dup('c')).toArray(INDArray[]::new);
        INDArray expected = Nd4j.concat(1, dense);
        INDArray y = CatOp.cat(1, parts);
        assertThat(y.shape()).isEqualTo(expected.shape());
        assertThat(MemoryOrder.isChannelsLast(y)).isTrue();
        assertThat(y.dup('c').data().asFloat()).isEqualTo(expected.data().asFloat());
    }

    @Test
    void channelsLastInputsGiveAChannelsLastResult() {
        Random random = new Random(1);
        assertCat(channelsLast(random, 2, 32, 9, 7), channelsLast(random, 2, 16, 9, 7),
                channelsLast(random, 2, 5, 9, 7));
    }

    @Test
    void aMixOfLayoutsToo() {
        Random random = new Random(2);
        INDArray pooled = random(random, 1, 8, 1, 1);
        INDArray broadcast = pooled.broadcast(1, 8, 33, 33);               // zero strides, as an expand gives
        assertCat(channelsLast(random, 1, 32, 33, 33), random(random, 1, 3, 33, 33),
                channelsLast(random, 1, 32, 33, 33).dup('c'), broadcast);
    }
}
