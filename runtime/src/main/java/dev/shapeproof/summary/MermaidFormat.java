package dev.shapeproof.summary;

import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.summary.ModelSummary.Endpoint;

/**
 * {@link ModelSummary#toMermaid()}: a {@code flowchart TD} with a node per model input ({@code In1}…), per row
 * ({@code L1}… as in the torchsummary keys) and per model output ({@code Out1}…), then an edge per graph edge, labelled
 * with the shape leaving its source and, on a second line, the functional ops it passes through. Ids are generated,
 * so no module name can clash with Mermaid's keywords ({@code end}); labels are quoted, their {@code "}, {@code #},
 * {@code <} and {@code >} written as Mermaid entity codes.
 */
final class MermaidFormat {
    private static final String INDENT = "    ";

    private MermaidFormat() {}

    static String format(ModelSummary summary) {
        StringBuilder text = new StringBuilder("flowchart TD\n");
        for (int i = 0; i < summary.inputs().size(); i++) {
            NamedShape input = summary.inputs().get(i);
            node(text, id(new Endpoint(Endpoint.Kind.INPUT, i)), "([", "input " + input.name(), input.shape(), "])");
        }
        for (int i = 0; i < summary.rows().size(); i++) {
            SummaryRow row = summary.rows().get(i);
            String label = escape(row.name() + ": " + row.type()
                    + (summary.isSharedCall(i) ? ", call " + summary.callNumber(i) : ""));
            text.append(INDENT).append(id(new Endpoint(Endpoint.Kind.ROW, i))).append("[\"").append(label)
                    .append("\"]\n");
        }
        for (int i = 0; i < summary.outputs().size(); i++) {
            NamedShape output = summary.outputs().get(i);
            String name = output.name().equals("output") ? "output" : "output " + output.name();
            node(text, id(new Endpoint(Endpoint.Kind.OUTPUT, i)), "([", name, output.shape(), "])");
        }
        for (Edge edge : summary.graphEdges()) {
            Endpoint from = summary.resolve(edge.from());
            Endpoint to = summary.resolve(edge.to());
            String label = escape(summary.shapeOf(from).toString())
                    + (edge.via().isEmpty() ? "" : "<br/>" + escape(edge.via()));
            text.append(INDENT).append(id(from)).append(" -->|\"").append(label).append("\"| ").append(id(to))
                    .append('\n');
        }
        return text.toString();
    }

    private static void node(StringBuilder text, String id, String open, String name,
            TensorShape shape, String close) {
        text.append(INDENT).append(id).append(open).append('"').append(escape(name)).append("<br/>")
                .append(escape(shape.toString())).append('"').append(close).append('\n');
    }

    private static String id(Endpoint endpoint) {
        return switch (endpoint.kind()) {
            case INPUT -> "In" + (endpoint.index() + 1);
            case ROW -> "L" + (endpoint.index() + 1);
            case OUTPUT -> "Out" + (endpoint.index() + 1);
        };
    }

    /** Mermaid's entity codes for the characters that would end or confuse a quoted label. */
    static String escape(String label) {
        return label.replace("#", "#35;").replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }
}
