package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.dsl.Ast;
import dev.shapeproof.processor.dsl.DslException;
import dev.shapeproof.processor.dsl.Parser;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Attributes;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.ModuleClass;
import dev.shapeproof.processor.graph.ModuleField;
import dev.shapeproof.processor.graph.ParameterInit;
import dev.shapeproof.processor.dsl.Span;
import dev.shapeproof.processor.op.FunctionSignature;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.processor.op.Ops;
import dev.shapeproof.processor.read.DeferredTypeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * Builds the module tree: evaluates each field of a model or block (a layer annotation as it is, an {@code @Init}
 * expression with the block's arguments), instantiates the blocks those expressions name, and places every module at
 * its path. This is PyTorch's {@code __init__}, run by the compiler.
 */
final class Instantiation {
    /** How deep blocks may contain blocks: far beyond real models, and a block that contains itself stops here. */
    static final int MAX_DEPTH = 64;

    private final Lowering lowering;
    private final Map<String, Ast.Expr> parsed = new HashMap<>();
    private int depth;

    Instantiation(Lowering lowering) {
        this.lowering = lowering;
    }

    /** A class referred to by name in a module expression: a block, once it is read. */
    record ClassRef(TypeElement type) {}

    /** The modules of {@code moduleClass}'s fields (and its {@code children}), evaluated with {@code arguments}. */
    List<ModuleSpec.Child> children(ModuleClass moduleClass, Map<String, Object> arguments, String subject)
            throws LoweringError, DeferredTypeException {
        List<ModuleSpec.Child> children = new ArrayList<>();
        for (ModuleField field : moduleClass.fields()) {
            ModuleSpec spec = field instanceof ModuleField.LayerField layer
                    ? new ModuleSpec.Layer(layer.op(), layer.attributes(), layer.location())
                    : initField(moduleClass, (ModuleField.InitField) field, arguments, subject);
            children.add(new ModuleSpec.Child(field.name(), field.name(), spec));
        }
        if (moduleClass.hasChildren()) {
            Attribute attribute = moduleClass.children();
            Source source = new Source(attribute.asString(), attribute.location(), "children", subject);
            InitEvaluator evaluator = new InitEvaluator(source, new HashMap<>(arguments), moduleClass);
            Ast.Expr expr = parse(source);
            Object value = evaluator.eval(expr);
            children.addAll(entries(value, evaluator, expr, children.size()));
        }
        return children;
    }

    private ModuleSpec initField(ModuleClass moduleClass, ModuleField.InitField field, Map<String, Object> arguments,
            String subject) throws LoweringError, DeferredTypeException {
        Source source = new Source(field.expression(), field.location(), "init", subject);
        InitEvaluator evaluator = new InitEvaluator(source, new HashMap<>(arguments), moduleClass);
        Ast.Expr expr = parse(source);
        Object value = evaluator.eval(expr);
        if (value == Py.NONE) {
            return null;
        }
        if (!(value instanceof ModuleSpec spec)) {
            throw evaluator.wrong(expr.span(), "@Init must give a module (or None), but gives " + Py.typeName(value),
                    Py.repr(value), "a module such as nn.Conv2d(...), a block, or None",
                    "write the module's constructor, e.g. nn.Conv2d(in, out, 3)");
        }
        return spec;
    }

    /** The entries of a container: from a list (keyed 0, 1, …) or a dict (keyed by name). */
    private List<ModuleSpec.Child> entries(Object value, Evaluator evaluator, Ast.Expr expr, int offset)
            throws LoweringError {
        List<ModuleSpec.Child> children = new ArrayList<>();
        if (value instanceof Py.PyDict dict) {
            for (Map.Entry<Object, Object> entry : dict.items.entrySet()) {
                if (!(entry.getKey() instanceof String key) || !isKey(key)) {
                    throw evaluator.wrong(expr.span(), "a module's name must be a string without dots",
                            Py.repr(entry.getKey()), "a name such as 'conv0'", "name it with a string");
                }
                children.add(new ModuleSpec.Child(key, null, module(entry.getValue(), evaluator, expr)));
            }
            return children;
        }
        List<Object> items = value instanceof Py.PyList list ? list.items
                : value instanceof Py.Tuple tuple ? tuple.items() : null;
        if (items == null) {
            throw evaluator.wrong(expr.span(), "a container's modules are a list or a dict", Py.typeName(value),
                    "[module, ...] or {'name': module, ...}", "write a list of modules");
        }
        for (int i = 0; i < items.size(); i++) {
            children.add(new ModuleSpec.Child(String.valueOf(offset + i), null, module(items.get(i), evaluator,
                    expr)));
        }
        return children;
    }

    private static boolean isKey(String key) {
        return !key.isEmpty() && !key.contains(".");
    }

    private static ModuleSpec module(Object value, Evaluator evaluator, Ast.Expr expr) throws LoweringError {
        if (value instanceof ModuleSpec.Parameter) {
            throw evaluator.wrong(expr.span(), "a container holds modules; a parameter belongs to a module's field",
                    "nn.Parameter(...)", "modules such as nn.ReLU() or blocks",
                    "declare the parameter as a field: @Init(\"nn.Parameter(...)\") Parameter p;");
        }
        if (value instanceof ModuleSpec spec) {
            return spec;
        }
        throw evaluator.wrong(expr.span(), "a container holds modules, not " + Py.typeName(value), Py.repr(value),
                "modules such as nn.ReLU() or blocks", "put modules in the container");
    }

    private Ast.Expr parse(Source source) throws LoweringError {
        Ast.Expr expr = parsed.get(source.text());
        if (expr != null) {
            return expr;
        }
        try {
            expr = Parser.parseExpression(source.text());
        } catch (DslException e) {
            throw new LoweringError(source.at(e.span()), Message.DSL_SYNTAX, source.subject(),
                    "the " + source.kind() + " expression does not parse: " + e.getMessage(),
                    "write a Python expression such as nn.Conv2d(64, 64, 3, padding=1)");
        }
        parsed.put(source.text(), expr);
        return expr;
    }

    /**
     * Runs the {@code init} text of {@code moduleClass} (a block's or a model's) with {@code arguments}, its bound
     * parameters: each name the text assigns, loops included, is added to {@code arguments}, in order, visible to the
     * fields' expressions and to the forward as {@code self.<name>}.
     */
    void runInit(ModuleClass moduleClass, Map<String, Object> arguments, String subject) throws LoweringError {
        Attribute attribute = moduleClass.init();
        Source source = new Source(attribute.asString(), attribute.location(), "init", subject);
        Ast.Program program;
        try {
            program = Parser.parse(attribute.asString());
        } catch (DslException e) {
            throw new LoweringError(source.at(e.span()), Message.DSL_SYNTAX, subject,
                    "the init text does not parse: " + e.getMessage(),
                    "write Python statements: \"hidden_dim = int(round(inp * expand_ratio))\"");
        }
        Map<String, Object> variables = new LinkedHashMap<>(arguments);
        variables.put("self", InitSelf.SELF);
        InitEvaluator evaluator = new InitEvaluator(source, variables, moduleClass);
        evaluator.execute(program.statements());
        variables.forEach((name, value) -> {
            if (value != InitSelf.SELF) {
                arguments.put(name, value);
            }
        });
    }

    /** Places {@code spec} at {@code path}, held by {@code field} of its parent's class, and everything below it. */
    Instance place(ModuleSpec spec, String path, String field) {
        if (spec instanceof ModuleSpec.Parameter parameter) {
            return Instance.parameter(path, parameter.init(), parameter.location(), field);
        }
        if (spec instanceof ModuleSpec.Layer layer) {
            return Instance.layer(path, layer.op(), layer.attributes(), layer.location(), field);
        }
        if (spec instanceof ModuleSpec.Block block) {
            Instance instance = Instance.block(path, block.moduleClass(), block.description(), block.arguments(),
                    block.location(), field);
            addChildren(instance, block.children());
            return instance;
        }
        ModuleSpec.Container container = (ModuleSpec.Container) spec;
        Instance instance = Instance.container(path, container.kind(), container.location(), field);
        addChildren(instance, container.children());
        return instance;
    }

    private void addChildren(Instance parent, List<ModuleSpec.Child> children) {
        for (ModuleSpec.Child child : children) {
            if (child.spec() != null) {
                String path = parent.path().isEmpty() ? child.key() : parent.path() + "." + child.key();
                parent.addChild(child.key(), place(child.spec(), path, child.field()));
            }
        }
    }

    /** Evaluates module expressions: PyTorch's constructors, blocks by class name, containers. */
    final class InitEvaluator extends Evaluator {
        private final ModuleClass context;
        private final Binding binding = new Binding(this);

        InitEvaluator(Source source, Map<String, Object> variables, ModuleClass context) {
            super(source, variables);
            this.context = context;
        }

        @Override
        Object global(String name) {
            if (Ops.forModule(name) != null || isContainer(name)) {
                return new Function("nn", name);
            }
            TypeElement type = resolveClass(name);
            if (type != null) {
                return new ClassRef(type);
            }
            // The class's own constants, as Python reads a class attribute (ViT's hidden_dim in a model's @Init).
            return Constants.of(context.type(), name);
        }

        /**
         * The statements of an {@code init} text: assignments (to a name, {@code self.<name>} or a tuple of names),
         * augmented assignments to a name ({@code stage_block_id += 1}), {@code if}, {@code for}, expressions for
         * their effect, {@code pass}.
         */
        void execute(List<Ast.Statement> statements) throws LoweringError {
            for (Ast.Statement statement : statements) {
                if (statement instanceof Ast.Pass) {
                    continue;
                }
                if (statement instanceof Ast.ExprStatement expression) {
                    eval(expression.value());
                    continue;
                }
                if (statement instanceof Ast.If branch) {
                    boolean taken = false;
                    for (Ast.Branch candidate : branch.branches()) {
                        if (truth(eval(candidate.condition()), candidate.condition())) {
                            execute(candidate.body());
                            taken = true;
                            break;
                        }
                    }
                    if (!taken) {
                        execute(branch.orElse());
                    }
                    continue;
                }
                if (statement instanceof Ast.AugAssign augmented && augmented.target() instanceof Ast.Name name) {
                    bind(name.id(), binary(augmented.op(), lookup(name), eval(augmented.value()),
                            new Ast.Binary(augmented.op(), augmented.target(), augmented.value(), augmented.span(),
                                    augmented.span())), name.span());
                    continue;
                }
                if (statement instanceof Ast.For loop) {
                    for (Object item : items(eval(loop.iterable()), loop.iterable())) {
                        assignTarget(loop.target(), item);
                        execute(loop.body());
                    }
                    continue;
                }
                if (!(statement instanceof Ast.Assign assign)) {
                    throw error(statement.span(), Message.DSL_SYNTAX, source.subject(),
                            "an init text computes values: assignments, if, for, calls and pass",
                            "build modules in the fields' @Init expressions");
                }
                Object value = eval(assign.value());
                for (Ast.Expr target : assign.targets()) {
                    if (target instanceof Ast.Attribute attribute && attribute.target() instanceof Ast.Name self
                            && self.id().equals("self")) {
                        bind(attribute.name(), value, attribute.span());
                    } else {
                        assignTarget(target, value);
                    }
                }
            }
        }

        @Override
        LoweringError unknownName(Ast.Name name) {
            List<String> known = new ArrayList<>(variables.keySet());
            known.addAll(Ops.moduleNames());
            return error(name.span(), Message.UNKNOWN_INIT_NAME, source.subject(), name.id(),
                    "neither a parameter, a layer (nn." + name.id() + "?) nor a @Block class in reach",
                    "a parameter (" + String.join(", ", variables.keySet()) + "), nn.<Layer>(...), or a block "
                            + "nested in or beside " + context.simpleName(),
                    Suggestions.didYouMean(name.id(), known, "declare the block as a @Block class in this "
                            + "package, or nested in " + context.simpleName()));
        }

        @Override
        Object member(Object target, String name, Ast.Attribute expr) throws LoweringError {
            if (target instanceof ParameterInit) {
                return new Py.Method(target, name);
            }
            if (target == InitSelf.SELF) {
                Object value = variables.get(name);
                if (value == null) {
                    throw wrong(expr.span(), "self." + name + " is not set yet", "self." + name,
                            "a parameter or a value the init text assigned before", "assign it first");
                }
                return value;
            }
            if (target instanceof ClassRef ref) {
                Object constant = Constants.of(ref.type(), name);
                if (constant != null) {
                    return constant;
                }
                throw wrong(expr.span(), ref.type().getSimpleName() + " has no constant " + name, name,
                        "a static final field with a constant value", "declare `static final int " + name
                                + " = ...;` in " + ref.type().getSimpleName());
            }
            throw wrong(expr.span(), "a module expression cannot read ." + name + " of " + Py.typeName(target),
                    Py.repr(target) + "." + name, "parameters, constants and constructors",
                    "compute the value from the parameters");
        }

        @Override
        Object invoke(Object callee, Args args, Ast.Call call) throws LoweringError {
            if (callee instanceof Function function && function.namespace().equals("functools")
                    && function.name().equals("partial")) {
                return partial(args, call);
            }
            if (callee instanceof Py.Partial partial) {
                List<Object> positional = new ArrayList<>(partial.positional());
                positional.addAll(args.positional());
                List<Span> spans = new ArrayList<>();
                partial.positional().forEach(item -> spans.add(call.span()));
                spans.addAll(args.positionalSpans());
                Map<String, Object> keywords = new LinkedHashMap<>(partial.keywords());
                Map<String, Span> keywordSpans = new LinkedHashMap<>();
                partial.keywords().keySet().forEach(key -> keywordSpans.put(key, call.span()));
                keywords.putAll(args.keywords());
                keywordSpans.putAll(args.keywordSpans());
                return invoke(partial.callee(), new Args(positional, spans, keywords, keywordSpans, args.span()),
                        call);
            }
            if (callee instanceof Function function && function.namespace().equals("nn")
                    && function.name().equals("Parameter")) {
                return parameter(args, call);
            }
            if (callee instanceof Function function && function.namespace().equals("torch")
                    && TensorFactories.isFactory(function.name())) {
                return TensorFactories.create(function.name(), args, call, this);
            }
            if (callee instanceof Py.Method method && method.receiver() instanceof ParameterInit init) {
                return TensorFactories.method(init, method.name(), args, call, this);
            }
            if (callee instanceof Function function && function.namespace().equals("nn")) {
                if (isContainer(function.name())) {
                    return container(function.name(), args, call);
                }
                OpDefinition<?> op = Ops.forModule(function.name());
                if (op != null) {
                    return layer(op, args, call);
                }
                throw error(call.callee().span(), Message.UNKNOWN_INIT_NAME, source.subject(), "nn." + function.name(),
                        "not a layer ShapeProof supports", "one of " + String.join(", ", Ops.moduleNames()),
                        Suggestions.didYouMean(function.name(), Ops.moduleNames(), "use a supported layer"));
            }
            if (callee instanceof Function function && function.name().equals("OrderedDict")) {
                return orderedDict(args, call);
            }
            if (callee instanceof ClassRef ref) {
                return block(ref, args, call);
            }
            throw wrong(call.callee().span(), Py.repr(callee) + " cannot be called in a module expression",
                    Py.repr(callee), "a layer constructor, a block or a container", "call nn.<Layer>(...)");
        }

        /** {@code partial(nn.BatchNorm2d, eps=0.001)}: a constructor with some arguments bound. */
        private Object partial(Args args, Ast.Call call) throws LoweringError {
            if (args.positional().isEmpty()) {
                throw wrong(call.span(), "partial needs the constructor to bind", "no arguments",
                        "partial(nn.BatchNorm2d, eps=0.001)", "pass the layer or block first");
            }
            Object callee = args.positional().get(0);
            if (!(callee instanceof Function || callee instanceof ClassRef || callee instanceof Py.Partial)) {
                throw wrong(args.positionalSpans().get(0), "partial binds arguments of a layer or a block",
                        Py.repr(callee), "nn.<Layer>, a block class, or a partial", "pass a constructor");
            }
            return new Py.Partial(callee, args.positional().subList(1, args.positional().size()), args.keywords());
        }

        /** {@code nn.Parameter(torch.zeros(1, 1, D))}: a parameter of the module whose field it initialises. */
        private ModuleSpec parameter(Args args, Ast.Call call) throws LoweringError {
            Object data = args.positional().isEmpty() ? args.keywords().get("data") : args.positional().get(0);
            Object requiresGrad = args.keywords().getOrDefault("requires_grad",
                    args.positional().size() > 1 ? args.positional().get(1) : Boolean.TRUE);
            if (!(data instanceof ParameterInit init)) {
                throw wrong(call.span(), "nn.Parameter takes a tensor made by a factory",
                        data == null ? "no tensor" : Py.repr(data),
                        "torch.zeros(...), torch.ones(...) * k, torch.empty(...).normal_(std=...)",
                        "create the tensor with one of those");
            }
            if (!Boolean.TRUE.equals(requiresGrad) || args.size() > 2) {
                throw wrong(call.span(), "nn.Parameter's requires_grad=False is not supported",
                        "requires_grad=" + Py.repr(requiresGrad), "a trainable parameter",
                        "remove requires_grad (a buffer is not supported yet)");
            }
            return new ModuleSpec.Parameter(init, source.at(call.span()));
        }

        /** {@code torch.ones(C, 1, 1) * layer_scale}: a factory's values scaled or shifted by a number. */
        @Override
        Object binary(String op, Object left, Object right, Ast.Binary expr) throws LoweringError {
            if (left instanceof ParameterInit || right instanceof ParameterInit) {
                return TensorFactories.arithmetic(op, left, right, expr, this);
            }
            return super.binary(op, left, right, expr);
        }

        private ModuleSpec layer(OpDefinition<?> op, Args args, Ast.Call call) throws LoweringError {
            FunctionSignature signature = op.moduleSignature();
            Map<String, Binding.Bound> bound = binding.bind(signature, args, null, null);
            Location callLocation = source.at(call.span());
            Map<String, Attribute> attributes = new LinkedHashMap<>(lowering.annotationDefaults(op, callLocation));
            for (Param param : signature.params()) {
                for (Attribute attribute : binding.attributes(signature, param, bound.get(param.name()), call.span(),
                        attributes)) {
                    attributes.put(attribute.name(), attribute);
                }
            }
            return new ModuleSpec.Layer(op, new Attributes(attributes.values()), callLocation);
        }

        private ModuleSpec container(String name, Args args, Ast.Call call) throws LoweringError {
            Instance.Kind kind = switch (name) {
                case "Sequential" -> Instance.Kind.SEQUENTIAL;
                case "ModuleList" -> Instance.Kind.MODULE_LIST;
                default -> Instance.Kind.MODULE_DICT;
            };
            if (!args.keywords().isEmpty()) {
                throw wrong(call.span(), "nn." + name + " takes its modules positionally",
                        String.join(", ", args.keywords().keySet()), "nn." + name + "(...)",
                        "pass the modules without keywords");
            }
            Ast.Expr expr = call;
            Object value;
            if (kind == Instance.Kind.SEQUENTIAL) {
                boolean ordered = args.positional().size() == 1 && args.positional().get(0) instanceof Py.PyDict;
                value = ordered ? args.positional().get(0) : new Py.PyList(args.positional());
            } else if (args.positional().isEmpty()) {
                value = kind == Instance.Kind.MODULE_LIST ? new Py.PyList(List.of()) : new Py.PyDict(Map.of());
            } else if (args.positional().size() == 1) {
                value = args.positional().get(0);
                expr = call.arguments().get(0).value();
            } else {
                throw wrong(call.span(), "nn." + name + " takes one " + (kind == Instance.Kind.MODULE_LIST
                        ? "list" : "dict") + " of modules", args.positional().size() + " arguments",
                        "nn." + name + "(" + (kind == Instance.Kind.MODULE_LIST ? "[...]" : "{...}") + ")",
                        "wrap the modules in one " + (kind == Instance.Kind.MODULE_LIST ? "list" : "dict"));
            }
            if (kind == Instance.Kind.MODULE_DICT && !(value instanceof Py.PyDict)) {
                throw wrong(expr.span(), "nn.ModuleDict takes a dict of modules", Py.typeName(value),
                        "{'name': module, ...}", "write a dict");
            }
            return new ModuleSpec.Container(kind, entries(value, this, expr, 0), source.at(call.span()));
        }

        /** {@code OrderedDict([("conv0", ...), ...])} or {@code OrderedDict(conv0=..., ...)}. */
        private Object orderedDict(Args args, Ast.Call call) throws LoweringError {
            Map<Object, Object> items = new LinkedHashMap<>();
            if (args.positional().size() == 1) {
                Object value = args.positional().get(0);
                if (value instanceof Py.PyDict dict) {
                    items.putAll(dict.items);
                } else {
                    for (Object item : items(value, call.arguments().get(0).value())) {
                        if (!(item instanceof Py.Tuple pair) || pair.items().size() != 2) {
                            throw wrong(call.span(), "OrderedDict takes (name, module) pairs", Py.repr(item),
                                    "[('conv0', nn.Conv2d(...)), ...]", "write a list of pairs");
                        }
                        items.put(pair.items().get(0), pair.items().get(1));
                    }
                }
            } else if (!args.positional().isEmpty()) {
                throw wrong(call.span(), "OrderedDict takes one list of pairs", args.positional().size()
                        + " arguments", "OrderedDict([(name, module), ...])", "wrap the pairs in a list");
            }
            items.putAll(args.keywords());
            return new Py.PyDict(items);
        }

        private ModuleSpec block(ClassRef ref, Args args, Ast.Call call) throws LoweringError {
            ModuleClass block;
            try {
                Optional<ModuleClass> read = lowering.readBlock(ref.type(), source.at(call.callee().span()));
                if (read.isEmpty()) {
                    throw LoweringError.reported(source.at(call.span()));
                }
                block = read.get();
            } catch (DeferredTypeException e) {
                throw new DeferredInLowering(e);
            }
            if (depth >= MAX_DEPTH) {
                throw wrong(call.span(), "blocks nest more than " + MAX_DEPTH + " deep here",
                        block.simpleName() + " inside " + MAX_DEPTH + " blocks", "a finite module tree",
                        "check that " + block.simpleName() + " does not contain itself");
            }
            Map<String, Object> arguments = bindParams(block, args, call);
            String description = describe(block, args);
            if (block.hasInit()) {
                runInit(block, arguments, description);
            }
            depth++;
            try {
                List<ModuleSpec.Child> children = children(block, arguments, description);
                return new ModuleSpec.Block(block, description, arguments, children, source.at(call.span()));
            } catch (DeferredTypeException e) {
                throw new DeferredInLowering(e);
            } finally {
                depth--;
            }
        }

        /** The block's parameters bound to the call's arguments, with Python's rules, defaults filled in. */
        private Map<String, Object> bindParams(ModuleClass block, Args args, Ast.Call call) throws LoweringError {
            List<Ast.Param> params = lowering.params(block);
            String signature = block.simpleName() + "(" + String.join(", ", params.stream()
                    .map(p -> p.name() + (p.defaultValue() == null ? "" : "=…")).toList()) + ")";
            Map<String, Object> bound = new LinkedHashMap<>();
            if (args.positional().size() > params.size()) {
                throw wrong(args.positionalSpans().get(params.size()), block.simpleName() + " takes at most "
                        + params.size() + " arguments", args.positional().size() + " arguments", signature,
                        "remove the extra argument");
            }
            for (int i = 0; i < args.positional().size(); i++) {
                bound.put(params.get(i).name(), args.positional().get(i));
            }
            for (Map.Entry<String, Object> keyword : args.keywords().entrySet()) {
                String name = keyword.getKey();
                if (params.stream().noneMatch(p -> p.name().equals(name))) {
                    throw wrong(args.keywordSpans().get(name), block.simpleName() + " has no parameter " + name,
                            name + "=...", signature, Suggestions.didYouMean(name,
                                    params.stream().map(Ast.Param::name).toList(), "see @Block(params)"));
                }
                if (bound.containsKey(name)) {
                    throw wrong(args.keywordSpans().get(name), block.simpleName() + " got " + name + " twice",
                            name, "each argument once", "remove one of them");
                }
                bound.put(name, keyword.getValue());
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Ast.Param param : params) {
                Object value = bound.get(param.name());
                if (value == null) {
                    if (param.defaultValue() == null) {
                        throw wrong(call.span(), block.simpleName() + " needs " + param.name(),
                                "no " + param.name(), signature, "add " + param.name() + "=...");
                    }
                    value = lowering.defaultValue(block, param);
                }
                values.put(param.name(), value);
            }
            return values;
        }

        /** {@code BasicBlock(64, 128, stride=2)}: the call as written, with its values. */
        private static String describe(ModuleClass block, Args args) {
            List<String> parts = new ArrayList<>();
            for (Object value : args.positional()) {
                parts.add(Py.repr(value));
            }
            args.keywords().forEach((name, value) -> parts.add(name + "=" + Py.repr(value)));
            return block.pytorchName() + "(" + String.join(", ", parts) + ")";
        }

        private static boolean isContainer(String name) {
            return name.equals("Sequential") || name.equals("ModuleList") || name.equals("ModuleDict");
        }

        /**
         * The class a simple name means in {@code context}: a type nested in it or in a class around it, or one in
         * its package.
         */
        private TypeElement resolveClass(String name) {
            for (Element scope = context.type(); scope instanceof TypeElement type;
                    scope = type.getEnclosingElement()) {
                for (TypeElement nested : ElementFilter.typesIn(type.getEnclosedElements())) {
                    if (nested.getSimpleName().contentEquals(name)) {
                        return nested;
                    }
                }
                if (type.getSimpleName().contentEquals(name) && type.getKind() == ElementKind.CLASS) {
                    return type;
                }
            }
            PackageElement pkg = lowering.packageOf(context.type());
            for (TypeElement type : ElementFilter.typesIn(pkg.getEnclosedElements())) {
                if (type.getSimpleName().contentEquals(name)) {
                    return type;
                }
            }
            return null;
        }
    }

    /** {@code self} while a block's init text runs: {@code self.name} reads what the text or the call set. */
    private enum InitSelf { SELF }

    /** A block's field type was not resolved yet: the model waits for a later round, as for its own fields. */
    static final class DeferredInLowering extends RuntimeException {
        final DeferredTypeException cause;

        DeferredInLowering(DeferredTypeException cause) {
            super(cause.typeName(), null, false, false);
            this.cause = cause;
        }
    }
}
