package dev.shapeproof.processor.emit;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.check.MemoryEstimate;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.shape.Window;
import dev.shapeproof.summary.ModelSummary;
import dev.shapeproof.summary.SummaryRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model's summary, computed at compile time from the checked graph: a row per module call (functional ops are
 * not rows, as in torchsummary), the graph's edges between rows with the functional ops they pass through, and the
 * inference memory estimate. The processor prints it as a note and the generated class holds it as a constant.
 */
public final class SummaryBuilder {
    private final CheckedModel model;
    private final Map<Node, CheckedNode<?>> checked = new HashMap<>();
    private final Map<Node, String> rowKeys = new HashMap<>();

    private SummaryBuilder(CheckedModel model) {
        this.model = model;
        for (CheckedNode<?> node : model.nodes()) {
            checked.put(node.node(), node);
        }
    }

    public static ModelSummary build(CheckedModel model) {
        return new SummaryBuilder(model).run();
    }

    private ModelSummary run() {
        ModelSummary.Builder summary = ModelSummary.builder(model.graph().type().getSimpleName().toString());
        for (GraphInput input : model.graph().inputs()) {
            summary.input(input.value().name(), input.shape());
        }
        List<CheckedNode<?>> rows = model.nodes().stream().filter(node -> node.node().isModuleCall()).toList();
        for (int i = 0; i < rows.size(); i++) {
            CheckedNode<?> node = rows.get(i);
            rowKeys.put(node.node(), node.op().name() + "-" + (i + 1));
            summary.row(row(node));
        }
        List<String> outputNames = model.graph().outputNames();
        for (int i = 0; i < outputNames.size(); i++) {
            summary.output(outputNames.get(i), model.outputs().get(i));
        }
        for (CheckedNode<?> node : rows) {
            for (Value input : node.node().inputs()) {
                addEdges(summary, input, rowKeys.get(node.node()));
            }
        }
        for (int i = 0; i < outputNames.size(); i++) {
            addEdges(summary, model.graph().outputs().get(i), "output:" + outputNames.get(i));
        }
        summary.inferencePeakBytes(MemoryEstimate.peakBytesPerSample(model));
        return summary.build();
    }

    private SummaryRow row(CheckedNode<?> node) {
        Window[] windows = node.windows();
        SummaryRow.Geometry geometry = windows == null ? null
                : SummaryRow.Geometry.of(windows[0], windows[1], node.groups());
        return new SummaryRow(node.node().module(), node.op().name(), node.inputs(), node.output(),
                node.trainableCount(), node.trainableCount(), node.bufferCount(), model.runsInPlace(node), geometry,
                node.height(), node.width(), node.macs(), node.biasAdds());
    }

    /** Edges from every row or input that reaches {@code value} through functional ops, naming those ops. */
    private void addEdges(ModelSummary.Builder summary, Value value, String to) {
        Map<String, Set<String>> sources = new java.util.LinkedHashMap<>();
        collect(value, new ArrayList<>(), sources);
        sources.forEach((from, via) -> {
            if (via.isEmpty()) {
                summary.edge(from, to);
            } else {
                summary.edge(from, to, String.join(", ", via));
            }
        });
    }

    private void collect(Value value, List<String> via, Map<String, Set<String>> sources) {
        Node producer = value.producer();
        if (producer == null) {
            sources.computeIfAbsent("input:" + value.name(), key -> new LinkedHashSet<>()).addAll(reversed(via));
            return;
        }
        if (producer.isModuleCall()) {
            sources.computeIfAbsent(rowKeys.get(producer), key -> new LinkedHashSet<>()).addAll(reversed(via));
            return;
        }
        List<String> next = new ArrayList<>(via);
        next.add(producer.name());
        for (Value input : producer.inputs()) {
            collect(input, next, sources);
        }
    }

    private static List<String> reversed(List<String> via) {
        List<String> copy = new ArrayList<>(via);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
