package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.ShapeChecker;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.dsl.Ast;
import dev.shapeproof.processor.dsl.DslException;
import dev.shapeproof.processor.dsl.Parser;
import dev.shapeproof.processor.dsl.Span;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.ModelGraph;
import dev.shapeproof.processor.graph.ModuleClass;
import dev.shapeproof.processor.graph.ModuleField;
import dev.shapeproof.processor.graph.Statement;
import dev.shapeproof.processor.graph.TensorList;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.op.ModuleCallOp;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.processor.read.AnnotationReader;
import dev.shapeproof.processor.read.BlockReader;
import dev.shapeproof.processor.read.DeferredTypeException;
import dev.shapeproof.processor.read.ModelDeclaration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Lowers a model to its checked graph: builds the module tree ({@code __init__}), then runs the model's forward at
 * compile time, and every block's and container's forward for each of its calls, proving each node's shapes as it is
 * added. Mistakes in the texts stop at the first one, reported on the text's annotation value with the line quoted;
 * unused variables and layers are warnings.
 */
public final class Lowering {
    private final Elements elements;
    private final Types types;
    private final Reporter reporter;
    private final BlockReader blocks;
    private final ShapeChecker checker;
    private final Instantiation instantiation = new Instantiation(this);
    private final Map<TypeElement, List<Ast.Param>> params = new HashMap<>();
    private final Map<String, Object> defaults = new HashMap<>();
    private final Map<TypeElement, Ast.Program> forwards = new HashMap<>();
    private final Set<Instance> called = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The input shapes of each block's first call: its generated class serves that call's shapes. */
    private final Map<Instance, List<dev.shapeproof.shape.TensorShape>> firstCallShapes =
            new java.util.IdentityHashMap<>();
    private final List<Runnable> warnings = new ArrayList<>();
    private final Set<String> readAssignments = new java.util.HashSet<>();
    private final Map<String, Runnable> unreadAssignments = new LinkedHashMap<>();

    private Lowering(Elements elements, Types types, Reporter reporter, BlockReader blocks) {
        this.elements = elements;
        this.types = types;
        this.reporter = reporter;
        this.blocks = blocks;
        this.checker = new ShapeChecker(reporter);
    }

    /**
     * The checked model, or empty when any error was reported.
     *
     * @throws DeferredTypeException when a block's field type is not resolved yet
     */
    public static Optional<CheckedModel> lower(ModelDeclaration declaration, Elements elements, Types types,
            Reporter reporter, BlockReader blocks) throws DeferredTypeException {
        return new Lowering(elements, types, reporter, blocks).run(declaration);
    }

    /**
     * The model as far as its forward ran, even past a wrong shape: its graph, and the nodes that passed, checked. The
     * free-size compiler reads it to say which sizes the ops that disagree gave. Empty when the forward itself stopped
     * (a mistake in its text, not in a shape).
     *
     * @throws DeferredTypeException when a block's field type is not resolved yet
     */
    public static Optional<CheckedModel> lowerPastWrongShapes(ModelDeclaration declaration, Elements elements,
            Types types, Reporter reporter, BlockReader blocks) throws DeferredTypeException {
        Lowering lowering = new Lowering(elements, types, reporter, blocks);
        lowering.keepWrongShapes = true;
        return lowering.run(declaration);
    }

    /** Whether {@link #run} returns the model even when a shape was wrong; see {@link #lowerPastWrongShapes}. */
    private boolean keepWrongShapes;

