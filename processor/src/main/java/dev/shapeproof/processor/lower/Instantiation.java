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

    /** Places {@code spec} at {@code path}, held by {@code field} of its parent's class, and everything below it. */
    Instance place(ModuleSpec spec, String path, String field) {
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
            return type == null ? null : new ClassRef(type);
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
            if (target instanceof ClassRef ref) {
                for (VariableElement field : ElementFilter.fieldsIn(ref.type().getEnclosedElements())) {
                    if (field.getSimpleName().contentEquals(name) && field.getConstantValue() != null
                            && field.getModifiers().contains(Modifier.STATIC)) {
                        Object constant = field.getConstantValue();
                        return constant instanceof Float f ? (Object) f.doubleValue()
                                : constant instanceof Long || constant instanceof Short || constant instanceof Byte
                                        ? (Object) ((Number) constant).intValue() : constant;
                    }
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

    /** A block's field type was not resolved yet: the model waits for a later round, as for its own fields. */
    static final class DeferredInLowering extends RuntimeException {
        final DeferredTypeException cause;

        DeferredInLowering(DeferredTypeException cause) {
            super(cause.typeName(), null, false, false);
            this.cause = cause;
        }
    }
}
