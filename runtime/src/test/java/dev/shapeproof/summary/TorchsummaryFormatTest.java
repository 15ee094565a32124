package dev.shapeproof.summary;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import dev.shapeproof.summary.SummaryRow.Geometry;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@link ModelSummary#toString()}: torchsummary 1.5.1's table, and the places where we differ on purpose. */
class TorchsummaryFormatTest {

    /** The seed's table, the 18 lines of summary-anchors.md §b (torchsummary's README @345d898), byte for byte. */
    static final String SEED_TABLE = """
            ----------------------------------------------------------------
                    Layer (type)               Output Shape         Param #
            ================================================================
                        Conv2d-1           [-1, 10, 24, 24]             260
                        Conv2d-2             [-1, 20, 8, 8]           5,020
                     Dropout2d-3             [-1, 20, 8, 8]               0
                        Linear-4                   [-1, 50]          16,050
                        Linear-5                   [-1, 10]             510
            ================================================================
            Total params: 21,840
            Trainable params: 21,840
            Non-trainable params: 0
            ----------------------------------------------------------------
            Input size (MB): 0.00
            Forward/backward pass size (MB): 0.06
            Params size (MB): 0.08
            Estimated Total Size (MB): 0.15
            ----------------------------------------------------------------
            """;

    @Test
    void seedTableByteForByte() {
        String table = Models.seedNet().toString();
        assertThat(table).isEqualTo(SEED_TABLE);
        assertThat(table.split("\n", -1)).hasLength(19); // 18 lines, each ending in \n
    }

    @Test
    void independentOfTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // %,d would print 5.020 and %.2f 0,06
            assertThat(Models.seedNet().toString()).isEqualTo(SEED_TABLE);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void halfEvenOnTheExactBinaryValueLikePython() {
        // 32,768 parameters · 4 B = 131,072 B = 0.125 MiB exactly: Python's "%0.2f" prints 0.12, Java's %.2f 0.13.
        ModelSummary summary = single(linear("fc", 32_767, 1, 32_768));
        assertThat(summary.toString()).contains("\nParams size (MB): 0.12\n");
        assertThat(String.format(Locale.ROOT, "%.2f", 0.125)).isEqualTo("0.13"); // why BigDecimal is needed
        // 0.375 MiB is a tie too, rounded to the even 0.38
        assertThat(single(linear("fc", 98_303, 1, 98_304)).toString()).contains("\nParams size (MB): 0.38\n");
    }

    @Test
    void thousandsSeparatorsAboveAMillion() {
        // Linear(1,234,566 → 1): 1,234,566 weights + 1 bias = 1,234,567 parameters
        ModelSummary summary = single(linear("fc", 1_234_566, 1, 1_234_567));
        assertThat(summary.toString()).contains("            Linear-1                    [-1, 1]       1,234,567\n");
        assertThat(summary.toString()).contains("\nTotal params: 1,234,567\nTrainable params: 1,234,567\n");
        // 1,234,567 · 4 / 2²⁰ = 4.7095...
        assertThat(summary.toString()).contains("\nParams size (MB): 4.71\n");
    }

    @Test
    void severalInputsAreAddedNotMultiplied() {
        // (1, 256, 256) and (1, 512, 512): (65,536 + 262,144) · 4 / 2²⁰ = 1.25. torchsummary multiplies the shapes.
        ModelSummary summary = ModelSummary.builder("TwoInputs")
                .input("a", TensorShape.of(-1, 1, 256, 256))
                .input("b", TensorShape.of(-1, 1, 512, 512))
                .row(new SummaryRow("id", "Identity", List.of(TensorShape.of(-1, 1, 256, 256)),
                        TensorShape.of(-1, 1), 0, 0, 0, false, null, null, null, 0, 0))
                .build();
        assertThat(summary.toString()).contains("\nInput size (MB): 1.25\n");
    }

    @Test
    void noThirtyTwoBitOverflow() {
        // sksq96/pytorch-summary#202: T = 34,208,743,424 output numbers; 2·T·4/2²⁰ = 260,992.00 MB on Linux,
        // 1,152.00 on Windows where np.prod wraps at 32 bits. T = 2039 · 4096 · 4096.
        TensorShape huge = TensorShape.of(-1, 2039, 4096, 4096);
        ModelSummary summary = ModelSummary.builder("Huge")
                .input("x", TensorShape.of(-1, 1))
                .row(new SummaryRow("expand", "Upsample", List.of(TensorShape.of(-1, 1)), huge, 0, 0, 0, false, null,
                        null, null, 0, 0))
                .build();
        assertThat(summary.toString()).contains("\nForward/backward pass size (MB): 260992.00\n");
    }

