package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link Init}'s uniform draws, written natively chunk by chunk, are the seeded stream's values in c order. */
class InitTest {
    private static float[] expected(long seed, double bound, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return values;
    }

    @Test
    void uniformIsTheSeededStreamInCOrderAcrossChunks() {
        long[] shape = {64, 7, 9, 5}; // 20,160 elements: more than one chunk, the last one partial
        INDArray array = Init.uniform(new SplittableRandom(42), 7 * 9 * 5, shape);

        assertThat(array.shape()).isEqualTo(shape);
        assertThat(array.ordering()).isEqualTo('c');
        assertThat(array.data().asFloat()).isEqualTo(expected(42, 1 / Math.sqrt(7 * 9 * 5), 20_160));
    }

    @Test
    void xavierUniformIsTheSeededStream() {
        INDArray array = Init.xavierUniform(new SplittableRandom(7), 30, 20);

        assertThat(array.shape()).isEqualTo(new long[] {30, 20});
        assertThat(array.data().asFloat()).isEqualTo(expected(7, Math.sqrt(6.0 / 50), 600));
    }
}
