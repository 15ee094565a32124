package dev.shapeproof.summary;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A summary row in one line, as generated code writes it, reads back exactly. */
class SummaryRowSpecTest {
    @Test
    void everyFieldRoundTrips() {
        List<SummaryRow> rows = List.of(
                new SummaryRow("conv1", "Conv2d", List.of(TensorShape.of(-1, 3, 32, 32)), TensorShape.of(-1, 16, 16, 16),
                        448, 448, 0, false, SummaryRow.Geometry.of(Window.kernel(3).stride(2).padding(1), 1),
                        new ReceptiveField(3, 2), new ReceptiveField(3, 2), 110592, 4096),
                new SummaryRow("layer1.0.conv2", "Conv2d", List.of(TensorShape.of(-1, 8, 9, 9)),
                        TensorShape.of(-1, 8, 9, 9), 72, 40, 0, false,
                        SummaryRow.Geometry.of(new Window(3, 1, 0, 2, 2, false), new Window(1, 1, 0, 0, 1, false), 8),
                        new ReceptiveField(7.5, 0.25), new ReceptiveField(1, 1), 5832, 0),
                new SummaryRow("pool", "MaxPool2d", List.of(TensorShape.of(-1, 4, 11, 11)),
                        TensorShape.of(-1, 4, 6, 6), 0, 0, 0, false,
                        SummaryRow.Geometry.of(Window.kernel(2).stride(2).padding(1).ceilMode(true), 1), null, null,
                        0, 0),
                new SummaryRow("bn", "BatchNorm2d", List.of(TensorShape.of(-1, 4, 6, 6)), TensorShape.of(-1, 4, 6, 6),
                        8, 8, 9, true, null, ReceptiveField.INPUT, ReceptiveField.INPUT, 0, 0),
                new SummaryRow("block", "BasicBlock", List.of(TensorShape.of(-1, 4), TensorShape.of(-1, 4)),
                        TensorShape.of(-1, 4), 0, 0, 0, false, null, null, null, 0, 0));

        for (SummaryRow row : rows) {
            assertThat(SummaryRow.parse(row.toSpec())).isEqualTo(row);
        }
        assertThat(rows.get(0).toSpec()).isEqualTo("conv1 Conv2d [-1,3,32,32] -> [-1,16,16,16] params=448 "
                + "window=3/2/1+1/1,3/2/1+1/1 rf=3:2,3:2 macs=110592 bias=4096");
    }

    @Test
    void aLineThatIsNoRowSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SummaryRow.parse("conv1 Conv2d [-1,3] params=1"));
        assertThat(e).hasMessageThat().contains("not a summary row: conv1 Conv2d [-1,3] params=1");
    }

    @Test
    void chainEdgesLinkTheInputTheRowsAndTheOutput() {
        ModelSummary summary = ModelSummary.builder("Net")
                .input("x", TensorShape.of(-1, 4))
                .row("fc1 Linear [-1,4] -> [-1,8] params=40 macs=32 bias=8")
                .row("fc2 Linear [-1,8] -> [-1,2] params=18 macs=16 bias=2")
                .output("y", TensorShape.of(-1, 2))
                .chainEdges()
                .build();

        assertThat(summary.edges()).containsExactly(new Edge("input:x", "Linear-1"), new Edge("Linear-1", "Linear-2"),
                new Edge("Linear-2", "output:y")).inOrder();
    }
}
