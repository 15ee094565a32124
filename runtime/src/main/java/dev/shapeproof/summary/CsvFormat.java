package dev.shapeproof.summary;

import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Writes {@link ModelSummary#toCsv()}; the columns are documented there. */
final class CsvFormat {
    static final List<String> HEADER = List.of("index", "key", "name", "type", "call", "input_shapes", "output_shape",
            "params", "trainable", "buffers", "output_elements", "kernel_h", "kernel_w", "stride_h", "stride_w",
            "pad_top", "pad_bottom", "pad_left", "pad_right", "dilation_h", "dilation_w", "groups", "ceil_mode",
            "rf_h", "rf_w", "jump_h", "jump_w", "macs", "bias_adds", "in_place");

    private CsvFormat() {}

    static String format(ModelSummary summary) {
        StringBuilder text = new StringBuilder();
        line(text, HEADER);
        for (int i = 0; i < summary.rows().size(); i++) {
            SummaryRow row = summary.rows().get(i);
            List<String> fields = new ArrayList<>();
            fields.add(Integer.toString(i + 1));
            fields.add(summary.key(i));
            fields.add(row.name());
            fields.add(row.type());
            fields.add(Integer.toString(summary.callNumber(i)));
            fields.add(row.inputs().stream().map(TensorShape::toString).collect(Collectors.joining(";")));
            fields.add(row.output().toString());
            fields.add(Long.toString(row.params()));
            fields.add(Long.toString(row.trainable()));
            fields.add(Long.toString(row.buffers()));
            fields.add(Long.toString(row.outputElements()));
            SummaryRow.Geometry g = row.geometry();
            if (g == null) {
                fields.addAll(List.of("", "", "", "", "", "", "", "", "", "", "", ""));
            } else {
                Window h = g.height();
                Window w = g.width();
                for (int value : new int[] {h.kernel(), w.kernel(), h.stride(), w.stride(), h.padBefore(),
                        h.padAfter(), w.padBefore(), w.padAfter(), h.dilation(), w.dilation(), g.groups()}) {
                    fields.add(Integer.toString(value));
                }
                fields.add(Boolean.toString(g.ceilMode()));
            }
            if (row.height() == null) {
                fields.addAll(List.of("", "", "", ""));
            } else {
                fields.add(Numbers.real(row.height().size()));
                fields.add(Numbers.real(row.width().size()));
                fields.add(Numbers.real(row.height().jump()));
                fields.add(Numbers.real(row.width().jump()));
            }
            fields.add(Long.toString(row.macs()));
            fields.add(Long.toString(row.biasAdds()));
            fields.add(Boolean.toString(row.inPlace()));
            line(text, fields);
        }
        return text.toString();
    }

    private static void line(StringBuilder text, List<String> fields) {
        text.append(fields.stream().map(CsvFormat::quote).collect(Collectors.joining(","))).append('\n');
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
