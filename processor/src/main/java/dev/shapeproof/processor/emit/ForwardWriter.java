package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.ModelGraph.Statement;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code forward}: one check per input, then the model's statements. A forward text becomes one Java statement
 * per DSL line, under that line as a comment, with nested calls where the DSL nests them; a sequential model becomes
 * {@code x = layer.forward(x)} per layer, split into helper methods when long.
 *
 * <p>The body runs in the calling thread's {@code ForwardWorkspace}: intermediates are released or reused by the next
 * call, and the results are copied out ({@code workspace.result}).
 *
 * <p>An op overwrites its input ({@code forwardInPlace}, {@code F.relu(x, true)}) only when liveness proves nothing
 * reads that input later and it is not the caller's array: the seed's {@code ReLU(inplace=True)}, decided at
 * compile time.
 */
final class ForwardWriter {
    private final CheckedModel model;
    private final String modulesField;
    private final Map<Node, CheckedNode<?>> checked = new HashMap<>();
    /** The Java names that currently hold each value. */
    private final Map<Value, Set<String>> names = new HashMap<>();
    private final Map<String, Value> variables = new HashMap<>();
    private final Set<String> declared = new HashSet<>();

    private ForwardWriter(CheckedModel model, String modulesField) {
        this.model = model;
        this.modulesField = modulesField;
        for (CheckedNode<?> node : model.nodes()) {
            checked.put(node.node(), node);
        }
    }

    /** Adds {@code forward} (and, for several outputs, its result record) to {@code generated}. */
    static void add(TypeSpec.Builder generated, ClassName self, CheckedModel model, String modulesField) {
        new ForwardWriter(model, modulesField).write(generated, self);
    }