    private Optional<CheckedModel> run(ModelDeclaration declaration) throws DeferredTypeException {
        int errorsBefore = reporter.errorCount();
        ModuleClass modelClass = declaration.modelClass();
        Body body;
        Instance root;
        try {
            Map<String, Object> arguments = new LinkedHashMap<>();
            if (modelClass.hasInit()) {
                instantiation.runInit(modelClass, arguments, modelClass.simpleName());
            }
            root = Instance.model(modelClass, arguments, Location.of(modelClass.type()));
            for (var child : instantiation.children(modelClass, arguments, modelClass.simpleName())) {
                if (child.spec() != null) {
                    root.addChild(child.key(), instantiation.place(child.spec(), child.key(), child.field()));
                }
            }
            checkFieldTypes(root);
            body = forward(root, declaration.inputs());
        } catch (LoweringError e) {
            if (e.isNew()) {
                reporter.report(e.location(), e.diagnostic(), e.arguments());
            }
            return Optional.empty();
        } catch (Instantiation.DeferredInLowering e) {
            throw e.cause;
        }
        checkLength(body, modelClass.forward(), modelClass.simpleName());
        List<Instance> uncalled = new ArrayList<>();
        for (Instance instance : root.all()) {
            if (instance.kind() == Instance.Kind.LAYER && !called.contains(instance)) {
                uncalled.add(instance);
                checker.checkUncalled(instance);
                Instance owner = instance.owner();
                warn(instance.location(), Message.UNUSED_MODULE, owner.kind() == Instance.Kind.MODEL
                        ? modelClass.simpleName() : owner.description(), instance.key());
            }
        }
        unreadAssignments.values().forEach(Runnable::run);
        warnings.forEach(Runnable::run);
        if (reporter.errorCount() > errorsBefore && !keepWrongShapes) {
            return Optional.empty();
        }
        List<String> modules = new ArrayList<>();
        for (Instance child : root.children().values()) {
            // The model's own parameters are its state whether forward reads them or not, as in PyTorch.
            if (child.kind() == Instance.Kind.PARAMETER || child.all().stream().anyMatch(called::contains)) {
                modules.add(child.key());
            }
        }
        ModelGraph graph = new ModelGraph(modelClass.type(), declaration.inputs(), root, body, modules, uncalled);
        List<dev.shapeproof.shape.TensorShape> outputs = body.outputs().stream().map(checker::shapeOf).toList();
        return Optional.of(new CheckedModel(graph, checker.checkedNodes(), outputs.contains(null) ? List.of()
                : outputs, checker.shapeReads()));
    }

    /** Runs the model's forward text, or its fields in order when it has none (a sequential model). */
    private Body forward(Instance root, List<GraphInput> inputs) throws LoweringError {
        List<Body.Parameter> parameters = new ArrayList<>();
        Map<String, Object> variables = new LinkedHashMap<>();
        for (GraphInput input : inputs) {
            parameters.add(new Body.Parameter(input.value().name(), input.value()));
            variables.put(input.value().name(), input.value());
            checker.input(input.value(), input.shape());
        }
        Body body = new Body(root, parameters, null);
        ModuleClass modelClass = root.moduleClass();
        if (!modelClass.hasForward()) {
            Value current = inputs.get(0).value();
            String name = current.name();
            for (Instance child : root.children().values()) {
                if (child.kind() == Instance.Kind.PARAMETER) {
                    continue; // a Sequential runs its modules, not its parameters
                }
                Ast.Call call = new Ast.Call(new Ast.Name(child.key(), new Span(1, 1, 1)), List.of(),
                        new Span(1, 1, 1));
                current = chainStep(child, current, call, body, sequentialSource(root));
                body.addStatement(new Statement.Assign(null, name, current));
                if (checker.shapeOf(current) == null) {
                    break;
                }
            }
            body.setOutputs(List.of(current), List.of("output"));
            return body;
        }
        Attribute forward = modelClass.forward();
        Source source = new Source(forward.asString(), forward.location(), "forward", modelClass.simpleName());
        Ast.Program program = parse(source);
        if (program.params() != null) {
            List<String> declared = inputs.stream().map(input -> input.value().name()).toList();
            List<String> written = program.params().stream().map(Ast.Param::name).toList();
            if (!declared.equals(written)) {
                throw new LoweringError(source.at(program.params().isEmpty() ? new Span(1, 1, 3)
                        : program.params().get(0).span()), Message.WRONG_ARGUMENTS, modelClass.simpleName(),
                        "forward's parameters must be the model's inputs", String.join(", ", written),
                        String.join(", ", declared), "write def forward(self, " + String.join(", ", declared)
                                + "):");
            }
        }
        new ForwardInterpreter(this, body, root, source, variables).run(program.statements(), end(source));
        return body;
    }

