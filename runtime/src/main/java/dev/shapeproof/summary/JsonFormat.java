package dev.shapeproof.summary;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/** Writes {@link ModelSummary#toJson()}; the schema is documented there. */
final class JsonFormat {
    static final String SCHEMA = "shapeproof-summary/1";

    private JsonFormat() {}

    static String format(ModelSummary summary) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("model", summary.model());
        root.put("bytesPerNumber", Numbers.BYTES_PER_NUMBER);
        root.put("inputs", summary.inputs().stream().map(JsonFormat::namedShape).toList());
        root.put("outputs", summary.outputs().stream().map(JsonFormat::namedShape).toList());
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < summary.rows().size(); i++) {
            rows.add(row(summary, i));
        }
        root.put("rows", rows);
        root.put("edges", summary.graphEdges().stream().map(edge -> {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("from", edge.from());
            object.put("to", edge.to());
            object.put("via", edge.via());
            return (Object) object;
        }).toList());
        root.put("totals", totals(summary.totals()));
        return JsonWriter.write(root);
    }

    private static Map<String, Object> row(ModelSummary summary, int index) {
        SummaryRow row = summary.rows().get(index);
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("index", index + 1);
        object.put("key", summary.key(index));
        object.put("name", row.name());
        object.put("type", row.type());
        object.put("call", summary.callNumber(index));
        object.put("inputShapes", row.inputs().stream().map(JsonFormat::shape).toList());
        object.put("outputShape", shape(row.output()));
        object.put("outputElements", row.outputElements());
        object.put("params", row.params());
        object.put("trainable", row.trainable());
        object.put("buffers", row.buffers());
        object.put("inPlace", row.inPlace());
        object.put("geometry", row.geometry() == null ? null : geometry(row.geometry()));
        object.put("receptiveField", field(row, ReceptiveField::size));
        object.put("jump", field(row, ReceptiveField::jump));
        object.put("macs", row.macs());
        object.put("biasAdds", row.biasAdds());
        return object;
    }

    private static Map<String, Object> geometry(SummaryRow.Geometry geometry) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("kernel", pair(geometry, Window::kernel));
        object.put("stride", pair(geometry, Window::stride));
        object.put("paddingBefore", pair(geometry, Window::padBefore));
        object.put("paddingAfter", pair(geometry, Window::padAfter));
        object.put("dilation", pair(geometry, Window::dilation));
        object.put("groups", geometry.groups());
        object.put("ceilMode", geometry.ceilMode());
        return object;
    }

    private static Map<String, Object> totals(Totals totals) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("params", totals.params());
        object.put("trainableParams", totals.trainableParams());
        object.put("nonTrainableParams", totals.nonTrainableParams());
        object.put("buffers", totals.buffers());
        object.put("macs", totals.macs());
        object.put("biasAdds", totals.biasAdds());
        object.put("inputBytes", totals.inputBytes());
        object.put("forwardBackwardBytes", totals.forwardBackwardBytes());
        object.put("paramBytes", totals.paramBytes());
        object.put("bufferBytes", totals.bufferBytes());
        object.put("naiveTotalBytes", totals.naiveTotalBytes());
        object.put("inferencePeakActivationBytes", totals.inferencePeakActivationBytes().isPresent()
                ? totals.inferencePeakActivationBytes().getAsLong() : null);
        object.put("inferenceBytes", totals.inferenceBytes().isPresent() ? totals.inferenceBytes().getAsLong() : null);
        return object;
    }

    private static Map<String, Object> namedShape(NamedShape named) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", named.name());
        object.put("shape", shape(named.shape()));
        return object;
    }

    private static List<Object> shape(TensorShape shape) {
        return Arrays.stream(shape.dims()).mapToObj(dim -> (Object) dim).toList();
    }

    private static List<Object> pair(SummaryRow.Geometry geometry, ToIntFunction<Window> value) {
        return List.of(value.applyAsInt(geometry.height()), value.applyAsInt(geometry.width()));
    }

    private static List<Object> field(SummaryRow row, ToDoubleFunction<ReceptiveField> value) {
        if (row.height() == null) {
            return null;
        }
        return List.of(value.applyAsDouble(row.height()), value.applyAsDouble(row.width()));
    }
}
