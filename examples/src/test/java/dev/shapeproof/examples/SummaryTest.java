package dev.shapeproof.examples;

import static com.google.common.truth.Truth.assertThat;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.summary.ModelSummary;
import dev.shapeproof.summary.SummaryRow;
import dev.shapeproof.summary.Totals;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summaries the processor computed for the examples, as the generated classes hold them. */
class SummaryTest {
    /** The seed's table, as torchsummary 1.5.1 prints it for the seed's MNIST network. */
    private static final String SEED_TABLE = String.join("\n",
            "----------------------------------------------------------------",
            "        Layer (type)               Output Shape         Param #",
            "================================================================",
            "            Conv2d-1           [-1, 10, 24, 24]             260",
            "            Conv2d-2             [-1, 20, 8, 8]           5,020",
            "         Dropout2d-3             [-1, 20, 8, 8]               0",
            "            Linear-4                   [-1, 50]          16,050",
            "            Linear-5                   [-1, 10]             510",
            "================================================================",
            "Total params: 21,840",
            "Trainable params: 21,840",
            "Non-trainable params: 0",
            "----------------------------------------------------------------",
            "Input size (MB): 0.00",
            "Forward/backward pass size (MB): 0.06",
            "Params size (MB): 0.08",
            "Estimated Total Size (MB): 0.15",
            "----------------------------------------------------------------");

    @Test
    void seedNetPrintsTheSeedsTableByteForByte() {
        assertThat(SeedNetModel.SUMMARY.toString().stripTrailing()).isEqualTo(SEED_TABLE);
        assertThat(new SeedNetModel().summary()).isSameInstanceAs(SeedNetModel.SUMMARY);
    }

    @Test
    void functionalOpsAreNotRowsButSequentialLayersAre() {
        assertThat(SeedNetModel.SUMMARY.rows()).hasSize(5);
        // The sequential version declares its pools, ReLUs, flatten and log-softmax as modules.
        assertThat(NetModel.SUMMARY.rows()).hasSize(13);
        assertThat(NetModel.SUMMARY.totals().params()).isEqualTo(SeedNetModel.SUMMARY.totals().params());
    }

    @Test
    void contextModuleReceptiveFieldGrowsThroughTheDilations() {
        List<Double> fields = ContextModuleModel.SUMMARY.rows().stream()
                .filter(row -> row.type().equals("Conv2d"))
                .map(SummaryRow::height)
                .map(ReceptiveField::size)
                .toList();

        assertThat(fields).containsExactly(3.0, 5.0, 9.0, 17.0, 33.0, 65.0, 67.0, 67.0).inOrder();
        String detailed = ContextModuleModel.SUMMARY.detailed();
        assertThat(detailed).contains("67×67");
    }

    @Test
    void branchesMergeTheirReceptiveFieldsAndEdgesPassThroughFunctions() {
        ModelSummary aspp = AsppHeadModel.SUMMARY;
        SummaryRow project = aspp.rows().stream().filter(row -> row.name().equals("project")).findFirst().orElseThrow();
        // The 18-dilated branch sees d·(k−1)+1 = 37 pixels; the pooled branch sees the whole 33×33 map and more
        // through bilinear upsampling; the projection after the cat takes the maximum.
        assertThat(project.height().size()).isAtLeast(37.0);
        assertThat(aspp.toMermaid()).contains("cat");
        assertThat(project.inputs()).hasSize(1);
    }

    @Test
    void residualNetCountsBuffersApartAndMacsPerSample() {
        Totals totals = SmallResNetModel.SUMMARY.totals();
        // BatchNorm running_mean + running_var (C each) + num_batches_tracked (1) per BatchNorm2d.
        long buffers = (2 * 16 + 1) * 3 + (2 * 32 + 1) * 3;
        assertThat(totals.buffers()).isEqualTo(buffers);
        assertThat(SmallResNetModel.SUMMARY.totals(8).macs()).isEqualTo(8 * totals.macs());
    }

    @Test
    void inferenceMemoryAccountsForInPlaceActivations() {
        long peak = ContextModuleModel.SUMMARY.inferencePeakBytes().orElseThrow();
        long map = 21L * 64 * 64 * 4;
        // The caller's input, a conv output and the next conv's output are alive at once; ReLUs run in place.
        assertThat(peak).isEqualTo(3 * map);
    }
}