    @Test
    void sixtyFourBitOverflowIsAnErrorNotAWrap() {
        // 2⁶¹ output numbers are representable, their 2 · 4 bytes (2⁶⁴) are not: building fails loudly
        TensorShape enormous = TensorShape.of(-1, 1 << 30, 1 << 30, 2);
        ModelSummary.Builder builder = ModelSummary.builder("Enormous").input("x", TensorShape.of(-1, 1))
                .row(new SummaryRow("expand", "Upsample", List.of(TensorShape.of(-1, 1)), enormous, 0, 0, 0, false,
                        null, null, null, 0, 0));
        assertThrows(ArithmeticException.class, builder::build);

        // 2⁴⁰ numbers: 2⁴³ bytes for one sample and 2⁶² for a batch of 2¹⁹, but a batch of 2²⁰ would need 2⁶³
        TensorShape large = TensorShape.of(-1, 1 << 20, 1 << 20);
        ModelSummary summary = ModelSummary.builder("Large").input("x", TensorShape.of(-1, 1))
                .row(new SummaryRow("expand", "Upsample", List.of(TensorShape.of(-1, 1)), large, 0, 0, 0, false,
                        null, null, null, 0, 0))
                .build();
        assertThat(summary.totals(1 << 19).forwardBackwardBytes()).isEqualTo(1L << 62);
        assertThrows(ArithmeticException.class, () -> summary.totals(1 << 20));
    }

    @Test
    void aSharedModuleIsCountedOnce() {
        // torchsummary's README SimpleConv calls one conv twice and reports 20 parameters for a model with 10 (#201).
        TensorShape map = TensorShape.of(-1, 1, 16, 16);
        SummaryRow call = new SummaryRow("conv", "Conv2d", List.of(map), map, 10, 10, 0, false,
                Geometry.of(Window.kernel(3).padding(1), 1), new ReceptiveField(3, 1), new ReceptiveField(3, 1),
                2_304, 256);
        ModelSummary summary = ModelSummary.builder("SimpleConv").input("x", map).row(call).row(call).build();
        String table = summary.toString();
        assertThat(table).contains("            Conv2d-1            [-1, 1, 16, 16]              10\n");
        assertThat(table).contains("            Conv2d-2            [-1, 1, 16, 16]        (shared)\n");
        assertThat(table).contains("\nTotal params: 10\n");
        // both calls produce an output: 2 · 2 · 256 · 4 B = 4,096 B
        assertThat(summary.totals().forwardBackwardBytes()).isEqualTo(4_096);
        // but each call computes: MACs twice
        assertThat(summary.totals().macs()).isEqualTo(2 * 2_304);
    }

    @Test
    void frozenParametersAreNonTrainable() {
        TensorShape in = TensorShape.of(-1, 8);
        ModelSummary summary = ModelSummary.builder("Frozen").input("x", in)
                .row(new SummaryRow("fc", "Linear", List.of(in), TensorShape.of(-1, 4), 36, 0, 0, false, null, null,
                        null, 32, 4))
                .row(new SummaryRow("bn", "BatchNorm1d", List.of(TensorShape.of(-1, 4)), TensorShape.of(-1, 4), 8,
                        8, 9, false, null, null, null, 0, 0))
                .build();
        // buffers (running statistics) are not parameters at all, trainable or not
        assertThat(summary.toString()).contains("\nTotal params: 44\nTrainable params: 8\nNon-trainable params: 36\n");
    }

    @Test
    void aModelWithoutParameters() {
        // torchsummary 1.5.1 crashes here ('int' object has no attribute 'numpy', #9)
        ModelSummary summary = ModelSummary.builder("Act").input("x", TensorShape.of(-1, 4))
                .row(new SummaryRow("act", "ReLU", List.of(TensorShape.of(-1, 4)), TensorShape.of(-1, 4), 0, 0, 0,
                        true, null, null, null, 0, 0))
                .build();
        assertThat(summary.toString()).contains("              ReLU-1                    [-1, 4]               0\n"
                + "================================================================\n"
                + "Total params: 0\n");
    }

    private static SummaryRow linear(String name, int in, int out, long params) {
        return new SummaryRow(name, "Linear", List.of(TensorShape.of(-1, in)), TensorShape.of(-1, out), params,
                params, 0, false, null, null, null, (long) in * out, out);
    }

    private static ModelSummary single(SummaryRow row) {
        return ModelSummary.builder("M").input("x", row.inputs().get(0)).row(row).build();
    }
}
