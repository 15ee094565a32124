package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        // 2,048 channel draws: the standard deviation of the fraction is about 0.011
        assertThat(droppedChannels(x, y, p) / (32 * 64)).isWithin(0.05).of(p);
    }

    /** PyTorch 1.13 runs dropout2d on [N, C, L] as channel-wise 1-D dropout, on [N, F] as plain dropout (warning). */
    @Test
    void dropout2dOnOtherRanksDrawsPerSampleAndChannel() {
        Nd4j.getRandom().setSeed(322);
        double p = 0.4;
        INDArray x3 = randn(new Random(6), 1, 32, 64, 30).addi(10);
        assertThat(droppedChannels(x3, untouched(() -> F.dropout2d(x3, p, true), x3), p) / (32 * 64))
                .isWithin(0.05).of(p);
        INDArray x2 = randn(new Random(7), 1, 32, 64).addi(10);
        assertThat(droppedChannels(x2, untouched(() -> F.dropout2d(x2, p, true), x2), p) / (32 * 64))
                .isWithin(0.05).of(p);
        INDArray x1 = randn(new Random(8), 1, 64);
        assertThrows(IllegalArgumentException.class, () -> F.dropout2d(x1, p, true));
    }

    /**
     * How many (sample, channel) pairs of {@code y} were dropped, checking that each is either all zero or its input
     * scaled by {@code 1/(1−p)}.
     */
    private static double droppedChannels(INDArray x, INDArray y, double p) {
        long n = x.size(0);
        long c = x.size(1);
        double[] source = x.dup('c').data().asDouble();
        double[] dropped = y.dup('c').data().asDouble();
        int per = (int) (source.length / (n * c));
        int count = 0;
        for (int channel = 0; channel < n * c; channel++) {
            boolean zero = dropped[channel * per] == 0;
            if (zero) {
                count++;
            }
            for (int i = channel * per; i < (channel + 1) * per; i++) {
                if (zero) {
                    assertThat(dropped[i]).isEqualTo(0.0);
                } else {
                    assertThat(dropped[i]).isWithin(1e-5 * Math.abs(dropped[i])).of(source[i] / (1 - p));
                }
            }
        }
        return count;
    }

    @Test
    void dropoutDrawsDifferentMasks() {
        INDArray x = randn(new Random(5), 1, 1000).addi(10);
        INDArray a = F.dropout(x, 0.5, true);
        INDArray b = F.dropout(x, 0.5, true);
        assertThat(a.equals(b)).isFalse();
    }
}
