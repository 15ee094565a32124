package dev.shapeproof.processor.emit;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.check.MemoryEstimate;
import dev.shapeproof.processor.graph.Body;
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
 * The model's summary, computed at compile time from the checked graph: a row per module call in the order the calls
 * finish, as torchsummary's hooks see them (a block's row comes after its children's; functional ops,
 * {@code Sequential} and {@code ModuleList} are not rows), the graph's edges between rows with the functional ops they
 * pass through, and the inference memory estimate. The processor prints it as a note and the generated class holds
 * it as a constant.
 */
public final class SummaryBuilder {
    private final CheckedModel model;
    private final Map<Node, String> rowKeys = new java.util.IdentityHashMap<>();
    private final List<CheckedNode<?>> rows = new ArrayList<>();

    private SummaryBuilder(CheckedModel model) {
        this.model = model;
    }

    public static ModelSummary build(CheckedModel model) {
        return new SummaryBuilder(model).run();
    }

    private ModelSummary run() {
        ModelSummary.Builder summary = ModelSummary.builder(model.graph().type().getSimpleName().toString());
        for (GraphInput input : model.graph().inputs()) {
            summary.input(input.value().name(), input.shape());
        }
        collectRows(model.graph().body());
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

    /** The rows of {@code body} and of the bodies it calls, in the order the calls finish. */
    private void collectRows(Body body) {
        for (Node node : body.nodes()) {
            CheckedNode<?> checked = model.checked(node);
            if (checked == null || !node.isModuleCall()) {
                continue;
            }
            if (node.callee() != null) {
                collectRows(node.callee());
                if (!node.instance().isSummaryRow()) {
                    continue;
                }
            }
            rows.add(checked);
        }
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
        if (producer.isModuleCall() && rowKeys.containsKey(producer)) {
            sources.computeIfAbsent(rowKeys.get(producer), key -> new LinkedHashSet<>()).addAll(reversed(via));
            return;
        }
        if (producer.callee() != null) {
            // A Sequential or ModuleList call is not a row: its edges come from what its forward returned.
            collect(producer.callee().outputs().get(0), via, sources);
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
