package dev.shapeproof.processor.dsl;

import dev.shapeproof.processor.diag.DslSite;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.dsl.Ast.Add;
import dev.shapeproof.processor.dsl.Ast.Argument;
import dev.shapeproof.processor.dsl.Ast.Assign;
import dev.shapeproof.processor.dsl.Ast.Call;
import dev.shapeproof.processor.dsl.Ast.Expr;
import dev.shapeproof.processor.dsl.Ast.Literal;
import dev.shapeproof.processor.dsl.Ast.Name;
import dev.shapeproof.processor.dsl.Ast.Negate;
import dev.shapeproof.processor.dsl.Ast.Return;
import dev.shapeproof.processor.dsl.Ast.Sequence;
import dev.shapeproof.processor.dsl.Ast.Statement;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Attributes;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.ModelGraph;
import dev.shapeproof.processor.graph.ModelGraph.NodeSpec;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.op.FunctionSignature;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.processor.op.Ops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.TypeElement;

/**
 * Lowers a forward text to the model graph: resolves every name (model inputs, variables, layer fields, functions),
 * binds arguments as Python does, and adds one node per call. Mistakes stop lowering at the first one, reported on the
 * {@code forward} value with the DSL line quoted; unused variables and layers are warnings.
 */
public final class Lowering {
    private final TypeElement type;
    private final String text;
    private final Location forwardLocation;
    private final Reporter reporter;
    private final Map<String, NodeSpec> modules = new LinkedHashMap<>();
    private final Set<String> calledModules = new LinkedHashSet<>();
    private final ModelGraph.Builder graph;
    private final Map<String, Value> variables = new HashMap<>();
    private final Map<String, Span> unusedAssignments = new LinkedHashMap<>();
    private final List<String> inputNames = new ArrayList<>();
    private List<Value> statementValues = new ArrayList<>();
    private final List<Runnable> warnings = new ArrayList<>();

    private Lowering(TypeElement type, Attribute forward, List<GraphInput> inputs, List<NodeSpec> layers,
            Reporter reporter) {
        this.type = type;
        this.text = forward.asString();
        this.forwardLocation = forward.location();
        this.reporter = reporter;
        this.graph = new ModelGraph.Builder(type);
        for (NodeSpec layer : layers) {
            modules.put(layer.module(), layer);
        }
        for (GraphInput input : inputs) {
            variables.put(input.value().name(), graph.addInput(input));
            inputNames.add(input.value().name());
        }
    }

    /** The graph of {@code forward}, or empty after reporting its first mistake. */
    public static Optional<ModelGraph> lower(TypeElement type, Attribute forward, List<GraphInput> inputs,
            List<NodeSpec> layers, Reporter reporter) {
        return new Lowering(type, forward, inputs, layers, reporter).run();
    }

    private Optional<ModelGraph> run() {
        String model = type.getSimpleName().toString();
        Ast.Program program;
        try {
            program = Parser.parse(text);
        } catch (DslException e) {
            reporter.report(forwardLocation.at(site(e.span())), Message.DSL_SYNTAX, model, e.getMessage(),
                    "the forward DSL is a subset of PyTorch's forward; see the README's grammar");
            return Optional.empty();
        }
        try {
            boolean returned = false;
            for (Statement statement : program.statements()) {
                if (returned) {
                    throw new LoweringError(statement.span(), Message.DSL_SYNTAX, model,
                            "this line comes after the return and never runs", "move the return to the end");
                }
                statementValues = new ArrayList<>();
                if (statement instanceof Assign assign) {
                    assign(assign);
                } else {
                    returned = true;
                    returnValues((Return) statement);
                }
            }
            if (!returned) {
                throw new LoweringError(lastLine(), Message.MISSING_RETURN, model, lastAssigned());
            }
        } catch (LoweringError e) {
            reporter.report(forwardLocation.at(site(e.span())), e.diagnostic(), e.arguments());
            return Optional.empty();
        }
        unusedAssignments.forEach((name, span) -> warnings.add(() -> reporter.report(
                forwardLocation.at(site(span)), Message.UNUSED_VARIABLE, model, name)));
        for (NodeSpec layer : modules.values()) {
            if (!calledModules.contains(layer.module())) {
                warnings.add(() -> reporter.report(layer.location(), Message.UNUSED_MODULE, model, layer.module()));
            }
        }
        warnings.forEach(Runnable::run);
        graph.setModules(modules.keySet().stream().filter(calledModules::contains).toList());
        graph.setUncalledModules(modules.values().stream()
                .filter(layer -> !calledModules.contains(layer.module())).toList());
        return Optional.of(graph.build());
    }

