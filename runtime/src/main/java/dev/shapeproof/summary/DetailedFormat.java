package dev.shapeproof.summary;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** {@link ModelSummary#detailed()}: the table for a terminal, the totals, both memory figures and the notes. */
final class DetailedFormat {
    private DetailedFormat() {}

    static String format(ModelSummary summary) {
        StringBuilder text = new StringBuilder();
        text.append(summary.model()).append(": detailed summary, per sample (batch -1)\n");
        for (NamedShape input : summary.inputs()) {
            text.append("Input ").append(input.name()).append(": ").append(input.shape()).append('\n');
        }
        for (NamedShape output : summary.outputs()) {
            text.append("Output ").append(output.name()).append(": ").append(output.shape()).append('\n');
        }

        List<Columns.Column> columns = Columns.of(summary);
        TextTable table = new TextTable(columns.stream().map(Columns.Column::rightAligned).toList());
        table.rule('-');
        table.add(Columns.headers(columns));
        table.rule('=');
        IntStream.range(0, summary.rows().size()).forEach(i -> table.add(Columns.cells(columns, summary, i)));
        table.rule('=');
        table.add(Columns.totals(columns, summary, "Total"));
        table.rule('-');
        table.appendTo(text);

        for (String line : totalLines(summary)) {
            text.append(line).append('\n');
        }
        text.append("Notes:\n");
        for (String note : notes(summary)) {
            text.append("  * ").append(note.replace("\n", "\n    ")).append('\n');
        }
        return text.toString();
    }

    /** The totals and both memory figures, one line each; Markdown shows the same lines. */
    static List<String> totalLines(ModelSummary summary) {
        Totals totals = summary.totals();
        List<String> lines = new ArrayList<>();
        lines.add("Params: " + Numbers.count(totals.params()) + " (trainable " + Numbers.count(totals.trainableParams())
                + ", non-trainable " + Numbers.count(totals.nonTrainableParams()) + "); buffers: "
                + Numbers.count(totals.buffers()));
        lines.add("MACs: " + Numbers.count(totals.macs()) + " (+ " + Numbers.count(totals.biasAdds())
                + " bias adds)");
        lines.add("Memory (MB = MiB, 4 bytes per number, one sample):");
        lines.add("  torchsummary (naive): input " + Numbers.megabytes(totals.inputBytes())
                + " + forward/backward " + Numbers.megabytes(totals.forwardBackwardBytes())
                + " + params " + Numbers.megabytes(totals.paramBytes())
                + " = " + Numbers.megabytes(totals.naiveTotalBytes()) + " MB");
        if (totals.inferenceBytes().isPresent()) {
            lines.add("  inference estimate:   peak activations "
                    + Numbers.megabytes(totals.inferencePeakActivationBytes().getAsLong())
                    + " + params " + Numbers.megabytes(totals.paramBytes())
                    + " + buffers " + Numbers.megabytes(totals.bufferBytes())
                    + " = " + Numbers.megabytes(totals.inferenceBytes().getAsLong()) + " MB");
        } else {
            lines.add("  inference estimate:   not computed");
        }
        return lines;
    }

    /** What the figures mean; a line break in a note continues it on an indented line. */
    static List<String> notes(ModelSummary summary) {
        List<String> notes = new ArrayList<>();
        notes.add("Kernel, stride, padding, dilation, RF and jump are H×W; padding b+a is b before (top/left) and a"
                + "\nafter (bottom/right); \"ceil\" marks a pool rounding its output size up.");
        notes.add("RF: the input pixels one output pixel sees (k_eff = d·(k−1)+1 per window); jump: the input pixels"
                + "\nbetween neighbouring outputs. Through branches (cat, +): the maximum over the paths.");
        notes.add("MACs: multiply-accumulates, (in/groups)·kH·kW per conv output, in per linear output; bias adds"
                + "\nare counted apart; other ops count 0.");
        notes.add("Buffers (BatchNorm's running statistics) are state, not parameters: torchsummary leaves them out.");
        notes.add("torchsummary's memory: input + 2 × every row's output (gradients) + params. The inference estimate:"
                + "\nthe peak of activations alive at once in the generated forward (in-place calls reuse their"
                + "\ninput, every activation is freed after its last use) + params + buffers.");
        if (IntStream.range(0, summary.rows().size()).anyMatch(summary::isSharedCall)) {
            notes.add("(shared): a later call of a module already called; its parameters are counted once.");
        }
        return notes;
    }
}
