package dev.shapeproof.summary;

import java.util.Locale;

/**
 * torchsummary 1.5.1's table ({@code torchsummary.py} at b50f213), line for line: its format strings, its size
 * arithmetic in doubles in its order, and Python's number spellings. Its mistakes are not copied; see
 * {@link ModelSummary}.
 */
final class TorchsummaryFormat {
    private static final String DASHES = "-".repeat(64);
    private static final String EQUALS = "=".repeat(64);
    /** Python's {@code "{:>20}  {:>25} {:>15}"}: right-aligned, never truncated. */
    private static final String ROW = "%20s  %25s %15s";

    private TorchsummaryFormat() {}

    static String format(ModelSummary summary) {
        StringBuilder text = new StringBuilder();
        line(text, DASHES);
        line(text, String.format(Locale.ROOT, ROW, "Layer (type)", "Output Shape", "Param #"));
        line(text, EQUALS);
        for (int i = 0; i < summary.rows().size(); i++) {
            SummaryRow row = summary.rows().get(i);
            line(text, String.format(Locale.ROOT, ROW, summary.key(i), row.output(), paramCell(summary, i)));
        }
        Totals totals = summary.totals();
        line(text, EQUALS);
        line(text, "Total params: " + Numbers.count(totals.params()));
        line(text, "Trainable params: " + Numbers.count(totals.trainableParams()));
        line(text, "Non-trainable params: " + Numbers.count(totals.nonTrainableParams()));
        line(text, DASHES);

        // torchsummary with batch_size = -1: abs(Π · -1 · 4. / 1024**2), in doubles, in this order.
        double inputSize = Math.abs(-(double) summary.inputElements() * 4. / Numbers.BYTES_PER_MB);
        double outputSize = Math.abs(2. * -(double) summary.outputElements() * 4. / Numbers.BYTES_PER_MB);
        double paramsSize = Math.abs(totals.params() * 4. / Numbers.BYTES_PER_MB);
        double totalSize = paramsSize + outputSize + inputSize;
        line(text, "Input size (MB): " + Numbers.fixed2(inputSize));
        line(text, "Forward/backward pass size (MB): " + Numbers.fixed2(outputSize));
        line(text, "Params size (MB): " + Numbers.fixed2(paramsSize));
        line(text, "Estimated Total Size (MB): " + Numbers.fixed2(totalSize));
        line(text, DASHES);
        return text.toString();
    }

    /** The {@code Param #} cell: the count, or {@code (shared)} for a later call of a module with parameters. */
    static String paramCell(ModelSummary summary, int index) {
        SummaryRow row = summary.rows().get(index);
        return summary.isSharedCall(index) && row.params() > 0 ? "(shared)" : Numbers.count(row.params());
    }

    private static void line(StringBuilder text, String line) {
        text.append(line).append('\n');
    }
}
