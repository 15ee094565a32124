package dev.shapeproof.summary;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * The columns of the detailed view, shared by {@link DetailedFormat} (terminal) and {@link MarkdownFormat}: their
 * headers, alignment and how a row's cell reads. Absent values read {@code -}, so no cell is ever empty.
 */
final class Columns {
    /** One column: a header, its alignment, and its cell for row {@code index} of a summary. */
    record Column(String header, boolean rightAligned, CellReader reader) {
        String cell(ModelSummary summary, int index) {
            return reader.read(summary, index);
        }
    }

    @FunctionalInterface
    interface CellReader {
        String read(ModelSummary summary, int index);
    }

    private Columns() {}

    /**
     * A module path indented two spaces per level below the model ({@code layer1.0.conv1} three levels deep), so the
     * text table shows the tree (Markdown renderers drop the spaces; the dotted path still says where it is).
     */
    static String indented(String path) {
        int depth = (int) path.chars().filter(c -> c == '.').count();
        return "  ".repeat(depth) + path;
    }

    /**
     * The columns for {@code summary}: {@code Frozen} appears only when some parameters are not trainable and
     * {@code Buffers} only when some module has buffers (the totals always show both); the rest always.
     */
    static List<Column> of(ModelSummary summary) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("Layer (type)", false, ModelSummary::key));
        columns.add(new Column("Module", false, (s, i) -> indented(s.rows().get(i).name())));
        columns.add(new Column("Output Shape", false, (s, i) -> s.rows().get(i).output().toString()));
        columns.add(new Column("Params", true, TorchsummaryFormat::paramCell));
        if (summary.rows().stream().anyMatch(row -> row.frozen() > 0)) {
            columns.add(new Column("Frozen", true, (s, i) -> shared(s, i, s.rows().get(i).frozen())));
        }
        if (summary.rows().stream().anyMatch(row -> row.buffers() > 0)) {
            columns.add(new Column("Buffers", true, (s, i) -> shared(s, i, s.rows().get(i).buffers())));
        }
        columns.add(geometry("Kernel", Window::kernel));
        columns.add(new Column("Stride", true, (s, i) -> {
            SummaryRow.Geometry g = s.rows().get(i).geometry();
            return g == null ? "-" : axes(g, Window::stride) + (g.ceilMode() ? " ceil" : "");
        }));
        columns.add(new Column("Padding", true, (s, i) -> {
            SummaryRow.Geometry g = s.rows().get(i).geometry();
            return g == null ? "-" : padding(g.height()) + "×" + padding(g.width());
        }));
        columns.add(geometry("Dilation", Window::dilation));
        columns.add(new Column("Groups", true, (s, i) -> {
            SummaryRow.Geometry g = s.rows().get(i).geometry();
            return g == null ? "-" : Integer.toString(g.groups());
        }));
        columns.add(field("RF", ReceptiveField::size));
        columns.add(field("Jump", ReceptiveField::jump));
        columns.add(new Column("MACs", true, (s, i) -> Numbers.count(s.rows().get(i).macs())));
        columns.add(new Column("Bias adds", true, (s, i) -> Numbers.count(s.rows().get(i).biasAdds())));
        columns.add(new Column("In-place", false, (s, i) -> s.rows().get(i).inPlace() ? "yes" : "no"));
        return columns;
    }

    /** The headers of {@code columns}. */
    static List<String> headers(List<Column> columns) {
        return columns.stream().map(Column::header).toList();
    }

    /** Row {@code index}'s cells. */
    static List<String> cells(List<Column> columns, ModelSummary summary, int index) {
        return columns.stream().map(column -> column.cell(summary, index)).toList();
    }

    /** The totals line under the table: the sums of the countable columns, blank elsewhere. */
    static List<String> totals(List<Column> columns, ModelSummary summary, String label) {
        Totals totals = summary.totals();
        List<String> cells = new ArrayList<>();
        for (Column column : columns) {
            cells.add(switch (column.header()) {
                case "Layer (type)" -> label;
                case "Params" -> Numbers.count(totals.params());
                case "Frozen" -> Numbers.count(totals.nonTrainableParams());
                case "Buffers" -> Numbers.count(totals.buffers());
                case "MACs" -> Numbers.count(totals.macs());
                case "Bias adds" -> Numbers.count(totals.biasAdds());
                default -> "";
            });
        }
        return cells;
    }

    /** {@code 3×3}: a value per axis, H first. */
    static String axes(SummaryRow.Geometry geometry, ToIntFunction<Window> value) {
        return value.applyAsInt(geometry.height()) + "×" + value.applyAsInt(geometry.width());
    }

    /** One axis's padding: {@code 1}, or {@code 0+1} (before+after) when the sides differ. */
    static String padding(Window window) {
        return window.padBefore() == window.padAfter()
                ? Integer.toString(window.padBefore())
                : window.padBefore() + "+" + window.padAfter();
    }

    private static String shared(ModelSummary summary, int index, long value) {
        return summary.isSharedCall(index) && value > 0 ? "(shared)" : Numbers.count(value);
    }

    private static Column geometry(String header, ToIntFunction<Window> value) {
        return new Column(header, true, (s, i) -> {
            SummaryRow.Geometry g = s.rows().get(i).geometry();
            return g == null ? "-" : axes(g, value);
        });
    }

    private static Column field(String header, ToDoubleFunction<ReceptiveField> value) {
        return new Column(header, true, (s, i) -> {
            SummaryRow row = s.rows().get(i);
            return row.height() == null ? "-"
                    : Numbers.real(value.applyAsDouble(row.height())) + "×"
                            + Numbers.real(value.applyAsDouble(row.width()));
        });
    }
}
