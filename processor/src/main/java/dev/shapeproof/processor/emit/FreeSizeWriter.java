package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.sizes.CallLiterals;
import dev.shapeproof.processor.sizes.FreeSizeModel;
import dev.shapeproof.processor.sizes.SummaryTemplates;
import dev.shapeproof.sizes.Size;
import dev.shapeproof.sizes.SizePolynomial;
import dev.shapeproof.sizes.SymbolicShape;
import dev.shapeproof.summary.Edge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * What a model with free sizes generates beyond a fixed one: its admissible sizes ({@code ADMISSIBLE_SIZES}), its
 * shapes in symbols ({@code CONV1_OUTPUT_SHAPE = [-1, 64, ⌈H/2⌉, ⌈W/2⌉]}), the input check that reads the sizes
 * and rejects inadmissible ones, the sizes its calls read per size ({@code sizes.of(SIZE_1)}), and its summary
 * ({@code SUMMARY}, a {@code SizedSummary}; {@code summary(h, w)} at a size). Everything else is the fixed model's
 * code, written from the model at its reference size: the processor proved it the same at every size.
 */
final class FreeSizeWriter implements SizeBinding {
    private static final ClassName SIZE = ClassName.get(Size.class);
    private static final ClassName SYMBOLIC_SHAPE = ClassName.get(SymbolicShape.class);
    private static final ClassName ADMISSIBLE_SIZES = ClassName.get("dev.shapeproof.sizes", "AdmissibleSizes");
    private static final ClassName SIZED_SUMMARY = ClassName.get("dev.shapeproof.sizes", "SizedSummary");
    private static final ClassName SIZE_PLAN = ClassName.get("dev.shapeproof.sizes", "SizePlan");
    private static final ClassName MODEL_SUMMARY = ClassName.get("dev.shapeproof.summary", "ModelSummary");
    private static final ClassName FREE_SIZE_INPUTS = ClassName.get("dev.shapeproof.nn", "FreeSizeInputs");
    private static final ClassName LIST = ClassName.get("java.util", "List");
    /** Bytes of static initializer per constant, about; past {@link ShapeConstants#INITIALIZER_BUDGET} they spill. */
    private static final int BYTES_PER_CONSTANT = 24;

    private final FreeSizeModel free;
    /** The sizes forward reads from its plan, each a constant. */
    private final Map<Size, String> sizeConstants = new LinkedHashMap<>();

    FreeSizeWriter(FreeSizeModel free) {
        this.free = free;
    }

    /** The longest string literal written in one piece: javac refuses constants past 65,535 bytes. */
    private static final int LITERAL_CHUNK = 16_384;

    /**
     * {@code text} as a Java expression: one literal, or for a long text (a joint set of irregular shape) the pieces
     * joined at run time, which javac does not fold into one over-long constant.
     */
    static CodeBlock longString(String text) {
        if (text.length() <= LITERAL_CHUNK) {
            return CodeBlock.of("$S", text);
        }
        List<CodeBlock> pieces = new ArrayList<>();
        for (int at = 0; at < text.length(); at += LITERAL_CHUNK) {
            pieces.add(CodeBlock.of("$S", text.substring(at, Math.min(text.length(), at + LITERAL_CHUNK))));
        }
        return CodeBlock.of("$T.join(\"\", $L)", String.class, CodeBlock.join(pieces, ", "));
    }

    // --- constants ---------------------------------------------------------------------------------------------------