    private void write(TypeSpec.Builder generated, ClassName self) {
        List<GraphInput> inputs = model.graph().inputs();
        TypeName returns = RuntimeTypes.INDARRAY;
        if (model.graph().outputs().size() > 1) {
            returns = self.nestedClass("Output");
            generated.addType(outputRecord());
        }
        MethodSpec.Builder forward = MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.PUBLIC)
                .returns(returns)
                .addJavadoc("The model's output for a batch of $L, in eval or training mode as set.\n",
                        describeInputs(inputs))
                .addJavadoc("\n<p>Inputs are never modified. Safe to call from many threads at once. What it returns is\n"
                        + "new and the caller's to keep; {@code close()} an array when done to free its native memory"
                        + " at once.\n")
                .addJavadoc("\n@throws IllegalArgumentException if an input is not a float32 array of its shape\n");
        for (GraphInput input : inputs) {
            String name = javaName(input.value().name());
            forward.addParameter(ParameterSpec.builder(RuntimeTypes.INDARRAY, name).build());
            forward.addStatement("$T.check($S, $N, $N)", RuntimeTypes.INPUTS, input.value().name(), name,
                    ShapeConstants.inputConstantName(model, input));
            bind(input.value().name(), input.value());
            declared.add(name);
        }
        // Every intermediate lives in this thread's workspace, released or reused by the next call; results are copied
        // out. Keyed by the qualified name: two models of the same simple name must not share a thread's memory.
        forward.beginControlFlow("try ($T workspace = $T.open($S))", RuntimeTypes.FORWARD_WORKSPACE,
                RuntimeTypes.FORWARD_WORKSPACE, self.canonicalName());
        boolean sequential = model.graph().statements().stream().allMatch(statement -> statement.source() == null);
        if (sequential) {
            writeChain(generated, forward);
        } else {
            for (Statement statement : model.graph().statements()) {
                writeStatement(forward, statement);
            }
        }
        forward.endControlFlow();
        generated.addMethod(forward.build());
    }

    /** A sequential model: {@code x = layer.forward(x)}, in helper methods of {@link Chunks#PER_METHOD} layers. */
    private void writeChain(TypeSpec.Builder generated, MethodSpec.Builder forward) {
        String x = javaName(model.graph().inputs().get(0).value().name());
        List<List<CheckedNode<?>>> chunks = Chunks.of(model.nodes());
        if (chunks.size() == 1) {
            model.nodes().forEach(node -> forward.addStatement("$N = $L", x, call(node, List.of(CodeBlock.of("$N", x)))));
        } else {
            for (int i = 0; i < chunks.size(); i++) {
                List<CheckedNode<?>> chunk = chunks.get(i);
                MethodSpec.Builder part = MethodSpec.methodBuilder("forward" + i)
                        .addModifiers(Modifier.PRIVATE)
                        .returns(RuntimeTypes.INDARRAY)
                        .addParameter(RuntimeTypes.INDARRAY, x)
                        .addJavadoc("Runs $L to $L.\n", chunk.get(0).name(), chunk.get(chunk.size() - 1).name());
                chunk.forEach(node -> part.addStatement("$N = $L", x, call(node, List.of(CodeBlock.of("$N", x)))));
                part.addStatement("return $N", x);
                generated.addMethod(part.build());
                forward.addStatement("$N = forward$L($N)", x, i, x);
            }
        }
        forward.addStatement("return workspace.result($N)", x);
    }

    /** One DSL line: its comment, then the assignment or return with the line's calls nested. */
    private void writeStatement(MethodSpec.Builder forward, Statement statement) {
        for (String line : statement.source().split("\n")) {
            forward.addCode("// $L\n", line);
        }
        List<Value> values = statement.values();
        if (statement.target() == null) {
            List<CodeBlock> results = new ArrayList<>();
            for (Value value : values) {
                results.add(CodeBlock.of("workspace.result($L)", expression(value)));
            }
            if (results.size() == 1) {
                forward.addStatement("return $L", results.get(0));
            } else {
                forward.addStatement("return new Output($L)", CodeBlock.join(results, ", "));
            }
            return;
        }
        Value result = values.get(values.size() - 1);
        CodeBlock code = expression(result);
        String target = javaName(statement.target());
        if (declared.add(target)) {
            forward.addStatement("$T $N = $L", RuntimeTypes.INDARRAY, target, code);
        } else {
            forward.addStatement("$N = $L", target, code);
        }
        bind(statement.target(), result);
    }

    /** The Java expression of {@code value}: a variable holding it, or the nested calls that compute it. */
    private CodeBlock expression(Value value) {
        Set<String> held = names.get(value);
        if (held != null && !held.isEmpty()) {
            // The latest name reads like the DSL: after `identity = x`, the text says identity.
            String latest = null;
            for (String name : held) {
                latest = name;
            }
            return CodeBlock.of("$N", latest);
        }
        CheckedNode<?> node = checked.get(value.producer());
        List<CodeBlock> arguments = new ArrayList<>();
        for (Value input : value.producer().inputs()) {
            arguments.add(expression(input));
        }
        return call(node, arguments);
    }

    /** A module's {@code forward}/{@code forwardInPlace}, or the op's runtime function. */
    private CodeBlock call(CheckedNode<?> node, List<CodeBlock> arguments) {
        Node graphNode = node.node();
        boolean inPlace = model.runsInPlace(node);
        if (graphNode.isModuleCall()) {
            return CodeBlock.of("this.$N.$N($L)", graphNode.module(), inPlace ? "forwardInPlace" : "forward",
                    arguments.get(0));
        }
        return node.call(arguments, inPlace, CodeBlock.of("this.$N.isTraining()", modulesField));
    }

    /** Points the DSL variable {@code name} at {@code value}; the value it held before loses that name. */
    private void bind(String name, Value value) {
        String java = javaName(name);
        Value previous = variables.put(java, value);
        if (previous != null) {
            names.get(previous).remove(java);
        }
        names.computeIfAbsent(value, v -> new LinkedHashSet<>()).add(java);
    }

    /**
     * A DSL name as a Java identifier. A trailing underscore goes on Java keywords, on capitalised names (a variable
     * called {@code F} or {@code Window} would hide the type the generated code calls), on {@code workspace} (the
     * forward's own local), and on names already ending in one, which keeps the renaming one-to-one
     * ({@code new → new_}, {@code new_ → new__}).
     */
    static String javaName(String name) {
        return SourceVersion.isKeyword(name) || Character.isUpperCase(name.charAt(0)) || name.equals("workspace")
                || name.endsWith("_") ? name + "_" : name;
    }

    private TypeSpec outputRecord() {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        List<String> names = model.graph().outputNames();
        for (int i = 0; i < names.size(); i++) {
            constructor.addParameter(RuntimeTypes.INDARRAY, javaName(names.get(i)));
        }
        TypeSpec.Builder record = TypeSpec.recordBuilder("Output")
                .addModifiers(Modifier.PUBLIC)
                .recordConstructor(constructor.build())
                .addJavadoc("The outputs of {@code forward}, named as the forward text returns them:\n<ul>\n");
        for (int i = 0; i < names.size(); i++) {
            record.addJavadoc("<li>{@code $L}: {@code $L}\n", javaName(names.get(i)),
                    ShapeConstants.outputShape(model, i));
        }
        return record.addJavadoc("</ul>\n").build();
    }

    private static String describeInputs(List<GraphInput> inputs) {
        List<String> parts = new ArrayList<>();
        for (GraphInput input : inputs) {
            parts.add("{@code " + input.value().name() + "} of shape {@code " + input.shape() + "}");
        }
        return String.join(" and ", parts);
    }
}
