package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link BatchNorm2dOp#foldWeight}, computed natively, has the rounding of the Java {@code (float) (w · α)}. */
class BatchNormFoldTest {
    @Test
    void theFoldedWeightIsTheDoubleProductRoundedToFloat() {
        Random random = new Random(5);
        int out = 24;
        int perChannel = 16 * 3 * 3;
        float[] w = new float[out * perChannel];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        double[] alpha = new double[out];
        for (int o = 0; o < out; o++) {
            alpha[o] = (1 + 0.3 * random.nextGaussian()) / Math.sqrt(1 + random.nextDouble() + 1e-5);
        }
        INDArray weight = Nd4j.create(w, new long[] {out, 16, 3, 3}, 'c');
        float[] expected = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            expected[i] = (float) (w[i] * alpha[i / perChannel]);
        }

        for (INDArray layout : new INDArray[] {weight, weight.dup('f')}) {
            INDArray folded = BatchNorm2dOp.foldWeight(layout, alpha);

            assertThat(folded.dataType()).isEqualTo(DataType.FLOAT);
            assertThat(folded.shape()).isEqualTo(new long[] {out, 16, 3, 3});
            assertThat(Layouts.isDenseC(folded)).isTrue();
            assertThat(folded.data().asFloat()).isEqualTo(expected);
        }
        assertThat(weight.data().asFloat()).isEqualTo(w); // the layer's weight is left alone
    }
}
