package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Statement;
import dev.shapeproof.processor.graph.TensorList;
import dev.shapeproof.processor.graph.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * Writes a forward: the model's {@code forward} (one check per input, then its statements), or a block's for the
 * instances that share its code. A forward text becomes one Java statement per DSL line, under that line as a
 * comment, with nested calls where the DSL nests them; a sequential model becomes {@code x = layer.forward(x)} per
 * layer, split into helper methods when long. An {@code if} or {@code for} the processor resolved leaves its line as a
 * comment over the branch taken or each pass of the loop.
 *
 * <p>The model's body runs in the calling thread's {@code ForwardWorkspace}: intermediates are released or reused by
 * the next call, and the results are copied out ({@code workspace.result}).
 *
 * <p>An op overwrites its input ({@code forwardInPlace}, {@code F.relu(x, true)}) only when liveness proves nothing
 * reads that input later and it is not the caller's array: the seed's {@code ReLU(inplace=True)}, decided at
 * compile time. A value read by several statements that no DSL variable names gets a local of its own, so nothing is
 * ever computed twice.
 *
 * <p>A convolution and the BatchNorm, residual add and ReLU (ReLU6, leaky ReLU) after it that nothing else reads run
 * as one {@code conv.forwardFused(x, norm, residual, slope)} ({@link ConvFusions}): the DSL lines of the chain stay as
 * comments, and the call stands where the chain's last line was.
 *
 * <p>A convolution's result that only the next convolution reads (or only the model's return) is handed on as it
 * is ({@link HandOffs}): {@code ConvActivation outKept = conv1.forwardKept(x, ...)}, read by
 * {@code conv2.forwardFused(outKept, ...)}. The DSL variable then names a local of its own, {@code outKept}, and the
 * Java variable {@code out} keeps the value it held.
 */
final class ForwardWriter {
    static final TypeName TENSOR_LIST = ParameterizedTypeName.get(ClassName.get("java.util", "List"),
            RuntimeTypes.INDARRAY);
    private static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");

    private final CheckedModel model;
    private final Body body;
    private final BlockClasses blocks;
    private final CodeBlock training;
    private final ConvFusions fusions;
    /** What the forward text hands on ({@link #writeStatements}: a model's returns read handed-on values too). */
    private HandOffs handOffs;
    private final SizeBinding sizes;
    /** The Java names that currently hold each value. */
    private final Map<Value, Set<String>> names = new IdentityHashMap<>();
    private final Map<String, Value> variables = new HashMap<>();
    private final Map<TensorList, String> lists = new IdentityHashMap<>();
    private final Set<String> declared = new HashSet<>();
    /** The locals declared as {@code ConvActivation}, which hold handed-on values. */
    private final Set<String> keptLocals = new HashSet<>();
    /** Every Java name the forward text's variables take, which a handed-on value's local must not take too. */
    private final Set<String> textNames = new HashSet<>();
    /** References to each value that the code still has to write. */
    private final Map<Value, Integer> pendingUses = new IdentityHashMap<>();
    private final Set<Node> written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private List<CodeBlock> hoisted = new ArrayList<>();
    /** How deeply each inline call written so far nests calls: a name is 0, {@code f(x)} is 1. */
    private final Map<CodeBlock, Integer> depths = new IdentityHashMap<>();
    private int temporaries;
    /** Whether this block's forward computes in a {@code BlockWorkspace} and returns through it. */
    private boolean blockWorkspace;
    /** The right-hand side of the assignment {@link #assign} wrote last. */
    private CodeBlock assignedExpression;
    /** Whether the statement being written assigns a handed-on value, which never joins a {@link StatementPairs}. */
    private boolean assignedHandOff;
    /** In a block's workspace: the statement before which the rest computes in the caller's memory. */
    private Statement resultStatement;

    /**
     * @param training the expression of the model's mode, for dropout
     */
    ForwardWriter(CheckedModel model, Body body, BlockClasses blocks, CodeBlock training) {
        this(model, body, blocks, training, SizeBinding.FIXED);
    }

    ForwardWriter(CheckedModel model, Body body, BlockClasses blocks, CodeBlock training, SizeBinding sizes) {
        this.model = model;
        this.body = body;
        this.blocks = blocks;
        this.training = training;
        this.fusions = ConvFusions.of(model, body);
        this.sizes = sizes;
        countUses();
        for (Statement statement : body.statements()) {
            if (statement instanceof Statement.Assign assign) {
                textNames.add(javaName(assign.target()));
            } else if (statement instanceof Statement.AssignList assign) {
                textNames.add(javaName(assign.target()));
            }
        }
        body.parameters().forEach(parameter -> textNames.add(javaName(parameter.name())));
    }

