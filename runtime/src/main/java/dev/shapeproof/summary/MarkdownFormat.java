package dev.shapeproof.summary;

import java.util.List;
import java.util.stream.IntStream;

/**
 * {@link ModelSummary#toMarkdown()}: a heading, the model's inputs and outputs, the detailed table (the columns of
 * {@link ModelSummary#detailed()}, with a bold totals line), the totals and memory figures as a list, the notes, and
 * the graph as a fenced Mermaid block (GitHub and most Markdown viewers draw it). Cells never hold a bare {@code |}.
 */
final class MarkdownFormat {
    private MarkdownFormat() {}

    static String format(ModelSummary summary) {
        StringBuilder text = new StringBuilder();
        text.append("## ").append(summary.model()).append("\n\n");
        for (NamedShape input : summary.inputs()) {
            text.append("- Input `").append(input.name()).append("`: `").append(input.shape()).append("`\n");
        }
        for (NamedShape output : summary.outputs()) {
            text.append("- Output `").append(output.name()).append("`: `").append(output.shape()).append("`\n");
        }
        text.append('\n');

        List<Columns.Column> columns = Columns.of(summary);
        row(text, Columns.headers(columns));
        row(text, columns.stream().map(column -> column.rightAligned() ? "--:" : ":--").toList());
        IntStream.range(0, summary.rows().size()).forEach(i -> row(text, Columns.cells(columns, summary, i).stream()
                .map(MarkdownFormat::escape).toList()));
        row(text, Columns.totals(columns, summary, "Total").stream()
                .map(cell -> cell.isEmpty() ? "" : "**" + escape(cell) + "**").toList());
        text.append('\n');

        for (String line : DetailedFormat.totalLines(summary)) {
            text.append(line.startsWith("  ") ? "  - " + line.strip() : "- " + line).append('\n');
        }
        text.append("\nNotes:\n\n");
        for (String note : DetailedFormat.notes(summary)) {
            text.append("- ").append(escape(note.replace('\n', ' '))).append('\n');
        }
        text.append("\n### Graph\n\n```mermaid\n").append(MermaidFormat.format(summary)).append("```\n");
        return text.toString();
    }

    private static void row(StringBuilder text, List<String> cells) {
        text.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    /** Markdown would read {@code |} as a cell break and {@code *} as emphasis. */
    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace("*", "\\*");
    }
}
