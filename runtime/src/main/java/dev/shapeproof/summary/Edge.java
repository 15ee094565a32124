package dev.shapeproof.summary;

/**
 * An edge of the model's graph, drawn by {@link ModelSummary#toMermaid()}: the output of {@code from} flows into
 * {@code to}, possibly through functional ops, which have no rows.
 *
 * <p>An endpoint is a row, named by its module name when that module is called once or by its torchsummary key
 * ({@code ReLU-4}) in any case; {@code input:<name>} for a model input; {@code output:<name>} for a model output
 * ({@code output:output} for the default single output). Module names are Java identifiers, so the colon never
 * clashes with them, even for a module named {@code output}.
 *
 * @param from where the tensor comes from: a row or {@code input:<name>}
 * @param to where it goes: a row or {@code output:<name>}
 * @param via the functional ops between the two, as the edge's label shows them ({@code max_pool2d, relu}); empty
 *     when there are none
 */
public record Edge(String from, String to, String via) {
    public Edge {
        if (from == null || from.isEmpty() || to == null || to.isEmpty()) {
            throw new IllegalArgumentException("an edge needs both ends: " + from + " -> " + to);
        }
        via = via == null ? "" : via;
    }

    /** An edge with no functional op in between. */
    public Edge(String from, String to) {
        this(from, to, "");
    }
}
