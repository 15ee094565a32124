package dev.shapeproof.summary;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import dev.shapeproof.summary.SummaryRow.Geometry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data model: rows, keys, calls, edges, and the mistakes the builder rejects. */
class ModelSummaryTest {
    private static final TensorShape MAP = TensorShape.of(-1, 4, 8, 8);

    private static SummaryRow relu(String name) {
        return new SummaryRow(name, "ReLU", List.of(MAP), MAP, 0, 0, 0, true, null, null, null, 0, 0);
    }

    private static ModelSummary.Builder oneRelu() {
        return ModelSummary.builder("M").input("x", MAP).row(relu("act")).output(MAP);
    }

    @Test
    void keysAndCalls() {
        ModelSummary branchy = Models.branching();
        assertThat(branchy.key(0)).isEqualTo("Conv2d-1");
        assertThat(branchy.key(5)).isEqualTo("ReLU-6");
        assertThat(branchy.callNumber(2)).isEqualTo(1);
        assertThat(branchy.callNumber(5)).isEqualTo(2);
        assertThat(branchy.isSharedCall(5)).isTrue();
        assertThat(branchy.isSharedCall(2)).isFalse();
    }

    @Test
    void immutable() {
        List<TensorShape> inputs = new ArrayList<>(List.of(MAP));
        SummaryRow row = new SummaryRow("act", "ReLU", inputs, MAP, 0, 0, 0, true, null, null, null, 0, 0);
        inputs.add(MAP);
        assertThat(row.inputs()).hasSize(1);
        ModelSummary summary = ModelSummary.builder("M").input("x", MAP).row(row).build();
        assertThrows(UnsupportedOperationException.class, () -> summary.rows().add(row));
        assertThat(summary).isEqualTo(ModelSummary.builder("M").input("x", MAP).row(row).build());
    }

    @Test
    void edgesNameRowsByNameOrKeyAndEndpointsWithAColon() {
        ModelSummary summary = oneRelu().edge("input:x", "act").edge("ReLU-1", "output:output").build();
        assertThat(summary.edges()).containsExactly(new Edge("input:x", "act"), new Edge("ReLU-1", "output:output"))
                .inOrder();
    }

    @Test
    void edgesToNothingAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> oneRelu().edge("input:y", "act").build());
        assertThrows(IllegalArgumentException.class, () -> oneRelu().edge("act", "output").build()); // no colon
        assertThrows(IllegalArgumentException.class, () -> oneRelu().edge("act", "nothing").build());
        assertThrows(IllegalArgumentException.class, () -> oneRelu().edge("Conv2d-1", "act").build()); // wrong type
        assertThrows(IllegalArgumentException.class, () -> oneRelu().edge("ReLU-2", "act").build()); // no row 2
        assertThrows(IllegalArgumentException.class, () -> oneRelu().edge("output:output", "act").build());
        assertThrows(IllegalArgumentException.class, () -> oneRelu().edge("act", "input:x").build());
    }

    @Test
    void aModuleCalledTwiceMustBeNamedByKey() {
        ModelSummary.Builder twice = ModelSummary.builder("M").input("x", MAP).row(relu("act")).row(relu("act"));
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> twice.edge("act", "act").build());
        assertThat(error).hasMessageThat().contains("ReLU-1, ReLU-2");
    }

    @Test
    void callsOfOneModuleMustAgree() {
        SummaryRow conv = new SummaryRow("conv", "Conv2d", List.of(MAP), MAP, 148, 148, 0, false,
                Geometry.of(Window.kernel(3).padding(1), 1), ReceptiveField.INPUT, ReceptiveField.INPUT, 9_216, 256);
        SummaryRow different = new SummaryRow("conv", "Conv2d", List.of(MAP), MAP, 20, 20, 0, false, null, null,
                null, 0, 0);
        assertThrows(IllegalArgumentException.class,
                () -> ModelSummary.builder("M").input("x", MAP).row(conv).row(different).build());
    }

    @Test
    void rowsCheckTheirFigures() {
        assertThrows(IllegalArgumentException.class,
                () -> new SummaryRow("fc", "Linear", List.of(MAP), MAP, 10, 11, 0, false, null, null, null, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SummaryRow("fc", "Linear", List.of(MAP), MAP, -1, 0, 0, false, null, null, null, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SummaryRow("fc", "Linear", List.of(), MAP, 0, 0, 0, false, null, null, null, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SummaryRow("fc", "Linear", List.of(MAP), MAP, 0, 0,
                0, false, null, ReceptiveField.INPUT, null, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SummaryRow("", "Linear", List.of(MAP), MAP, 0, 0, 0, false, null, null, null, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SummaryRow("fc", "Linear", List.of(MAP), MAP, 0, 0, 0, false, null, null, null, -5, 0));
    }

    @Test
    void geometryIsOneCeilModeAndPositiveGroups() {
        assertThrows(IllegalArgumentException.class,
                () -> Geometry.of(Window.kernel(2).ceilMode(true), Window.kernel(2), 1));
        assertThrows(IllegalArgumentException.class, () -> Geometry.of(Window.kernel(3), 0));
        Geometry rectangular = Geometry.of(Window.kernel(3), Window.kernel(5).padding(2), 1);
        assertThat(rectangular.width().kernel()).isEqualTo(5);
    }

    @Test
    void modelNeedsAnInputAndDistinctNames() {
        assertThrows(IllegalArgumentException.class, () -> ModelSummary.builder("M").row(relu("act")).build());
        assertThrows(IllegalArgumentException.class,
                () -> ModelSummary.builder("M").input("x", MAP).input("x", MAP).build());
        assertThrows(IllegalArgumentException.class, () -> ModelSummary.builder("M").input("in:x", MAP));
        assertThrows(IllegalArgumentException.class, () -> ModelSummary.builder(""));
        assertThrows(IllegalArgumentException.class, () -> oneRelu().inferencePeakBytes(-1));
    }

    @Test
    void aSequentialWithoutEdgesIsAChain() {
        ModelSummary summary = ModelSummary.builder("M").input("x", MAP).row(relu("a")).row(relu("b")).output(MAP)
                .build();
        assertThat(summary.edges()).isEmpty();
        assertThat(summary.graphEdges()).containsExactly(new Edge("input:x", "ReLU-1"), new Edge("ReLU-1", "ReLU-2"),
                new Edge("ReLU-2", "output:output")).inOrder();
    }
}
