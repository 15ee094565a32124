package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.shape.TensorShape;
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
            statements.add(CodeBlock.of("summary.row($S)", row.toSpec()));
        }
        for (NamedShape output : summary.outputs()) {
            statements.add(CodeBlock.of("summary.output($S, $L)", output.name(), shape(output.shape())));
        }
        if (isChain(summary)) {
            statements.add(CodeBlock.of("summary.chainEdges()"));
        } else {
            for (Edge edge : summary.edges()) {
                statements.add(edge.via() == null || edge.via().isEmpty()
                        ? CodeBlock.of("summary.edge($S, $S)", edge.from(), edge.to())
                        : CodeBlock.of("summary.edge($S, $S, $S)", edge.from(), edge.to(), edge.via()));
            }
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
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(MODEL_SUMMARY)
                .addJavadoc("This model's summary; the same as {@link #SUMMARY}.\n")
                .addStatement("return SUMMARY")
                .build());
        generated.addMethod(build.build());
    }

    /**
     * Whether the edges are a chain (the input, every row in order, the output), as a sequential model's are: one
     * call then writes them all.
     */
    private static boolean isChain(ModelSummary summary) {
        if (summary.inputs().size() != 1 || summary.outputs().size() != 1 || summary.rows().isEmpty()) {
            return false;
        }
        return summary.edges().equals(ModelSummary.chainEdges(summary.inputs().get(0).name(), summary.rows(),
                summary.outputs().get(0).name()));
    }

    private static CodeBlock shape(TensorShape shape) {
        return CodeBlock.of("$T.of($L)", TensorShape.class,
                CodeBlock.join(Arrays.stream(shape.dims()).mapToObj(dim -> CodeBlock.of("$L", dim)).toList(), ", "));
    }
}