    /**
     * Every forward the generated code writes as one Java method must fit javac's 64 KB: at most
     * {@link #MAX_OPS_PER_FORWARD} ops, loops unrolled. A sequential model's chain is split into methods and has no
     * such limit.
     */
    public static final int MAX_OPS_PER_FORWARD = 2_000;

    private void checkLength(Body body, Attribute forward, String subject) {
        if (body.owner().moduleClass() == null || !body.owner().moduleClass().hasForward()) {
            for (var node : body.nodes()) {
                if (node.callee() != null) {
                    checkLength(node.callee(), null, null);
                }
            }
            return;
        }
        int ops = body.nodes().size();
        if (ops > MAX_OPS_PER_FORWARD) {
            Attribute text = forward != null ? forward : body.owner().moduleClass().forward();
            String who = subject != null ? subject : body.owner().path() + " = " + body.owner().description();
            reporter.report(text.location(), Message.FORWARD_TOO_LONG, who, ops,
                    body.statements().stream().anyMatch(s -> s instanceof Statement.Comment c
                            && c.source().contains("# pass")) ? ", loops unrolled" : "", MAX_OPS_PER_FORWARD);
        }
        for (var node : body.nodes()) {
            if (node.callee() != null) {
                checkLength(node.callee(), null, null);
            }
        }
    }

    /** A source for messages about a sequential model's implicit chain: the model's own annotation. */
    private static Source sequentialSource(Instance root) {
        return new Source("", root.location(), "forward", root.moduleClass().simpleName());
    }

    /** The span of the text's last line, where a missing return is reported. */
    private static Span end(Source source) {
        String[] lines = source.text().stripTrailing().split("\n", -1);
        return new Span(lines.length, 1, Math.max(1, lines[lines.length - 1].length()));
    }

    private Ast.Program parse(Source source) throws LoweringError {
        try {
            return Parser.parse(source.text());
        } catch (DslException e) {
            throw new LoweringError(source.at(e.span()), Message.DSL_SYNTAX, source.subject(), e.getMessage(),
                    "the forward DSL is a subset of PyTorch's forward; see the README's grammar");
        }
    }