    /** Adds the model's {@code forward} (and, for named outputs, its result record) to {@code generated}. */
    static void addModelForward(TypeSpec.Builder generated, ClassName self, CheckedModel model, String modulesField,
            BlockClasses blocks) {
        addModelForward(generated, self, model, modulesField, blocks, SizeBinding.FIXED);
    }

    /** As above, for a model whose sizes {@code sizes} binds. */
    static void addModelForward(TypeSpec.Builder generated, ClassName self, CheckedModel model, String modulesField,
            BlockClasses blocks, SizeBinding sizes) {
        ForwardWriter writer = new ForwardWriter(model, model.graph().body(), blocks,
                CodeBlock.of("this.$N.isTraining()", modulesField), sizes);
        writer.writeModel(generated, self);
    }

    private void writeModel(TypeSpec.Builder generated, ClassName self) {
        List<GraphInput> inputs = model.graph().inputs();
        TypeName returns = RuntimeTypes.INDARRAY;
        if (body.hasNamedOutputs()) {
            returns = self.nestedClass("Output");
            generated.addType(outputRecord());
        }
        MethodSpec.Builder forward = MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.PUBLIC)
                .returns(returns)
                .addJavadoc("The model's output for a batch of $L, in eval or training mode as set.\n",
                        describeInputs(inputs, sizes, model))
                .addJavadoc("\n<p>Inputs are never modified. Safe to call from many threads at once. What it returns is\n"
                        + "new and the caller's to keep; {@code close()} an array when done to free its native memory"
                        + " at once.\n")
                .addJavadoc("\n@throws IllegalArgumentException if an input is not a float32 array of its shape\n");
        List<String> javaNames = new ArrayList<>();
        for (GraphInput input : inputs) {
            String name = javaName(input.value().name());
            forward.addParameter(ParameterSpec.builder(RuntimeTypes.INDARRAY, name).build());
            javaNames.add(name);
            bind(input.value().name(), input.value());
            declared.add(name);
        }
        sizes.checkInputs(forward, model, inputs, javaNames);
        // Every intermediate lives in this thread's workspace, released or reused by the next call; results are copied
        // out. Keyed by the qualified name: two models of the same simple name must not share a thread's memory.
        forward.beginControlFlow("try ($T workspace = $T.open($S))", RuntimeTypes.FORWARD_WORKSPACE,
                RuntimeTypes.FORWARD_WORKSPACE, self.canonicalName());
        boolean sequential = body.statements().stream().allMatch(statement -> statement.source() == null);
        if (sequential) {
            writeChain(generated, forward);
        } else {
            writeStatements(forward, true);
        }
        forward.endControlFlow();
        generated.addMethod(forward.build());
        generated.addMethod(genericForward(inputs, returns));
    }

    /** {@code forward(List)} of {@code CompiledModel}: the typed forward, its inputs and outputs in lists. */
    private MethodSpec genericForward(List<GraphInput> inputs, TypeName returns) {
        MethodSpec.Builder forward = MethodSpec.methodBuilder("forward")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TENSOR_LIST)
                .addParameter(TENSOR_LIST, "inputs")
                .addStatement("$T.checkInputCount(this, inputs)", RuntimeTypes.COMPILED_MODEL);
        List<CodeBlock> arguments = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            arguments.add(CodeBlock.of("inputs.get($L)", i));
        }
        CodeBlock call = CodeBlock.of("forward($L)", CodeBlock.join(arguments, ", "));
        if (!body.hasNamedOutputs()) {
            return forward.addStatement("return $T.of($L)", ClassName.get("java.util", "List"), call).build();
        }
        forward.addStatement("$T output = $L", returns, call);
        List<CodeBlock> outputs = new ArrayList<>();
        for (String name : model.graph().outputNames()) {
            outputs.add(CodeBlock.of("output.$N()", javaName(name)));
        }
        return forward.addStatement("return $T.of($L)", ClassName.get("java.util", "List"),
                CodeBlock.join(outputs, ", ")).build();
    }

    /** A block's {@code forward} for the body of one of its calls: parameters as the call passed them. */
    MethodSpec blockForward() {
        MethodSpec.Builder forward = MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.PUBLIC)
                .returns(RuntimeTypes.INDARRAY);
        boolean single = body.parameters().size() == 1 && body.parameters().get(0).value() instanceof Value;
        if (single) {
            forward.addAnnotation(Override.class);
        }
        for (Body.Parameter parameter : body.parameters()) {
            String name = javaName(parameter.name());
            declared.add(name);
            if (parameter.value() instanceof TensorList list) {
                forward.addParameter(TENSOR_LIST, name);
                lists.put(list, name);
            } else {
                forward.addParameter(RuntimeTypes.INDARRAY, name);
                bind(parameter.name(), (Value) parameter.value());
            }
        }
        blockWorkspace = computesIntermediates() && body.parameters().stream()
                .allMatch(parameter -> parameter.value() instanceof Value);
        if (blockWorkspace) {
            // What the block computes besides its result is dead when it returns: a workspace of its own, reused by
            // the next block call, keeps a deep network's peak memory to one chain of blocks (BlockWorkspace).
            forward.beginControlFlow("try ($T workspace = $T.enter())", RuntimeTypes.BLOCK_WORKSPACE,
                    RuntimeTypes.BLOCK_WORKSPACE);
            resultStatement = resultStatement();
        }
        writeStatements(forward, false);
        if (blockWorkspace) {
            forward.endControlFlow();
        }
        return forward.build();
    }

    /**
     * The statement that computes the block's result: the last assignment of the returned value (a fused chain's
     * last line), else the return itself, which computes it inline (or returns an input).
     */
    private Statement resultStatement() {
        List<Statement> statements = body.statements();
        Statement.Return ret = null;
        for (Statement statement : statements) {
            if (statement instanceof Statement.Return r) {
                ret = r;
            }
        }
        if (ret == null || ret.values().size() != 1) {
            return ret;
        }
        Statement computing = ret;
        for (Statement statement : statements) {
            if (statement instanceof Statement.Assign assign && assign.value() == ret.values().get(0)) {
                computing = statement;
            }
        }
        return computing;
    }

    /** Whether the body computes more than one array: its nodes, a fused chain counted once. */
    private boolean computesIntermediates() {
        long computed = body.nodes().stream()
                .filter(node -> !fusions.isInterior(body.outputOf(node)))
                .count();
        return computed > 1;
    }

    /**
     * A sequential model: {@code x = layer.forward(x)}, or one fused call for a convolution chain, in helper methods
     * of {@link Chunks#PER_METHOD} such statements. A convolution whose result only the next step's convolution reads
     * hands it on ({@link #writeSteps}).
     */
    private void writeChain(TypeSpec.Builder generated, MethodSpec.Builder forward) {
        String x = javaName(model.graph().inputs().get(0).value().name());
        List<List<Node>> steps = steps();
        List<List<List<Node>>> chunks = Chunks.of(steps);
        if (chunks.size() == 1) {
            writeSteps(forward, steps, x, true);
        } else {
            for (int i = 0; i < chunks.size(); i++) {
                List<List<Node>> chunk = chunks.get(i);
                List<Node> last = chunk.get(chunk.size() - 1);
                MethodSpec.Builder part = MethodSpec.methodBuilder("forward" + i)
                        .addModifiers(Modifier.PRIVATE)
                        .returns(RuntimeTypes.INDARRAY)
                        .addParameter(RuntimeTypes.INDARRAY, x)
                        .addJavadoc("Runs $L to $L.\n", chunk.get(0).get(0).name(), last.get(last.size() - 1).name());
                writeSteps(part, chunk, x, false);
                part.addStatement("return $N", x);
                generated.addMethod(part.build());
                forward.addStatement("$N = forward$L($N)", x, i, x);
            }
            forward.addStatement("return workspace.result($N)", x);
        }
    }

    /**
     * {@code x = step(x)} for each step; {@code last}: the steps end the forward, which returns the result. A
     * convolution step whose next step is a convolution too (in these steps) hands its result on
     * ({@code Conv2dLayer.forwardKept}) in the layout oneDNN wrote it, through a local of its own; so does the last
     * step when it is a convolution and {@code last}, into the workspace's result. The chain is then reordered once,
     * where it ends, not at every convolution.
     */
    private void writeSteps(MethodSpec.Builder method, List<List<Node>> steps, String x, boolean last) {
        String kept = x + "Kept";
        boolean keptHolds = false; // whether `kept` holds the current value rather than x
        boolean keptDeclared = false;
        for (int i = 0; i < steps.size(); i++) {
            List<Node> step = steps.get(i);
            CodeBlock input = CodeBlock.of("$N", keptHolds ? kept : x);
            boolean handsOn = isConvolution(step)
                    && (i + 1 < steps.size() ? isConvolution(steps.get(i + 1)) : last);
            if (!handsOn) {
                method.addStatement("$N = $L", x, keptHolds ? convolutionCall(step, input, false)
                        : chainStep(step, input));
                keptHolds = false;
            } else if (i + 1 == steps.size()) {
                method.addStatement("return workspace.result($L)", convolutionCall(step, input, true));
                return;
            } else {
                CodeBlock call = convolutionCall(step, input, true);
                if (keptDeclared) {
                    method.addStatement("$N = $L", kept, call);
                } else {
                    method.addStatement("$T $N = $L", RuntimeTypes.CONV_ACTIVATION, kept, call);
                }
                keptHolds = true;
                keptDeclared = true;
            }
        }
        if (last) {
            method.addStatement("return workspace.result($N)", x);
        }
    }

    /** Whether a sequential step is a convolution: a fused chain, or a {@code Conv2d} layer alone. */
    private boolean isConvolution(List<Node> step) {
        Node first = step.get(0);
        return fusions.startingAt(first) != null || (step.size() == 1 && ConvFusions.isLayer(first, "Conv2d"));
    }

    /**
     * A convolution step's call: {@code forwardKept} for a result handed on to the next convolution, else
     * {@code forwardFused} (a plain layer's fields: no norm, no residual, no activation).
     */
    private CodeBlock convolutionCall(List<Node> step, CodeBlock input, boolean handsOn) {
        String method = handsOn ? "forwardKept" : "forwardFused";
        ConvFusions.Fusion fusion = fusions.startingAt(step.get(0));
        return fusion != null ? fusedCall(fusion, input, null, method)
                : loneConvolutionCall(step.get(0), input, method);
    }

    /** {@code conv.method(input, null, null, Float.NaN)}: a {@code Conv2d} layer without norm, residual, activation. */
    private CodeBlock loneConvolutionCall(Node conv, CodeBlock input, String method) {
        return CodeBlock.of("$L.$N($L, null, null, $T.NaN)", blocks.access(body.owner(), conv.instance()), method,
                input, Float.class);
    }

    /** A sequential model's layers, one step each, except a fused convolution chain, one step for all its layers. */
    private List<List<Node>> steps() {
        List<List<Node>> steps = new ArrayList<>();
        List<Node> nodes = model.nodes().stream().<Node>map(CheckedNode::node).toList();
        for (int i = 0; i < nodes.size(); i++) {
            ConvFusions.Fusion fusion = fusions.startingAt(nodes.get(i));
            List<Node> step = fusion == null ? List.of(nodes.get(i)) : fusion.nodes();
            steps.add(step);
            i += step.size() - 1;
        }
        return steps;
    }

    /** The call that runs one step of a sequential model on {@code input}. */
    private CodeBlock chainStep(List<Node> step, CodeBlock input) {
        ConvFusions.Fusion fusion = fusions.startingAt(step.get(0));
        return fusion == null ? call(step.get(0), List.of(input)) : fusedCall(fusion, input, null);
    }

    /**
     * {@code conv.forwardFused(input, norm, residual, slope)}: {@code null} for a missing norm or residual; the slope
     * 0 for ReLU, a leaky ReLU's, {@code Float.NaN} without an activation; ReLU6 adds its bound,
     * {@code forwardFused(input, norm, residual, 0f, 6f)}.
     */
    private CodeBlock fusedCall(ConvFusions.Fusion fusion, CodeBlock input, CodeBlock residual) {
        return fusedCall(fusion, input, residual, "forwardFused");
    }

    /** As above, calling {@code method}: {@code forwardKept} for a result handed on to the next convolution. */
    private CodeBlock fusedCall(ConvFusions.Fusion fusion, CodeBlock input, CodeBlock residual, String method) {
        CodeBlock conv = blocks.access(body.owner(), fusion.conv().instance());
        CodeBlock norm = fusion.norm() == null ? CodeBlock.of("null") : blocks.access(body.owner(),
                fusion.norm().instance());
        float slope = fusion.slope();
        CodeBlock activation = Float.isNaN(slope) ? CodeBlock.of("$T.NaN", Float.class) : floatLiteral(slope);
        if (fusion.max() != Float.POSITIVE_INFINITY) {
            activation = CodeBlock.of("$L, $L", activation, floatLiteral(fusion.max()));
        }
        return CodeBlock.of("$L.$N($L, $L, $L, $L)", conv, method, input, norm,
                residual == null ? CodeBlock.of("null") : residual, activation);
    }

    private void writeStatements(MethodSpec.Builder method, boolean isModel) {
        // A model returns through ForwardWorkspace.result, which reads a handed-on convolution's result as it is.
        handOffs = HandOffs.of(body, fusions, isModel);
        StatementPairs pairs = isModel ? new StatementPairs(method) : null;
        for (Statement statement : body.statements()) {
            CodeBlock.Builder emitted = CodeBlock.builder();
            if (statement.source() != null) {
                for (String line : statement.source().split("\n")) {
                    emitted.add("// $L\n", line);
                }
            }
            hoisted = new ArrayList<>();
            assignedExpression = null;
            assignedHandOff = false;
            int declaredBefore = declared.size();
            CodeBlock code = null;
            if (statement instanceof Statement.Assign assign) {
                code = assign(assign);
            } else if (statement instanceof Statement.AssignList assign) {
                code = assignList(assign);
            } else if (statement instanceof Statement.Append append) {
                code = CodeBlock.of("$N.add($L)", listName(append.list()), use(append.value()));
            } else if (statement instanceof Statement.Return ret) {
                code = returnValues(ret, isModel);
            }
            if (statement == resultStatement) {
                // The result is computed where the caller keeps it, so it leaves the block without a copy.
                emitted.addStatement("workspace.computeResult()");
            }
            hoisted.forEach(emitted::addStatement);
            // A handed-on value lives in the memory it was computed in: never in a pair's, which closes with the pair.
            boolean reassigns = statement instanceof Statement.Assign && code != null && hoisted.isEmpty()
                    && declared.size() == declaredBefore && !assignedHandOff;
            if (pairs == null) {
                if (code != null) {
                    emitted.addStatement(code);
                }
                method.addCode(emitted.build());
            } else if (code == null && !hoisted.isEmpty()) {
                pairs.flush();
                method.addCode(emitted.build());
            } else {
                pairs.add(emitted.build(), code, reassigns ? (Statement.Assign) statement : null,
                        assignedExpression);
            }
        }
        if (pairs != null) {
            pairs.flush();
        }
    }

    /**
     * Writes a model's forward text, two statements in a {@code BlockWorkspace} of their own where the first computes
     * a value that only the second reads: {@code x = conv(x); x = maxpool(x)} frees the convolution's output once the
     * pool has read it (resnet's stem, 25.7 MB at batch 8), where the forward's workspace would keep it until the
     * call returns. Both must only reassign variables (a declaration would end with the block) and hoist nothing; the
     * second's value leaves through {@code scope.result}, which copies it only if it still lives in the pair's memory
     * (a view or an in-place result of the first's).
     */
    private final class StatementPairs {
        private final MethodSpec.Builder method;
        private CodeBlock pendingText;     // the first statement of a possible pair, with the comments before it
        private Statement.Assign pending;
        private CodeBlock between = CodeBlock.of(""); // comments of statements that wrote no code, after pending
        private CodeBlock leading = CodeBlock.of(""); // the same before a statement that writes code
        private int pairsWritten;

        StatementPairs(MethodSpec.Builder method) {
            this.method = method;
        }

        /** One statement: its comments and hoisted lines, its code, and itself if it only reassigns a variable. */
        void add(CodeBlock text, CodeBlock code, Statement.Assign reassignment, CodeBlock expression) {
            if (code == null) {
                // A statement that wrote no code (a line of a fused chain): its comments stay with what follows.
                if (pending != null) {
                    between = CodeBlock.builder().add(between).add(text).build();
                } else {
                    leading = CodeBlock.builder().add(leading).add(text).build();
                }
                return;
            }
            text = CodeBlock.builder().add(leading).add(text).build();
            leading = CodeBlock.of("");
            if (pending != null && reassignment != null && pendingUses.getOrDefault(pending.value(), 0) == 0
                    && !pending.value().isInput() && pairsWritten < Limits.MAX_STATEMENT_PAIRS) {
                pairsWritten++;
                CodeBlock.Builder pair = CodeBlock.builder()
                        .beginControlFlow("try ($T scope = $T.enter())", RuntimeTypes.BLOCK_WORKSPACE,
                                RuntimeTypes.BLOCK_WORKSPACE)
                        .add(pendingText)
                        .add(between)
                        .addStatement("scope.computeResult()")
                        .add(text)
                        .addStatement("$N = scope.result($L)", javaName(reassignment.target()), expression)
                        .endControlFlow();
                method.addCode(pair.build());
                clear();
                return;
            }
            flush();
            // An alias (`x = features`) computes nothing a pair could free.
            if (reassignment != null && !SourceVersion.isIdentifier(expression.toString())) {
                pending = reassignment;
                pendingText = CodeBlock.builder().add(text).addStatement(code).build();
            } else {
                method.addCode(CodeBlock.builder().add(text).addStatement(code).build());
            }
        }

        void flush() {
            if (pending != null) {
                method.addCode(pendingText);
                method.addCode(between);
            }
            method.addCode(leading);
            leading = CodeBlock.of("");
            clear();
        }

        private void clear() {
            pending = null;
            pendingText = null;
            between = CodeBlock.of("");
        }
    }

    private CodeBlock assign(Statement.Assign assign) {
        Value result = assign.value();
        pendingUses.merge(result, -1, Integer::sum);
        if (fusions.isInterior(result)) {
            // Computed inside a fused call further down; the name keeps its value until then, which the call may read.
            return null;
        }
        CodeBlock code = expression(result, true);
        assignedExpression = code;
        if (handOffs.isHandedOn(result)) {
            return assignHandOff(assign.target(), result, code);
        }
        String target = javaName(assign.target());
        keepIfStillNeeded(target);
        CodeBlock statement = declared.add(target)
                ? CodeBlock.of("$T $N = $L", RuntimeTypes.INDARRAY, target, code)
                : CodeBlock.of("$N = $L", target, code);
        bind(assign.target(), result);
        return statement;
    }

    /**
     * {@code xKept = code} for the DSL's {@code x = ...} of a handed-on value: the local {@code xKept} (declared
     * {@code ConvActivation} the first time) holds it, and the Java variable {@code x} keeps what it held.
     */
    private CodeBlock assignHandOff(String target, Value result, CodeBlock code) {
        assignedHandOff = true;
        String local = javaName(target) + "Kept";
        if (!keptLocals.contains(local) && (declared.contains(local) || textNames.contains(local))) {
            local = temporary(local);
        }
        keepIfStillNeeded(local);
        declared.add(local);
        CodeBlock statement = keptLocals.add(local)
                ? CodeBlock.of("$T $N = $L", RuntimeTypes.CONV_ACTIVATION, local, code)
                : CodeBlock.of("$N = $L", local, code);
        bindJava(local, result);
        return statement;
    }

    private CodeBlock assignList(Statement.AssignList assign) {
        String target = javaName(assign.target());
        CodeBlock value;
        if (assign.isNew()) {
            List<CodeBlock> items = new ArrayList<>();
            for (Value item : assign.items()) {
                items.add(use(item));
            }
            value = CodeBlock.of("new $T<>($T.of($L))", ARRAY_LIST, ClassName.get("java.util", "List"),
                    CodeBlock.join(items, ", "));
        } else {
            value = CodeBlock.of("$N", listName(assign.list()));
        }
        lists.putIfAbsent(assign.list(), target);
        return declared.add(target) ? CodeBlock.of("$T $N = $L", TENSOR_LIST, target, value)
                : CodeBlock.of("$N = $L", target, value);
    }

    private CodeBlock returnValues(Statement.Return ret, boolean isModel) {
        List<CodeBlock> results = new ArrayList<>();
        for (Value value : ret.values()) {
            results.add(isModel || blockWorkspace ? CodeBlock.of("workspace.result($L)", use(value)) : use(value));
        }
        if (isModel && body.hasNamedOutputs()) {
            return CodeBlock.of("return new Output($L)", CodeBlock.join(results, ", "));
        }
        return CodeBlock.of("return $L", results.get(0));
    }

    /**
     * Before {@code target} is assigned a new value: if the value it held is still to be read and no other name holds
     * it, a local keeps it.
     */
    private void keepIfStillNeeded(String target) {
        Value old = variables.get(target);
        if (old == null || pendingUses.getOrDefault(old, 0) == 0 || names.get(old).size() > 1) {
            return;
        }
        String keep = temporary(target);
        hoisted.add(CodeBlock.of("$T $N = $N", keptLocals.contains(target) ? RuntimeTypes.CONV_ACTIVATION
                : RuntimeTypes.INDARRAY, keep, target));
        names.get(old).add(keep);
        variables.put(keep, old);
    }

    /** The Java expression of {@code value} at one place that reads it. */
    private CodeBlock use(Value value) {
        return use(value, null);
    }

    /** As {@link #use(Value)}, preferring the variable {@code written} when it holds the value. */
    private CodeBlock use(Value value, String written) {
        pendingUses.merge(value, -1, Integer::sum);
        if (written != null && names.getOrDefault(value, Set.of()).contains(javaName(written))) {
            return CodeBlock.of("$N", javaName(written));
        }
        return expression(value, false);
    }

    /**
     * The Java expression of {@code value}: a variable holding it, or the call that computes it.
     *
     * @param named whether the statement being written assigns it to a variable, which then keeps it
     */
    private CodeBlock expression(Value value, boolean named) {
        Set<String> held = names.get(value);
        if (held != null && !held.isEmpty()) {
            // The latest name reads like the DSL: after `identity = x`, the text says identity.
            String latest = null;
            for (String name : held) {
                latest = name;
            }
            return CodeBlock.of("$N", latest);
        }
        Node producer = value.producer();
        if (producer == null || written.contains(producer)) {
            throw new IllegalStateException("no Java name holds " + value + " where it is read");
        }
        written.add(producer);
        List<CodeBlock> arguments = new ArrayList<>();
        CodeBlock call;
        ConvFusions.Fusion fusion = fusions.endingAt(value);
        boolean handsOn = handOffs.isHandedOn(value);
        String convolution = handsOn ? "forwardKept" : "forwardFused";
        if (fusion != null) {
            written.addAll(fusion.nodes());
            arguments.add(use(fusion.input(), fusion.inputWrittenName()));
            if (fusion.residual() != null) {
                arguments.add(use(fusion.residual(), fusion.residualWrittenName()));
            }
            call = fusedCall(fusion, arguments.get(0), fusion.residual() == null ? null : arguments.get(1),
                    convolution);
        } else {
            List<Object> nodeArguments = producer.arguments();
            for (int i = 0; i < nodeArguments.size(); i++) {
                String written = i < producer.writtenNames().size() ? producer.writtenNames().get(i) : null;
                arguments.add(argument(nodeArguments.get(i), producer, written));
            }
            // A convolution that hands its result on, or reads one handed to it, takes or gives a ConvActivation.
            boolean handedTo = HandOffs.isLoneConvolution(producer, fusions)
                    && handOffs.isHandedOn(producer.inputs().get(0));
            call = handsOn || handedTo ? loneConvolutionCall(producer, arguments.get(0), convolution)
                    : call(producer, arguments);
        }
        int depth = 1 + arguments.stream().mapToInt(argument -> depths.getOrDefault(argument, 0)).max().orElse(0);
        if (!named && (pendingUses.getOrDefault(value, 0) > 0 || depth >= Limits.MAX_NESTED_CALLS)) {
            // Read again by a later statement or twice in this one: a local, so it is computed once.
            String name = temporary(value.name());
            hoisted.add(CodeBlock.of("$T $N = $L", handsOn ? RuntimeTypes.CONV_ACTIVATION : RuntimeTypes.INDARRAY,
                    name, call));
            names.computeIfAbsent(value, v -> new LinkedHashSet<>()).add(name);
            variables.put(name, value);
            declared.add(name);
            return CodeBlock.of("$N", name);
        }
        depths.put(call, depth);
        return call;
    }

    private CodeBlock argument(Object argument, Node node, String written) {
        if (argument instanceof Value value) {
            return use(value, written);
        }
        TensorList list = (TensorList) argument;
        String name = lists.get(list);
        CodeBlock items;
        if (name == null) {
            List<CodeBlock> values = new ArrayList<>();
            for (Value item : list.items()) {
                values.add(use(item));
            }
            if (!node.isBodyCall()) {
                CodeBlock joined = CodeBlock.join(values, ", ");
                depths.put(joined, values.stream().mapToInt(v -> depths.getOrDefault(v, 0)).max().orElse(0));
                return joined;
            }
            items = CodeBlock.of("new $T<>($T.of($L))", ARRAY_LIST, ClassName.get("java.util", "List"),
                    CodeBlock.join(values, ", "));
        } else {
            items = CodeBlock.of("$N", name);
        }
        return node.isBodyCall() ? items : CodeBlock.of("$L.toArray(new $T[0])", items, RuntimeTypes.INDARRAY);
    }

    private String listName(TensorList list) {
        String name = lists.get(list);
        if (name == null) {
            throw new IllegalStateException("a list is appended to before it has a name");
        }
        return name;
    }

    /** A module's {@code forward}/{@code forwardInPlace}, a block's forward, or the op's runtime function. */
    private CodeBlock call(Node node, List<CodeBlock> arguments) {
        if (node.isModuleCall()) {
            CodeBlock target = blocks.access(body.owner(), node.instance());
            if (node.isBodyCall()) {
                boolean single = node.arguments().size() == 1 && node.arguments().get(0) instanceof Value;
                if (!single && node.instance().kind() == Instance.Kind.BLOCK) {
                    target = CodeBlock.of("(($T) $L)", blocks.className(node.instance()), target);
                }
                return CodeBlock.of("$L.forward($L)", target, CodeBlock.join(arguments, ", "));
            }
            CheckedNode<?> checked = model.checked(node);
            boolean inPlace = model.runsInPlace(checked);
            return CodeBlock.of("$L.$N($L)", target, inPlace ? "forwardInPlace" : "forward",
                    CodeBlock.join(arguments, ", "));
        }
        CheckedNode<?> checked = model.checked(node);
        boolean inPlace = model.runsInPlace(checked);
        return sizes.call(node, checked.call(arguments, inPlace, training), arguments, inPlace, training);
    }

    /** {@code 0f}, {@code 6f}, {@code 0.2f}: a float as a person writes it. */
    private static CodeBlock floatLiteral(float value) {
        return CodeBlock.of("$Lf", value == (int) value ? Integer.toString((int) value) : Float.toString(value));
    }

    /** Points the DSL variable {@code name} at {@code value}; the value it held before loses that name. */
    private void bind(String name, Value value) {
        bindJava(javaName(name), value);
    }

    /** Points the Java local {@code java} at {@code value}; the value it held before loses that name. */
    private void bindJava(String java, Value value) {
        Value previous = variables.put(java, value);
        if (previous != null) {
            names.get(previous).remove(java);
        }
        names.computeIfAbsent(value, v -> new LinkedHashSet<>()).add(java);
    }

    /** A fresh local named after {@code base}. */
    private String temporary(String base) {
        String stem = javaName(base.replaceAll("[^A-Za-z0-9_]", "_"));
        String name;
        do {
            name = stem + "_" + (++temporaries);
        } while (declared.contains(name) || variables.containsKey(name));
        declared.add(name);
        return name;
    }

    /** Counts, for each value, the places the code will read it. */
    private void countUses() {
        for (Node node : body.nodes()) {
            for (Object argument : node.arguments()) {
                if (argument instanceof Value value) {
                    pendingUses.merge(value, 1, Integer::sum);
                }
            }
        }
        for (Statement statement : body.statements()) {
            if (statement instanceof Statement.Assign assign) {
                pendingUses.merge(assign.value(), 1, Integer::sum);
            } else if (statement instanceof Statement.Append append) {
                pendingUses.merge(append.value(), 1, Integer::sum);
            } else if (statement instanceof Statement.Return ret) {
                ret.values().forEach(v -> pendingUses.merge(v, 1, Integer::sum));
            } else if (statement instanceof Statement.AssignList assign && assign.isNew()) {
                assign.items().forEach(v -> pendingUses.merge(v, 1, Integer::sum));
            }
        }
        Set<TensorList> named = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Body.Parameter parameter : body.parameters()) {
            if (parameter.value() instanceof TensorList list) {
                named.add(list);
            }
        }
        for (Statement statement : body.statements()) {
            if (statement instanceof Statement.AssignList assign) {
                named.add(assign.list());
            }
        }
        for (Node node : body.nodes()) {
            for (Object argument : node.arguments()) {
                if (argument instanceof TensorList list && !named.contains(list)) {
                    // An anonymous list's items are written one by one; a named list is read as a whole.
                    list.items().forEach(v -> pendingUses.merge(v, 1, Integer::sum));
                }
            }
        }
    }

    /**
     * A DSL name as a Java identifier. A trailing underscore goes on Java keywords, on capitalised names (a variable
     * called {@code F} or {@code Window} would hide the type the generated code calls), on {@code workspace} (the
     * forward's own local), and on names already ending in one, which keeps the renaming one-to-one
     * ({@code new → new_}, {@code new_ → new__}).
     */
    /** A free-size model's forward holds its size's plan in this local. */
    static final String SIZES_LOCAL = "sizes";

    static String javaName(String name) {
        return SourceVersion.isKeyword(name) || Character.isUpperCase(name.charAt(0)) || name.equals("workspace")
                || name.equals("scope")
                || name.equals(SIZES_LOCAL) || name.endsWith("_") ? name + "_" : name;
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
            record.addJavadoc("<li>{@code $L}: {@code $L}\n", javaName(names.get(i)), sizes.outputShape(model, i));
        }
        return record.addJavadoc("</ul>\n").build();
    }

    private static String describeInputs(List<GraphInput> inputs, SizeBinding sizes, CheckedModel model) {
        List<String> parts = new ArrayList<>();
        for (GraphInput input : inputs) {
            parts.add("{@code " + input.value().name() + "} of shape {@code " + sizes.shapeOf(model, input) + "}");
        }
        return String.join(" and ", parts);
    }
}
