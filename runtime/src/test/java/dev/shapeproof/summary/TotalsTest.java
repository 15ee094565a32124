package dev.shapeproof.summary;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.shape.LayerMath;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import dev.shapeproof.summary.SummaryRow.Geometry;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link ModelSummary#totals(int)} and MACs, hand-computed. */
class TotalsTest {

    @Test
    void seedNetForABatchOfSeven() {
        Totals totals = Models.seedNet().totals(7);
        assertThat(totals.params()).isEqualTo(21_840); // parameters do not scale with the batch
        assertThat(totals.trainableParams()).isEqualTo(21_840);
        assertThat(totals.buffers()).isEqualTo(0);
        // MACs 144,000 + 320,000 + 16,000 + 500 = 480,500 per sample (summary-anchors §c)
        assertThat(totals.macs()).isEqualTo(7 * 480_500);
        assertThat(totals.biasAdds()).isEqualTo(7 * (5_760 + 1_280 + 50 + 10));
        assertThat(totals.inputBytes()).isEqualTo(7 * 784 * 4);
        // every row's output, twice: 2 · 7 · (5,760 + 1,280 + 1,280 + 50 + 10) · 4 (torchinfo skips the Dropout's)
        assertThat(totals.forwardBackwardBytes()).isEqualTo(2 * 7 * 8_380 * 4);
        assertThat(totals.paramBytes()).isEqualTo(87_360);
        assertThat(totals.naiveTotalBytes()).isEqualTo(21_952 + 469_280 + 87_360);
        assertThat(totals.inferencePeakActivationBytes()).isEqualTo(OptionalLong.of(7 * 31_936));
        assertThat(totals.inferenceBytes()).isEqualTo(OptionalLong.of(7 * 31_936 + 87_360));
    }

    @Test
    void batchOneIsWhatTheTablesShow() {
        ModelSummary net = Models.seedNet();
        assertThat(net.totals()).isEqualTo(net.totals(1));
        assertThat(net.totals().toString()).contains("\nEstimated Total Size (MB): 0.15\n");
        assertThat(net.totals(7).toString()).isEqualTo("""
                Batch size: 7
                Total params: 21,840
                Trainable params: 21,840
                Non-trainable params: 0
                Buffers: 0
                Total MACs: 3,363,500 (+ 49,700 bias adds)
                Input size (MB): 0.02
                Forward/backward pass size (MB): 0.45
                Params size (MB): 0.08
                Estimated Total Size (MB): 0.55
                Inference estimate (MB): 0.30 (peak activations 0.21 + params 0.08 + buffers 0.00)
                """);
    }

    @Test
    void batchMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Models.seedNet().totals(0));
        assertThrows(IllegalArgumentException.class, () -> Models.seedNet().totals(-1));
    }

    @Test
    void groupedConvMacs() {
        // Conv2d(8, 16, 3, padding=1, groups=4) on 8×10×10: each output sees in/groups = 2 channels · 9 taps;
        // 16·10·10 = 1,600 outputs · 18 = 28,800 MACs, 1,600 bias adds; weight [16, 2, 3, 3] + bias = 304
        TensorShape in = TensorShape.of(-1, 8, 10, 10);
        TensorShape out = TensorShape.of(-1, 16, 10, 10);
        long macs = LayerMath.conv2dMacs(out, 8, 4, 3, 3);
        assertThat(macs).isEqualTo(28_800);
        long params = Models.count(LayerMath.conv2dParameters(8, 16, 4, 3, 3, true));
        assertThat(params).isEqualTo(304);
        ModelSummary summary = ModelSummary.builder("Grouped").input("x", in)
                .row(new SummaryRow("conv", "Conv2d", List.of(in), out, params, params, 0, false,
                        Geometry.of(Window.kernel(3).padding(1), 4), new ReceptiveField(3, 1),
                        new ReceptiveField(3, 1), macs, out.sampleSize()))
                .build();
        assertThat(summary.totals(3).macs()).isEqualTo(3 * 28_800);
        assertThat(summary.totals(3).biasAdds()).isEqualTo(3 * 1_600);
        assertThat(summary.detailed()).contains("\nMACs: 28,800 (+ 1,600 bias adds)\n");
    }

    @Test
    void dilatedConvMacs() {
        // Conv2d(1, 10, 5, dilation=2) on 28×28: k_eff 9, out 28 − 8 = 20; MACs 10·20·20 · 1·25 = 100,000 —
        // dilation spreads the taps, it does not add any (summary-anchors §c worked example)
        TensorShape out = TensorShape.of(-1, 10, 20, 20);
        Window window = Window.kernel(5).dilation(2);
        assertThat(window.outputSize(28)).isEqualTo(20);
        long macs = LayerMath.conv2dMacs(out, 1, 1, 5, 5);
        assertThat(macs).isEqualTo(100_000);
        ReceptiveField field = ReceptiveField.INPUT.through(window);
        assertThat(field.size()).isEqualTo(9.0);
        ModelSummary summary = ModelSummary.builder("Dilated").input("x", TensorShape.of(-1, 1, 28, 28))
                .row(new SummaryRow("conv", "Conv2d", List.of(TensorShape.of(-1, 1, 28, 28)), out, 260, 260, 0, false,
                        Geometry.of(window, 1), field, field, macs, 4_000))
                .build();
        assertThat(summary.detailed()).contains("\nMACs: 100,000 (+ 4,000 bias adds)\n");
        // torchsummary sizes: fwd/bwd 2·4,000·4/2²⁰ = 0.03
        assertThat(summary.toString()).contains("\nForward/backward pass size (MB): 0.03\n");
    }

    @Test
    void linearMacs() {
        // Linear(320, 50): 320 · 50 = 16,000 per sample; on a [-1, 7, 320] input each of the 7 rows pays it
        assertThat(LayerMath.linearMacs(TensorShape.of(-1, 320), 50)).isEqualTo(16_000);
        assertThat(LayerMath.linearMacs(TensorShape.of(-1, 7, 320), 50)).isEqualTo(112_000);
        ModelSummary net = Models.seedNet();
        assertThat(net.rows().get(3).macs()).isEqualTo(16_000);
        assertThat(net.totals().macs()).isEqualTo(480_500);
        assertThat(net.totals(2).macs()).isEqualTo(961_000);
    }
}