    /** {@code ADMISSIBLE_SIZES}, the symbolic shape constants and the input check. */
    void addConstants(TypeSpec.Builder generated) {
        CheckedModel model = free.model();
        List<String> names = free.freeSizes().symbols();
        generated.addField(FieldSpec.builder(ADMISSIBLE_SIZES, "ADMISSIBLE_SIZES", Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("The sizes {@code forward} admits, derived exactly at compile time: $L.\n",
                        javadoc(free.admissible().toString()))
                .initializer("$T.parse($T.of($L), $L)", ADMISSIBLE_SIZES, LIST, quoted(names),
                        longString(free.admissible().toSpec()))
                .build());
        List<Constant> constants = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        List<GraphInput> inputs = model.graph().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            String name = ShapeConstants.inputConstantName(model, inputs.get(i));
            taken.add(name);
            constants.add(new Constant(name, free.freeSizes().symbolicShape(i)));
        }
        List<String> outputNames = model.graph().outputNames();
        List<Constant> outputs = new ArrayList<>();
        for (int i = 0; i < outputNames.size(); i++) {
            String name = outputNames.size() == 1 ? "OUTPUT_SHAPE"
                    : "OUTPUT_" + ShapeConstants.upperSnake(outputNames.get(i)) + "_SHAPE";
            taken.add(name);
            outputs.add(new Constant(name, free.output(i)));
        }
        for (CheckedNode<?> node : model.nodes()) {
            if (!node.node().isModuleCall()) {
                continue;
            }
            String name = ShapeConstants.outputConstantName(node.name());
            if (!taken.add(name)) {
                name = name + "_" + constants.size();
                taken.add(name);
            }
            constants.add(new Constant(name, free.shapeOf(node.node().body().outputOf(node.node()))));
        }
        constants.addAll(outputs);
        addShapes(generated, constants);
        List<CodeBlock> inputNames = new ArrayList<>();
        List<CodeBlock> inputShapes = new ArrayList<>();
        for (GraphInput input : inputs) {
            inputNames.add(CodeBlock.of("$S", input.value().name()));
            inputShapes.add(CodeBlock.of("$N", ShapeConstants.inputConstantName(model, input)));
        }
        generated.addField(FieldSpec.builder(FREE_SIZE_INPUTS, "INPUTS", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("Checks the inputs and keeps a plan per size, for the most recently used sizes.\n")
                .initializer("$T.of($S, ADMISSIBLE_SIZES, $T.of($L), $T.of($L))", FREE_SIZE_INPUTS, modelName(), LIST,
                        CodeBlock.join(inputNames, ", "), LIST, CodeBlock.join(inputShapes, ", "))
                .build());
    }

    private String modelName() {
        return free.model().graph().type().getSimpleName().toString();
    }

    /** The shape constants, in holder classes past javac's limit on one static initializer, as fixed models do. */
    private static void addShapes(TypeSpec.Builder generated, List<Constant> constants) {
        long bytes = (long) constants.size() * BYTES_PER_CONSTANT;
        if (bytes <= ShapeConstants.INITIALIZER_BUDGET) {
            constants.forEach(constant -> generated.addField(constant.field(constant.initializer())));
            return;
        }
        int perClass = ShapeConstants.INITIALIZER_BUDGET / BYTES_PER_CONSTANT;
        for (int start = 0, index = 0; start < constants.size(); start += perClass, index++) {
            List<Constant> slice = constants.subList(start, Math.min(constants.size(), start + perClass));
            String holderName = "Shapes" + index;
            TypeSpec.Builder holder = TypeSpec.classBuilder(holderName)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Initialises shapes $L to $L; see the public constants.\n", start,
                            start + slice.size() - 1);
            for (Constant constant : slice) {
                holder.addField(FieldSpec.builder(SYMBOLIC_SHAPE, constant.name(), Modifier.STATIC, Modifier.FINAL)
                        .initializer(constant.initializer())
                        .build());
                generated.addField(constant.field(CodeBlock.of("$N.$N", holderName, constant.name())));
            }
            generated.addType(holder.build());
        }
    }