    private void assign(Assign assign) throws LoweringError {
        Value value = tensor(assign.value());
        Span previous = unusedAssignments.remove(assign.target());
        if (previous != null) {
            String model = type.getSimpleName().toString();
            warnings.add(() -> reporter.report(forwardLocation.at(site(previous)), Message.UNUSED_VARIABLE, model,
                    assign.target()));
        }
        variables.put(assign.target(), value);
        unusedAssignments.put(assign.target(), assign.targetSpan());
        if (statementValues.isEmpty()) {
            statementValues.add(value); // y = x: no node, only a new name
        }
        graph.addStatement(new ModelGraph.Statement(sourceText(assign), assign.target(), statementValues));
    }

    private void returnValues(Return statement) throws LoweringError {
        List<Value> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Expr expr : statement.values()) {
            values.add(tensor(expr));
            String name = expr instanceof Name n ? n.id() : "output" + names.size();
            names.add(names.contains(name) ? name + names.size() : name);
        }
        graph.setOutputs(values, names);
        graph.addStatement(new ModelGraph.Statement(sourceText(statement), null, values));
    }

    /** Lowers an expression that must be a tensor. */
    private Value tensor(Expr expr) throws LoweringError {
        String model = type.getSimpleName().toString();
        if (expr instanceof Name name) {
            Value value = variables.get(name.id());
            if (value != null) {
                unusedAssignments.remove(name.id());
                return value;
            }
            if (modules.containsKey(name.id())) {
                throw new LoweringError(name.span(), Message.WRONG_ARGUMENTS, model,
                        name.id() + " is a layer, not a tensor", name.id(), "a tensor",
                        "call it: " + name.id() + "(x)");
            }
            throw new LoweringError(name.span(), Message.UNDEFINED_VARIABLE, model, name.id(),
                    String.join(", ", inputNames),
                    Suggestions.didYouMean(name.id(), variables.keySet(), "assign it first, or use the model input "
                            + inputNames.get(0)));
        }
        if (expr instanceof Call call) {
            return call(call);
        }
        if (expr instanceof Add add) {
            Value left = tensor(add.left());
            Value right = tensor(add.right());
            return node("add", null, Ops.add(), new Attributes(List.of()), List.of(left, right),
                    forwardLocation.at(site(add.span())));
        }
        throw new LoweringError(expr.span(), Message.WRONG_ARGUMENTS, model, "expected a tensor here",
                describe(expr), "a variable, a call or a + b", "tensors come from the inputs, layers and functions");
    }

    private Value call(Call call) throws LoweringError {
        String model = type.getSimpleName().toString();
        Expr callee = call.callee();
        if (callee instanceof Name name) {
            if (modules.containsKey(name.id())) {
                return moduleCall(name.id(), call);
            }
            if (Ops.forFunction(name.id()) != null) {
                return functionCall(name.id(), call, null);
            }
            Set<String> known = new LinkedHashSet<>(modules.keySet());
            known.addAll(Ops.functionNames());
            throw new LoweringError(name.span(), Message.UNKNOWN_NAME, model, name.id(),
                    variables.containsKey(name.id()) ? "a tensor, not a function" : "neither a layer of " + model
                            + " nor a supported function",
                    "a layer field or one of " + String.join(", ", Ops.functionNames()),
                    Suggestions.didYouMean(name.id(), known, "declare a layer field " + name.id()
                            + ", or use a supported function"));
        }
        if (callee instanceof Ast.Attribute attribute) {
            if (attribute.target() instanceof Name self && self.id().equals("self")) {
                if (modules.containsKey(attribute.name())) {
                    return moduleCall(attribute.name(), call);
                }
                throw new LoweringError(attribute.span(), Message.UNKNOWN_NAME, model, "self." + attribute.name(),
                        "not a layer field of " + model, "a layer field: " + String.join(", ", modules.keySet()),
                        Suggestions.didYouMean(attribute.name(), modules.keySet(),
                                "declare a field " + attribute.name() + " with a layer annotation"));
            }
            if (isNamespace(attribute.target())) {
                if (Ops.forFunction(attribute.name()) != null) {
                    return functionCall(attribute.name(), call, null);
                }
                throw new LoweringError(attribute.span(), Message.UNKNOWN_NAME, model, attribute.name(),
                        "not a function ShapeProof supports", "one of " + String.join(", ", Ops.functionNames()),
                        Suggestions.didYouMean(attribute.name(), Ops.functionNames(),
                                "write it with the supported functions, or as a layer field"));
            }
            return method(attribute, call);
        }
        throw new LoweringError(callee.span(), Message.UNKNOWN_NAME, model, describe(callee), "not callable",
                "a layer, a function or a tensor method", "call a layer field or a function");
    }

    /** {@code F}, {@code torch}, {@code nn.functional}, {@code torch.nn.functional}. */
    private static boolean isNamespace(Expr expr) {
        if (expr instanceof Name name) {
            return name.id().equals("F") || name.id().equals("torch");
        }
        if (expr instanceof Ast.Attribute attribute && attribute.name().equals("functional")) {
            return attribute.target() instanceof Name nn && nn.id().equals("nn")
                    || attribute.target() instanceof Ast.Attribute torchNn && torchNn.name().equals("nn")
                            && torchNn.target() instanceof Name torch && torch.id().equals("torch");
        }
        return false;
    }

    /** {@code x.view(...)}, {@code x.reshape(...)}, {@code x.flatten(...)}. */
    private Value method(Ast.Attribute attribute, Call call) throws LoweringError {
        String model = type.getSimpleName().toString();
        switch (attribute.name()) {
            case "view", "reshape":
                return view(tensor(attribute.target()), attribute.name(), call);
            case "flatten":
                return functionCall("flatten", call, attribute.target());
            case "size":
                throw new LoweringError(call.span(), Message.WRONG_ARGUMENTS, model,
                        "x.size(...) is only supported as the first size of a view", describe(call),
                        "view(x.size(0), ...)", "write -1 for the batch: x.view(-1, ...)");
            default:
                throw new LoweringError(attribute.span(), Message.UNKNOWN_NAME, model, "." + attribute.name() + "()",
                        "not a tensor method ShapeProof supports", "view, reshape or flatten",
                        Suggestions.didYouMean(attribute.name(), List.of("view", "reshape", "flatten"),
                                "use the functional form, e.g. relu(x)"));
        }
    }

    private Value moduleCall(String module, Call call) throws LoweringError {
        String model = type.getSimpleName().toString();
        if (call.arguments().size() != 1 || call.arguments().get(0).keyword() != null) {
            throw new LoweringError(call.span(), Message.WRONG_ARGUMENTS, model,
                    module + " takes one tensor, as a PyTorch module's forward(x) does",
                    call.arguments().size() + " argument(s)", module + "(x)",
                    "pass the tensor alone; the layer's settings live in its annotation");
        }
        Value input = tensor(call.arguments().get(0).value());
        NodeSpec layer = modules.get(module);
        calledModules.add(module);
        Location location = layer.location().at(site(call.span()));
        return node(module, module, layer.op(), layer.attributes(), List.of(input), location);
    }

    private Value functionCall(String function, Call call, Expr receiver) throws LoweringError {
        String model = type.getSimpleName().toString();
        FunctionSignature signature = Ops.signature(function);
        OpDefinition<?> op = Ops.forFunction(function);
        Map<String, Argument> bound = bind(signature, call, receiver);
        List<Value> inputs = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        for (Param param : signature.params()) {
            Argument argument = bound.get(param.name());
            boolean given = argument != null && !(argument.value() instanceof Literal literal && literal.value() == null);
            switch (param.kind()) {
                case TENSOR -> inputs.add(tensor(argument.value()));
                case TENSOR_LIST -> {
                    if (!(argument.value() instanceof Sequence sequence) || sequence.items().isEmpty()) {
                        throw new LoweringError(argument.span(), Message.WRONG_ARGUMENTS, model,
                                function + "'s " + param.name() + " must be a list of tensors",
                                describe(argument.value()), "[a, b, ...]", "write " + function + "([a, b], dim=1)");
                    }
                    for (Expr item : sequence.items()) {
                        inputs.add(tensor(item));
                    }
                }
                case IGNORED -> { }
                case UNSUPPORTED -> {
                    if (given) {
                        throw new LoweringError(argument.span(), Message.WRONG_ARGUMENTS, model,
                                function + "'s " + param.name() + " is not supported by ShapeProof",
                                param.name() + " = " + describe(argument.value()), param.name() + " = None",
                                "remove " + param.name());
                    }
                }
                default -> {
                    if (!given && param.required()) {
                        // Bound, but to None: a required parameter has no default to fall back on.
                        throw new LoweringError(argument.span(), Message.WRONG_ARGUMENTS, model,
                                function + "'s " + param.name() + " needs a value", "None", signature.describe(),
                                "give " + param.name() + " a value");
                    }
                    Location location = forwardLocation.at(site(given ? argument.span() : call.span()));
                    Object value = given ? literal(function, param, argument.value()) : param.defaultValue();
                    attributes.add(new Attribute(param.attribute(), value, given, location));
                }
            }
        }
        return node(function, null, op, new Attributes(attributes), inputs, forwardLocation.at(site(call.span())));
    }

    /** Python's argument binding: positionals in order, then keywords; every required one present. */
    private Map<String, Argument> bind(FunctionSignature signature, Call call, Expr receiver) throws LoweringError {
        String model = type.getSimpleName().toString();
        Map<String, Argument> bound = new LinkedHashMap<>();
        List<Argument> arguments = new ArrayList<>();
        if (receiver != null) {
            arguments.add(new Argument(null, receiver, receiver.span()));
        }
        arguments.addAll(call.arguments());
        List<Param> params = signature.params();
        int position = 0;
        boolean keywords = false;
        for (Argument argument : arguments) {
            if (argument.keyword() == null) {
                if (keywords) {
                    throw new LoweringError(argument.span(), Message.DSL_SYNTAX, model,
                            "a positional argument follows a keyword argument", "put positional arguments first");
                }
                if (position >= params.size()) {
                    throw new LoweringError(argument.span(), Message.WRONG_ARGUMENTS, model,
                            signature.name() + " takes at most " + params.size() + " arguments",
                            (arguments.size()) + " arguments", signature.describe(), "remove the extra argument");
                }
                bound.put(params.get(position++).name(), argument);
            } else {
                keywords = true;
                String keyword = argument.keyword();
                if (params.stream().noneMatch(p -> p.name().equals(keyword))) {
                    throw new LoweringError(argument.span(), Message.WRONG_ARGUMENTS, model,
                            signature.name() + " has no parameter " + keyword, keyword + "=...",
                            signature.describe(), Suggestions.didYouMean(keyword,
                                    params.stream().map(Param::name).toList(), "see PyTorch's signature"));
                }
                if (bound.containsKey(keyword)) {
                    throw new LoweringError(argument.span(), Message.WRONG_ARGUMENTS, model,
                            signature.name() + " got " + keyword + " twice", keyword, "each argument once",
                            "remove one of them");
                }
                bound.put(keyword, argument);
            }
        }
        for (Param param : params) {
            if (param.required() && !bound.containsKey(param.name())) {
                throw new LoweringError(call.span(), Message.WRONG_ARGUMENTS, model,
                        signature.name() + " needs " + param.name(), "no " + param.name(), signature.describe(),
                        "add " + param.name() + "=...");
            }
        }
        return bound;
    }

    /** An attribute's value from a literal argument, in the form the annotation reader would give it. */
    private Object literal(String function, Param param, Expr expr) throws LoweringError {
        String model = type.getSimpleName().toString();
        Object value = constant(expr);
        Object converted = switch (param.kind()) {
            case INT -> value instanceof Integer ? value : null;
            case INTS -> value instanceof Integer i ? List.of(i) : ints(value);
            case DOUBLE -> value instanceof Number n ? n.doubleValue() : null;
            case BOOL -> value instanceof Boolean ? value : null;
            case STRING -> value instanceof String ? value : null;
            case MODE -> value instanceof Boolean ? value : isSelfTraining(expr) ? "self.training" : null;
            default -> null;
        };
        if (converted == null) {
            String required = switch (param.kind()) {
                case INT -> "an int";
                case INTS -> "an int or a tuple of ints";
                case DOUBLE -> "a number";
                case BOOL -> "True or False";
                case MODE -> "self.training, True or False";
                default -> "a string";
            };
            throw new LoweringError(expr.span(), Message.WRONG_ARGUMENTS, model,
                    function + "'s " + param.name() + " must be " + required, describe(expr), required,
                    "the compiler needs it as a literal, to check the shapes");
        }
        return converted;
    }

    private static boolean isSelfTraining(Expr expr) {
        return expr instanceof Ast.Attribute attribute && attribute.name().equals("training")
                && attribute.target() instanceof Name self && self.id().equals("self");
    }

    private static List<Integer> ints(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        List<Integer> ints = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Integer i)) {
                return null;
            }
            ints.add(i);
        }
        return List.copyOf(ints);
    }

    /** A literal's value: numbers (negated too), strings, booleans, tuples of those; {@code null} otherwise. */
    private static Object constant(Expr expr) {
        if (expr instanceof Literal literal) {
            return literal.value();
        }
        if (expr instanceof Negate negate && constant(negate.operand()) instanceof Number number) {
            return number instanceof Integer i ? (Object) (-i) : (Object) (-number.doubleValue());
        }
        if (expr instanceof Sequence sequence) {
            List<Object> items = new ArrayList<>();
            for (Expr item : sequence.items()) {
                Object value = constant(item);
                if (value == null) {
                    return null;
                }
                items.add(value);
            }
            return items;
        }
        return null;
    }

    /** {@code x.view(-1, 320)}, {@code x.view(x.size(0), -1)}, {@code x.reshape((-1, 320))}. */
    private Value view(Value input, String method, Call call) throws LoweringError {
        String model = type.getSimpleName().toString();
        List<Expr> sizes = new ArrayList<>();
        for (Argument argument : call.arguments()) {
            if (argument.keyword() != null) {
                throw new LoweringError(argument.span(), Message.WRONG_ARGUMENTS, model,
                        method + " takes sizes, not keywords", argument.keyword() + "=...", method + "(-1, 320)",
                        "pass the sizes positionally");
            }
            sizes.add(argument.value());
        }
        if (sizes.size() == 1 && sizes.get(0) instanceof Sequence sequence) {
            sizes = sequence.items();
        }
        List<Integer> shape = new ArrayList<>();
        boolean batchFromSize = false;
        for (int i = 0; i < sizes.size(); i++) {
            Expr size = sizes.get(i);
            if (i == 0 && isBatchSize(size)) {
                Expr owner = ((Ast.Attribute) ((Call) size).callee()).target();
                if (owner instanceof Name name && !variables.containsKey(name.id())) {
                    throw new LoweringError(name.span(), Message.UNDEFINED_VARIABLE, model, name.id(),
                            String.join(", ", inputNames), Suggestions.didYouMean(name.id(), variables.keySet(),
                                    "use the tensor being viewed, e.g. x.size(0)"));
                }
                batchFromSize = true;
                shape.add(-1);
            } else if (constant(size) instanceof Integer value) {
                shape.add(value);
            } else {
                throw new LoweringError(size.span(), Message.WRONG_ARGUMENTS, model,
                        method + "'s sizes must be int literals (x.size(0) only first)", describe(size),
                        "ints, -1 for one inferred size", "write the size as a number; the compiler checks it");
            }
        }
        Span span = call.arguments().isEmpty() ? call.span()
                : Span.between(call.arguments().get(0).span(),
                        call.arguments().get(call.arguments().size() - 1).span());
        Location location = forwardLocation.at(site(span));
        Attributes attributes = new Attributes(List.of(
                new Attribute("shape", List.copyOf(shape), true, location),
                new Attribute("batchFromSize", batchFromSize, true, location)));
        return node(method, null, Ops.view(), attributes, List.of(input), forwardLocation.at(site(call.span())));
    }

    /** {@code x.size(0)}: the batch size, whatever it is at run time. */
    private static boolean isBatchSize(Expr expr) {
        return expr instanceof Call call && call.callee() instanceof Ast.Attribute attribute
                && attribute.name().equals("size") && call.arguments().size() == 1
                && constant(call.arguments().get(0).value()) instanceof Integer axis && axis == 0;
    }

    private Value node(String name, String module, OpDefinition<?> op, Attributes attributes, List<Value> inputs,
            Location location) {
        Value value = graph.addNode(new NodeSpec(name, module, op, attributes, location), inputs);
        statementValues.add(value);
        return value;
    }

    private DslSite site(Span span) {
        return DslSite.in(text, span.line(), span.column(), span.length());
    }

    /** The statement's text, all its lines, for the generated code's comment. */
    private String sourceText(Statement statement) {
        String[] lines = text.split("\n", -1);
        List<String> parts = new ArrayList<>();
        for (int line = statement.span().line(); line <= statement.endLine() && line - 1 < lines.length; line++) {
            parts.add(lines[line - 1].strip());
        }
        return String.join("\n", parts);
    }

    private Span lastLine() {
        String[] lines = text.stripTrailing().split("\n", -1);
        return new Span(lines.length, 1, Math.max(1, lines[lines.length - 1].length()));
    }

    private String lastAssigned() {
        String last = inputNames.get(0);
        for (String name : unusedAssignments.keySet()) {
            last = name;
        }
        return last;
    }

    /** How a message shows an expression: its kind and, for literals, its value. */
    private static String describe(Expr expr) {
        if (expr instanceof Literal literal) {
            return literal.value() == null ? "None"
                    : literal.value() instanceof String s ? "'" + s + "'" : literal.value().toString();
        }
        if (expr instanceof Name name) {
            return name.id();
        }
        if (expr instanceof Sequence sequence) {
            return (sequence.isList() ? "a list" : "a tuple") + " of " + sequence.items().size();
        }
        return "an expression";
    }
}
