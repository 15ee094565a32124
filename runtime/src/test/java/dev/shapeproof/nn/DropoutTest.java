package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link F#dropout} and {@link F#dropout2d}: identity in eval mode, the right statistics in training. */
class DropoutTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    @Test
    void evalModeIsTheIdentity() {
        INDArray x = randn(new Random(1), 1, 2, 3, 4, 4);
        assertThat(F.dropout(x, 0.5, false)).isSameInstanceAs(x);
        assertThat(F.dropout2d(x, 0.5, false)).isSameInstanceAs(x);
    }

    @Test
    void dropoutZeroesAFractionPAndScalesTheRest() {
        Nd4j.getRandom().setSeed(123);
        for (double p : new double[] {0.1, 0.3, 0.5, 0.8}) {
            // no exact zeros in x, so a zero in y is a dropped element
            INDArray x = randn(new Random(2), 1, 4, 8, 50, 50).addi(10);
            INDArray y = untouched(() -> F.dropout(x, p, true), x);
            double[] in = x.data().asDouble();
            double[] out = y.dup('c').data().asDouble();
            int zeros = 0;
            for (int i = 0; i < in.length; i++) {
                if (out[i] == 0) {
                    zeros++;
                } else {
                    assertThat(out[i]).isWithin(1e-5 * Math.abs(out[i])).of(in[i] / (1 - p));
                }
            }
            // 80,000 Bernoulli draws: the standard deviation of the fraction is at most 0.0018
            assertThat((double) zeros / in.length).isWithin(0.01).of(p);
            Kernels.record("dropout fraction error", Math.abs((double) zeros / in.length - p));
        }
    }

    @Test
    void dropoutEdgeProbabilities() {
        INDArray x = randn(new Random(3), 1, 3, 4, 5).addi(10);
        INDArray kept = untouched(() -> F.dropout(x, 0, true), x);
        assertThat(kept).isEqualTo(x);
        INDArray dropped = untouched(() -> F.dropout(x, 1, true), x);
        assertThat(dropped.sumNumber().doubleValue()).isEqualTo(0.0);
        assertThat(dropped.shape()).isEqualTo(x.shape());
        assertThat(untouched(() -> F.dropout2d(x.reshape(1, 3, 4, 5), 1, true), x).sumNumber().doubleValue())
                .isEqualTo(0.0);
        assertThrows(IllegalArgumentException.class, () -> F.dropout(x, -0.1, true));
        assertThrows(IllegalArgumentException.class, () -> F.dropout(x, 1.5, false));
        assertThrows(IllegalArgumentException.class, () -> F.dropout2d(x, Double.NaN, true));
    }

    /** Dropout acts element by element on any rank: ViT's tokens [N, L, D], a vector [N, F], a permuted view. */
    @Test
    void dropoutOnTokensAndViews() {
        Nd4j.getRandom().setSeed(77);
        double p = 0.25;
        INDArray tokens = randn(new Random(5), 1, 4, 17, 96).addi(10);
        INDArray view = randn(new Random(6), 1, 4, 96, 17).addi(10).permute(0, 2, 1);
        for (INDArray x : new INDArray[] {tokens, view, randn(new Random(7), 1, 8, 300).addi(10)}) {
            INDArray y = untouched(() -> F.dropout(x, p, true), x);
            assertThat(y.shape()).isEqualTo(x.shape());
            double[] in = x.dup('c').data().asDouble();
            double[] out = y.dup('c').data().asDouble();
            int zeros = 0;
            for (int i = 0; i < in.length; i++) {
                if (out[i] == 0) {
                    zeros++;
                } else {
                    assertThat(out[i]).isWithin(1e-5 * Math.abs(out[i])).of(in[i] / (1 - p));
                }
            }
            // 2,400 to 6,528 draws: the fraction's standard deviation is at most 0.009
            assertThat((double) zeros / in.length).isWithin(0.04).of(p);
        }
    }

    @Test
    void dropout2dZeroesWholeChannels() {
        Nd4j.getRandom().setSeed(321);
        double p = 0.4;
        INDArray x = randn(new Random(4), 1, 32, 64, 5, 6).addi(10);
        INDArray y = untouched(() -> F.dropout2d(x, p, true), x);
        int dropped = 0;
        for (int n = 0; n < 32; n++) {
            for (int c = 0; c < 64; c++) {
                double[] channel = y.get(point(n),
                        point(c)).dup('c').data().asDouble();
                double[] source = x.get(point(n),
                        point(c)).dup('c').data().asDouble();
                boolean zero = channel[0] == 0;
                if (zero) {
                    dropped++;
                }
                for (int i = 0; i < channel.length; i++) {
                    if (zero) {
                        assertThat(channel[i]).isEqualTo(0.0);
                    } else {
                        assertThat(channel[i]).isWithin(1e-5 * Math.abs(channel[i])).of(source[i] / (1 - p));
                    }
                }
            }
        }
        // 2,048 channel draws: the standard deviation of the fraction is about 0.011
        assertThat((double) dropped / (32 * 64)).isWithin(0.05).of(p);
        assertThrows(IllegalArgumentException.class, () -> F.dropout2d(x.reshape(32, 64, 30), p, true));
    }

    @Test
    void dropoutDrawsDifferentMasks() {
        INDArray x = randn(new Random(5), 1, 1000).addi(10);
        INDArray a = F.dropout(x, 0.5, true);
        INDArray b = F.dropout(x, 0.5, true);
        assertThat(a.equals(b)).isFalse();
    }
}