    /**
     * Calls a block or container with {@code args}: runs its forward (a block's text, or its children in order for a
     * {@code Sequential}) in a body of its own, and adds the call to {@code caller}.
     */
    Value callBody(Instance module, Evaluator.Args args, Ast.Call call, ForwardInterpreter from, Body caller,
            Location location) throws LoweringError {
        boolean isChain = module.kind() == Instance.Kind.SEQUENTIAL
                || module.kind() == Instance.Kind.BLOCK && module.base() == ModuleClass.Base.SEQUENTIAL
                        && !module.moduleClass().hasForward();
        if (!isChain && (module.kind() != Instance.Kind.BLOCK || !module.moduleClass().hasForward())) {
            String why = module.kind() == Instance.Kind.BLOCK
                    ? module.moduleClass().simpleName() + " has no forward text"
                    : "a " + module.pytorchType() + " is not called itself, as in PyTorch";
            throw from.wrong(call.span(), module.path() + " cannot be called: " + why, module.path() + "(...)",
                    module.kind() == Instance.Kind.BLOCK ? "@Block(forward = ...)" : "a loop over its modules",
                    module.kind() == Instance.Kind.BLOCK ? "give " + module.moduleClass().simpleName()
                            + " a forward text" : "iterate: for m in self." + module.key() + ": x = m(x)");
        }
        called.add(module);
        List<Object> arguments = new ArrayList<>();
        List<Value> inputs = new ArrayList<>();
        Body callee;
        Value result;
        if (isChain) {
            if (args.positional().size() != 1 || !args.keywords().isEmpty()) {
                throw from.wrong(call.span(), module.path() + " takes one tensor, as nn.Sequential does",
                        args.size() + " argument(s)", module.key() + "(x)", "pass one tensor");
            }
            Value input = from.tensor(args.positional().get(0), call.arguments().get(0).value());
            arguments.add(input);
            inputs.add(input);
            callee = new Body(module, List.of(new Body.Parameter("input", input)), null);
            Value current = input;
            for (Instance child : module.children().values()) {
                if (child.kind() == Instance.Kind.PARAMETER) {
                    continue;
                }
                current = chainStep(child, current, call, callee, from.source);
                if (checker.shapeOf(current) == null) {
                    break;
                }
            }
            callee.setOutputs(List.of(current), List.of("output"));
            result = current;
        } else {
            ModuleClass block = module.moduleClass();
            Attribute forward = block.forward();
            Source source = new Source(forward.asString(), forward.location(), "forward",
                    module.path() + " = " + module.description());
            Ast.Program program = forwards.get(block.type());
            if (program == null) {
                program = parse(source);
                forwards.put(block.type(), program);
            }
            List<Ast.Param> params = program.params() != null ? program.params()
                    : List.of(new Ast.Param("x", null, null, new Span(1, 1, 1)));
            Map<String, Object> bound = bindForward(module, params, args, call, from);
            List<Body.Parameter> parameters = new ArrayList<>();
            Map<String, Object> variables = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : bound.entrySet()) {
                Object value = entry.getValue();
                variables.put(entry.getKey(), value);
                if (value instanceof Value tensor) {
                    parameters.add(new Body.Parameter(entry.getKey(), tensor));
                    arguments.add(tensor);
                    inputs.add(tensor);
                } else if (value instanceof TensorList list) {
                    parameters.add(new Body.Parameter(entry.getKey(), list));
                    arguments.add(list);
                    inputs.addAll(list.snapshot());
                }
            }
            if (inputs.isEmpty()) {
                throw from.wrong(call.span(), module.path() + " needs a tensor", "no tensor argument",
                        module.key() + "(x)", "pass a tensor");
            }
            List<dev.shapeproof.shape.TensorShape> shapes = inputs.stream().map(checker::shapeOf).toList();
            List<dev.shapeproof.shape.TensorShape> first = firstCallShapes.putIfAbsent(module, shapes);
            if (first != null && !first.equals(shapes)) {
                throw from.wrong(call.span(), module.path() + " is called again with inputs of other shapes, which "
                        + "its generated forward does not cover", String.join(", ", shapes.stream()
                                .map(Object::toString).toList()), "the shapes of its first call: " + String.join(
                                ", ", first.stream().map(Object::toString).toList()),
                        "use one instance per input shape (two fields, or two entries of the container)");
            }
            callee = new Body(module, parameters, null);
            ForwardInterpreter run = new ForwardInterpreter(this, callee, module, source, variables);
            run.run(program.statements(), end(source));
            result = callee.outputs().get(0);
            from.changedByCall(run.changedInPlace(), call.span());
        }
        Value output = caller.addCall(module, new ModuleCallOp(module.pytorchType(), rowParameters(module)),
                arguments, inputs, location, callee);
        callee.setCaller(output.producer());
        checker.checkCall(output.producer(), output, result);
        return output;
    }

    /**
     * The parameters torchsummary counts on a block's row: its own named {@code weight} and {@code bias} (a
     * LayerNorm2d's), as its hook reads {@code module.weight} and {@code module.bias} only.
     */
    private static List<dev.shapeproof.shape.ParameterShape> rowParameters(Instance module) {
        List<dev.shapeproof.shape.ParameterShape> parameters = new ArrayList<>();
        for (String key : List.of("weight", "bias")) {
            Instance child = module.child(key);
            if (child != null && child.kind() == Instance.Kind.PARAMETER) {
                long[] dims = java.util.Arrays.stream(child.parameterInit().shape()).asLongStream().toArray();
                parameters.add(dev.shapeproof.shape.ParameterShape.parameter(key, dims));
            }
        }
        return parameters;
    }

    /** One step of a chain: the child called on the previous output, as {@code nn.Sequential} does. */
    private Value chainStep(Instance child, Value input, Ast.Call call, Body body, Source source)
            throws LoweringError {
        Location location = child.location();
        if (child.kind() == Instance.Kind.LAYER) {
            called.add(child);
            Value output = body.add(child.path(), child, child.op(), child.attributes(), List.of(input),
                    List.of(input), location);
            checker.check(output.producer(), output);
            return output;
        }
        ForwardInterpreter step = new ForwardInterpreter(this, body, child, source, new LinkedHashMap<>());
        Evaluator.Args args = new Evaluator.Args(List.of(input), List.of(call.span()), Map.of(), Map.of(),
                call.span());
        Ast.Call single = new Ast.Call(call.callee(), List.of(new Ast.Argument(null, new Ast.Name("x", call.span()),
                call.span())), call.span());
        return callBody(child, args, single, step, body, location);
    }

    /** Binds a block's forward parameters to a call's arguments, Python's way. */
    private Map<String, Object> bindForward(Instance module, List<Ast.Param> params, Evaluator.Args args,
            Ast.Call call, ForwardInterpreter from) throws LoweringError {
        Map<String, Object> bound = new LinkedHashMap<>();
        String signature = "forward(self, " + String.join(", ", params.stream().map(Ast.Param::name).toList()) + ")";
        if (args.positional().size() > params.size()) {
            throw from.wrong(call.span(), module.path() + "'s forward takes " + params.size() + " argument"
                    + (params.size() == 1 ? "" : "s"), args.positional().size() + " arguments", signature,
                    "remove the extra arguments");
        }
        for (int i = 0; i < args.positional().size(); i++) {
            bound.put(params.get(i).name(), args.positional().get(i));
        }
        for (Map.Entry<String, Object> keyword : args.keywords().entrySet()) {
            if (params.stream().noneMatch(p -> p.name().equals(keyword.getKey()))
                    || bound.containsKey(keyword.getKey())) {
                throw from.wrong(args.keywordSpans().get(keyword.getKey()), module.path() + "'s forward cannot take "
                        + keyword.getKey() + " here", keyword.getKey() + "=...", signature,
                        "pass each parameter once, by its name");
            }
            bound.put(keyword.getKey(), keyword.getValue());
        }
        for (Ast.Param param : params) {
            if (!bound.containsKey(param.name())) {
                if (param.defaultValue() == null) {
                    throw from.wrong(call.span(), module.path() + "'s forward needs " + param.name(),
                            "no " + param.name(), signature, "pass " + param.name());
                }
                bound.put(param.name(), defaultValue(module.moduleClass(), param));
            }
        }
        return bound;
    }

    /** Checks that every module fits the Java field declared for it. */
    private void checkFieldTypes(Instance root) throws LoweringError {
        for (Instance instance : root.all()) {
            Instance parent = instance.parent();
            if (instance.field() == null || parent == null || parent.moduleClass() == null) {
                continue;
            }
            for (ModuleField field : parent.moduleClass().fields()) {
                if (field instanceof ModuleField.InitField init && init.name().equals(instance.field())) {
                    checkFieldType(instance, init);
                }
            }
        }
    }

    private void checkFieldType(Instance instance, ModuleField.InitField init) throws LoweringError {
        VariableElement field = init.element();
        String runtimeClass = switch (instance.kind()) {
            case LAYER -> instance.op().layerClassName();
            case BLOCK -> instance.moduleClass().type().getQualifiedName().toString();
            case PARAMETER -> "dev.shapeproof.nn.Parameter";
            default -> instance.base().javaClass();
        };
        TypeElement runtime = elements.getTypeElement(runtimeClass);
        if (runtime == null) {
            return; // the runtime is not on the class path: javac reports the field's type itself
        }
        TypeMirror fieldType = field.asType();
        if (!types.isAssignable(types.erasure(runtime.asType()), types.erasure(fieldType))) {
            String simple = runtime.getSimpleName().toString();
            throw new LoweringError(init.location(), Message.FIELD_TYPE_MISMATCH, ownerName(instance),
                    field.getSimpleName(), instance.description(), fieldType, simple,
                    "declare `" + simple + " " + field.getSimpleName() + ";` (or NnModule)");
        }
    }

    private static String ownerName(Instance instance) {
        Instance owner = instance.owner();
        return owner == null || owner.kind() == Instance.Kind.MODEL
                ? (owner == null ? instance.path() : owner.moduleClass().simpleName())
                : owner.path() + " = " + owner.description();
    }

    // --- services for the evaluators ------------------------------------------------------------------------------

    ShapeChecker checker() {
        return checker;
    }

    /** Marks {@code layer} as called by a forward. */
    void called(Instance layer) {
        called.add(layer);
    }

    /**
     * Records an assignment of a forward text and whether anything read it; one never read in any run of that text
     * (any block instance) is an unused-variable warning.
     */
    void assigned(Location location, boolean read, String subject, String name) {
        String key = location.site() == null ? name : location.site().text() + System.identityHashCode(
                location.value()) + ":" + location.site().line() + ":" + location.site().column();
        if (read || name.startsWith("_")) { // `_` and `_name`: unused on purpose, as Python's convention has it
            readAssignments.add(key);
            unreadAssignments.remove(key);
        } else if (!readAssignments.contains(key)) {
            unreadAssignments.putIfAbsent(key, () -> reporter.report(location, Message.UNUSED_VARIABLE, subject,
                    name));
        }
    }

    /** A warning, printed when the model's lowering ends without an error in its texts. */
    void warn(Location location, Message message, Object... arguments) {
        warnings.add(() -> reporter.report(location, message, arguments));
    }

    /** Whether {@code a} and {@code b} share storage: one is a view or identity of the other, or both of a third. */
    boolean sharesStorage(Value a, Value b) {
        return storage(a) == storage(b);
    }

    private static Value storage(Value value) {
        Value current = value;
        while (current.producer() != null && current.producer().aliasesInput()) {
            current = current.producer().inputs().get(0);
        }
        return current;
    }

    /** The attributes of {@code op}'s annotation with their defaults, as omitted attributes at {@code location}. */
    Map<String, Attribute> annotationDefaults(OpDefinition<?> op, Location location) {
        return AnnotationReader.defaults(elements.getTypeElement(op.annotationName()), location);
    }

    /** The block {@code type}, read once; empty (after reporting at {@code use}) when it is not a valid block. */
    Optional<ModuleClass> readBlock(TypeElement type, Location use) throws DeferredTypeException {
        if (!BlockReader.isBlock(type)) {
            reporter.report(use, Message.UNKNOWN_INIT_NAME, type.getSimpleName(), type.getSimpleName(),
                    "a class without @Block", "a @Block class, a layer or a container",
                    "annotate " + type.getSimpleName() + " with @Block");
            return Optional.empty();
        }
        return blocks.read(type);
    }

    /** The package of {@code type}, where module expressions look for blocks by name. */
    PackageElement packageOf(TypeElement type) {
        return elements.getPackageOf(type);
    }

    /** The parameters of a block's constructor, parsed once. */
    List<Ast.Param> params(ModuleClass block) throws LoweringError {
        List<Ast.Param> known = params.get(block.type());
        if (known != null) {
            return known;
        }
        Attribute attribute = block.params();
        try {
            known = Parser.parseParams(attribute.asString());
        } catch (DslException e) {
            Source source = new Source(attribute.asString(), attribute.location(), "params", block.simpleName());
            throw new LoweringError(source.at(e.span()), Message.DSL_SYNTAX, block.simpleName(),
                    "the params do not parse: " + e.getMessage(),
                    "write Python parameters: \"inplanes: int, planes: int, stride: int = 1\"");
        }
        params.put(block.type(), known);
        return known;
    }

    /** A parameter's default value, evaluated once: a constant, {@code None} or a module. */
    Object defaultValue(ModuleClass block, Ast.Param param) throws LoweringError {
        String key = block.type().getQualifiedName() + "#" + param.name();
        Object known = defaults.get(key);
        if (known != null) {
            return known;
        }
        Attribute attribute = block.params() != null ? block.params() : block.forward();
        Source source = new Source(attribute.asString(), attribute.location(), "params", block.simpleName());
        Object value = instantiation.new InitEvaluator(source, new HashMap<>(), block).eval(param.defaultValue());
        defaults.put(key, value);
        return value;
    }
}