    /** The sizes forward's calls read, once forward is written: {@code SIZE_1 = Size.parse("2*floor(H/2)")}. */
    void addSizeConstants(TypeSpec.Builder generated) {
        sizeConstants.forEach((size, name) -> generated.addField(FieldSpec.builder(SIZE, name, Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("{@code $L}, which forward passes to an op.\n", javadoc(size.toString()))
                .initializer("$T.parse($S)", SIZE, size.toSpec())
                .build()));
    }

    // --- summary -----------------------------------------------------------------------------------------------------

    /** {@code SUMMARY} (a {@code SizedSummary}), {@code summary()} and {@code summary(h, w)}. */
    void addSummary(TypeSpec.Builder generated) {
        SummaryTemplates summary = free.summary();
        CheckedModel model = free.model();
        List<CodeBlock> statements = new ArrayList<>();
        List<GraphInput> inputs = model.graph().inputs();
        for (GraphInput input : inputs) {
            statements.add(CodeBlock.of("summary.input($S, $N)", input.value().name(),
                    ShapeConstants.inputConstantName(model, input)));
        }
        for (String row : summary.rows()) {
            statements.add(CodeBlock.of("summary.row($S)", row));
        }
        List<String> outputNames = model.graph().outputNames();
        for (int i = 0; i < outputNames.size(); i++) {
            statements.add(CodeBlock.of("summary.output($S, $T.parse($S))", outputNames.get(i), SYMBOLIC_SHAPE,
                    free.output(i).toSpec()));
        }
        if (summary.chain()) {
            statements.add(CodeBlock.of("summary.chainEdges()"));
        } else {
            for (Edge edge : summary.edges()) {
                statements.add(edge.via().isEmpty()
                        ? CodeBlock.of("summary.edge($S, $S)", edge.from(), edge.to())
                        : CodeBlock.of("summary.edge($S, $S, $S)", edge.from(), edge.to(), edge.via()));
            }
        }
        for (SizePolynomial candidate : summary.peakCandidates()) {
            statements.add(CodeBlock.of("summary.inferencePeakCandidate($S)", candidate.toSpec()));
        }
        ClassName builder = SIZED_SUMMARY.nestedClass("Builder");
        MethodSpec.Builder build = MethodSpec.methodBuilder("buildSummary")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(SIZED_SUMMARY)
                .addStatement("$T summary = $T.builder($S, ADMISSIBLE_SIZES)", builder, SIZED_SUMMARY, modelName());
        List<List<CodeBlock>> chunks = Chunks.of(statements);
        if (chunks.size() == 1) {
            statements.forEach(build::addStatement);
        } else {
            for (int i = 0; i < chunks.size(); i++) {
                MethodSpec.Builder part = MethodSpec.methodBuilder("buildSummary" + i)
                        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                        .addParameter(builder, "summary");
                chunks.get(i).forEach(part::addStatement);
                generated.addMethod(part.build());
                build.addStatement("buildSummary$L(summary)", i);
            }
        }
        build.addStatement("return summary.build()");
        generated.addField(FieldSpec.builder(SIZED_SUMMARY, "SUMMARY", Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("This model's summary in its free sizes: {@code SUMMARY} prints torchsummary's table "
                        + "with symbolic shapes,\n{@code SUMMARY.formulas()} its MACs and memory, and "
                        + "{@code SUMMARY.at(...)} the exact summary at a size.\n")
                .initializer("buildSummary()")
                .build());
        generated.addMethod(MethodSpec.methodBuilder("summary")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(MODEL_SUMMARY)
                .addJavadoc("This model's summary at its smallest admissible sizes ($L); {@link #summary($L)} gives it "
                        + "at any.\n", free.admissible().smallest(), intParameters())
                .addStatement("return SUMMARY.at(ADMISSIBLE_SIZES.smallest())")
                .build());
        MethodSpec.Builder at = MethodSpec.methodBuilder("summary")
                .addModifiers(Modifier.PUBLIC)
                .returns(MODEL_SUMMARY)
                .addJavadoc("This model's summary at the free sizes $L: torchsummary's table at that size, byte for "
                        + "byte.\n\n@throws IllegalArgumentException if the model does not admit them\n",
                        String.join(", ", free.freeSizes().symbols()));
        List<CodeBlock> values = new ArrayList<>();
        for (String parameter : parameterNames()) {
            at.addParameter(ParameterSpec.builder(TypeName.INT, parameter).build());
            values.add(CodeBlock.of("$N", parameter));
        }
        generated.addMethod(at.addStatement("return SUMMARY.at($L)", CodeBlock.join(values, ", ")).build());
        generated.addMethod(build.build());
    }

    /** {@code int, int}: for javadoc links to {@code summary(int, int)}. */
    private String intParameters() {
        return String.join(", ", free.freeSizes().symbols().stream().map(symbol -> "int").toList());
    }

    /** The free sizes' names as Java parameters: lowercase where that is a free name ({@code h}, {@code w}). */
    private List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (String symbol : free.freeSizes().symbols()) {
            String lower = symbol.toLowerCase(java.util.Locale.ROOT);
            String name = SourceVersion.isName(lower) && !names.contains(lower) ? lower : symbol + "_";
            names.add(name);
        }
        return names;
    }

    // --- the forward -------------------------------------------------------------------------------------------------

    @Override
    public void checkInputs(MethodSpec.Builder forward, CheckedModel model, List<GraphInput> inputs,
            List<String> javaNames) {
        List<CodeBlock> arguments = new ArrayList<>();
        for (String name : javaNames) {
            arguments.add(CodeBlock.of("$N", name));
        }
        forward.addStatement("$T $N = INPUTS.check($L)", SIZE_PLAN, ForwardWriter.SIZES_LOCAL,
                CodeBlock.join(arguments, ", "));
    }

    @Override
    public CodeBlock call(Node node, CodeBlock call, List<CodeBlock> arguments, boolean inPlace, CodeBlock training) {
        if (node.isModuleCall()) {
            return call;
        }
        String here = call.toString();
        List<String> there = new ArrayList<>();
        for (int i = 0; i < free.samples().size(); i++) {
            there.add(free.atSample(i, node).call(arguments, inPlace, training).toString());
        }
        List<Integer> differing = CallLiterals.differing(here, there);
        if (differing == null || differing.isEmpty()) {
            return call;
        }
        Map<Integer, CodeBlock> replacements = new LinkedHashMap<>();
        for (int index : differing) {
            Size size = free.sizeOfLiteral(node, index, here, there).orElseThrow(() -> new IllegalStateException(
                    node + ": a number of its call changes with the size but matches none of its sizes"));
            String constant = sizeConstants.computeIfAbsent(size, key -> "SIZE_" + (sizeConstants.size() + 1));
            replacements.put(index, CodeBlock.of("$N.of($N)", ForwardWriter.SIZES_LOCAL, constant));
        }
        return CodeRewriter.replaceLiterals(call, replacements);
    }

    @Override
    public String shapeOf(CheckedModel model, GraphInput input) {
        return free.freeSizes().symbolicShape(model.graph().inputs().indexOf(input)).toString();
    }

    @Override
    public String outputShape(CheckedModel model, int index) {
        return free.output(index).toString();
    }

    private static CodeBlock quoted(List<String> names) {
        List<CodeBlock> quoted = new ArrayList<>();
        for (String name : names) {
            quoted.add(CodeBlock.of("$S", name));
        }
        return CodeBlock.join(quoted, ", ");
    }

    /** Text for javadoc: a brace or an at-sign would open a tag. */
    private static String javadoc(String text) {
        return text.replace("@", "&#64;").replace("{", "&#123;").replace("}", "&#125;");
    }

    /** A public symbolic shape constant before it is written. */
    private record Constant(String name, SymbolicShape shape) {
        CodeBlock initializer() {
            return CodeBlock.of("$T.parse($S)", SYMBOLIC_SHAPE, shape.toSpec());
        }

        FieldSpec field(CodeBlock initializer) {
            return FieldSpec.builder(SYMBOLIC_SHAPE, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .initializer(initializer)
                    .build();
        }
    }
}
