package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import dev.shapeproof.summary.Edge;
import dev.shapeproof.summary.ModelSummary;
import dev.shapeproof.summary.NamedShape;
import dev.shapeproof.summary.SummaryRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes the model's compile-time summary as a constant, {@code SUMMARY}, and {@code summary()}. The code rebuilds
 * exactly the {@link ModelSummary} the processor computed, so it needs no ND4J and no parameters; large models build
 * it in helper methods.
 */
final class SummaryWriter {
    private static final ClassName MODEL_SUMMARY = ClassName.get(ModelSummary.class);
    private static final ClassName BUILDER = MODEL_SUMMARY.nestedClass("Builder");

    private SummaryWriter() {}

    static void add(TypeSpec.Builder generated, ModelSummary summary) {
        List<CodeBlock> statements = new ArrayList<>();
        for (NamedShape input : summary.inputs()) {
            statements.add(CodeBlock.of("summary.input($S, $L)", input.name(), shape(input.shape())));
        }
        for (SummaryRow row : summary.rows()) {
            statements.add(CodeBlock.of("summary.row($L)", row(row)));
        }
        for (NamedShape output : summary.outputs()) {
            statements.add(CodeBlock.of("summary.output($S, $L)", output.name(), shape(output.shape())));
        }
        for (Edge edge : summary.edges()) {
            statements.add(edge.via() == null || edge.via().isEmpty()
                    ? CodeBlock.of("summary.edge($S, $S)", edge.from(), edge.to())
                    : CodeBlock.of("summary.edge($S, $S, $S)", edge.from(), edge.to(), edge.via()));
        }
        summary.inferencePeakBytes().ifPresent(bytes ->
                statements.add(CodeBlock.of("summary.inferencePeakBytes($LL)", bytes)));

        MethodSpec.Builder build = MethodSpec.methodBuilder("buildSummary")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(MODEL_SUMMARY)
                .addStatement("$T summary = $T.builder($S)", BUILDER, MODEL_SUMMARY, summary.model());
        List<List<CodeBlock>> chunks = Chunks.of(statements);
        if (chunks.size() == 1) {
            statements.forEach(build::addStatement);
        } else {
            for (int i = 0; i < chunks.size(); i++) {
                MethodSpec.Builder part = MethodSpec.methodBuilder("buildSummary" + i)
                        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                        .addParameter(BUILDER, "summary");
                chunks.get(i).forEach(part::addStatement);
                generated.addMethod(part.build());
                build.addStatement("buildSummary$L(summary)", i);
            }
        }
        build.addStatement("return summary.build()");

        generated.addField(FieldSpec.builder(MODEL_SUMMARY, "SUMMARY", Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("This model's summary, computed at compile time: {@code SUMMARY} prints torchsummary's "
                        + "table,\n{@code SUMMARY.detailed()} adds kernels, receptive fields, MACs and memory.\n")
                .initializer("buildSummary()")
                .build());
        generated.addMethod(MethodSpec.methodBuilder("summary")
                .addModifiers(Modifier.PUBLIC)
                .returns(MODEL_SUMMARY)
                .addJavadoc("This model's summary; the same as {@link #SUMMARY}.\n")
                .addStatement("return SUMMARY")
                .build());
        generated.addMethod(build.build());
    }

    private static CodeBlock row(SummaryRow row) {
        CodeBlock inputs = CodeBlock.join(row.inputs().stream().map(SummaryWriter::shape).toList(), ", ");
        return CodeBlock.builder()
                .add("new $T($S, $S, $T.of($L), $L,$W", SummaryRow.class, row.name(), row.type(), List.class, inputs,
                        shape(row.output()))
                .add("$LL, $LL, $LL, $L,$W", row.params(), row.trainable(), row.buffers(), row.inPlace())
                .add("$L,$W", geometry(row.geometry()))
                .add("$L, $L,$W", field(row.height()), field(row.width()))
                .add("$LL, $LL)", row.macs(), row.biasAdds())
                .build();
    }

    private static CodeBlock geometry(SummaryRow.Geometry geometry) {
        if (geometry == null) {
            return CodeBlock.of("null");
        }
        return CodeBlock.of("$T.of($L, $L, $L)", SummaryRow.Geometry.class, window(geometry.height()),
                window(geometry.width()), geometry.groups());
    }

    private static CodeBlock window(Window window) {
        return CodeBlock.of("new $T($L, $L, $L, $L, $L, $L)", Window.class, window.kernel(), window.stride(),
                window.padBefore(), window.padAfter(), window.dilation(), window.ceilMode());
    }

    private static CodeBlock field(ReceptiveField field) {
        if (field == null) {
            return CodeBlock.of("null");
        }
        return CodeBlock.of("new $T($L, $L)", ReceptiveField.class, number(field.size()), number(field.jump()));
    }

    /**
     * A double as a literal that reads back exactly: {@code 67} for whole numbers in an int's range (a larger one
     * as {@code 3026292805.0}: an int literal cannot hold it), the shortest repr otherwise.
     */
    private static String number(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Math.abs(value) <= Integer.MAX_VALUE ? Long.toString((long) value) : (long) value + ".0";
        }
        return Double.toString(value);
    }

    private static CodeBlock shape(TensorShape shape) {
        return CodeBlock.of("$T.of($L)", TensorShape.class,
                CodeBlock.join(Arrays.stream(shape.dims()).mapToObj(dim -> CodeBlock.of("$L", dim)).toList(), ", "));
    }
}
