package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.dsl.Ast;
import dev.shapeproof.processor.dsl.Ast.Expr;
import dev.shapeproof.processor.dsl.Ast.Statement;
import dev.shapeproof.processor.dsl.Span;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Attributes;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.TensorList;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.graph.Statement.AssignList;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.op.FunctionSignature;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.Namespace;
import dev.shapeproof.processor.op.ModuleCallOp;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.processor.op.Ops;
import dev.shapeproof.processor.op.Returns;
import dev.shapeproof.processor.op.Strides;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one forward at compile time: the model's, or a block's for one call. Tensors are graph values whose shapes the
 * checker proves as each node is added; everything else (arguments, shapes read from tensors, conditions, loops) is
 * computed, so an {@code if} takes one branch and a {@code for} is unrolled, for this module with these shapes.
 * Calls of blocks and containers run their own forward in a body of their own.
 */
final class ForwardInterpreter extends Evaluator {
    private final Lowering lowering;
    private final Body body;
    private final Instance self;
    private final Binding binding = new Binding(this);
    /** Where each variable was last assigned, and which of those assignments something read. */
    private final Map<String, Span> assignedAt = new LinkedHashMap<>();
    private final Set<Span> readAssignments = new LinkedHashSet<>();
    /** Names and lists whose storage an in-place op changed under them, with where: reading them is an error. */
    private final Map<String, Span> stale = new LinkedHashMap<>();
    private final Map<TensorList, Span> staleLists = new java.util.IdentityHashMap<>();
    private final java.util.Set<Value> changedInPlace =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The name the text last read each tensor by, so that the generated call says what the DSL line says. */
    private final Map<Value, String> readAs = new java.util.IdentityHashMap<>();
    private boolean returned;

    ForwardInterpreter(Lowering lowering, Body body, Instance self, Source source, Map<String, Object> variables) {
        super(source, variables);
        this.lowering = lowering;
        this.body = body;
        this.self = self;
    }

    // --- statements -----------------------------------------------------------------------------------------------

    /** Runs {@code program}'s statements; the body's outputs are set by its return. */
    void run(List<Statement> statements, Span end) throws LoweringError {
        execute(statements);
        if (!returned) {
            String last = lastAssigned();
            throw error(end, Message.MISSING_RETURN, source.subject(), last);
        }
        assignedAt.forEach((name, span) -> lowering.assigned(source.at(span), readAssignments.contains(span),
                source.subject(), name));
    }

    private void execute(List<Statement> statements) throws LoweringError {
        for (int i = 0; i < statements.size(); i++) {
            Statement statement = statements.get(i);
            execute(statement);
            if (returned) {
                if (i + 1 < statements.size()) {
                    throw error(statements.get(i + 1).span(), Message.DSL_SYNTAX, source.subject(),
                            "this line comes after the return and never runs", "move the return to the end");
                }
                return;
            }
        }
    }

    private void execute(Statement statement) throws LoweringError {
        if (statement instanceof Ast.Assign assign) {
            assign(assign);
        } else if (statement instanceof Ast.AugAssign augmented) {
            augmentedAssign(augmented);
        } else if (statement instanceof Ast.Return ret) {
            returnValues(ret);
        } else if (statement instanceof Ast.If branch) {
            ifStatement(branch);
        } else if (statement instanceof Ast.For loop) {
            forStatement(loop);
        } else if (statement instanceof Ast.ExprStatement expression) {
            expressionStatement(expression);
        }
    }

    private String text(Statement statement) {
        return source.lines(statement.span().line(), statement.endLine());
    }

    private void assign(Ast.Assign assign) throws LoweringError {
        Object value = eval(assign.value());
        String text = text(assign);
        for (Expr target : assign.targets()) {
            if (target instanceof Ast.Subscript subscript) {
                Object container = eval(subscript.target());
                if (!(container instanceof Py.PyDict dict)) {
                    throw wrong(subscript.span(), "only a dict's items can be assigned", Py.typeName(container),
                            "a dict, such as result = OrderedDict()", "assign to a variable instead");
                }
                dict.items.put(eval(subscript.index()), value);
                body.addStatement(new dev.shapeproof.processor.graph.Statement.Comment(text));
                continue;
            }
            assignTarget(target, value);
            if (target instanceof Ast.Name name) {
                record(text, name.id(), value, assign.value());
            } else {
                body.addStatement(new dev.shapeproof.processor.graph.Statement.Comment(text));
            }
        }
    }

    /** The statement the generated code mirrors for {@code name = value}. */
    private void record(String text, String name, Object value, Expr expr) {
        if (value instanceof Value tensor) {
            body.addStatement(new dev.shapeproof.processor.graph.Statement.Assign(text, name, tensor));
        } else if (value instanceof TensorList list) {
            boolean isNew = expr instanceof Ast.Sequence || expr instanceof Ast.Comprehension
                    || expr instanceof Ast.Call;
            body.addStatement(new AssignList(text, name, list, list.snapshot(), isNew));
        } else {
            body.addStatement(new dev.shapeproof.processor.graph.Statement.Comment(text));
        }
    }

    @Override
    void bind(String name, Object value, Span span) throws LoweringError {
        if (name.equals("self")) {
            throw wrong(span, "self cannot be assigned", "self = ...", "another name", "use another name");
        }
        stale.remove(name);
        Span previous = assignedAt.put(name, span);
        if (previous != null && !previous.equals(span)) {
            lowering.assigned(source.at(previous), readAssignments.contains(previous), source.subject(), name);
        }
        variables.put(name, value);
    }

    /**
     * {@code target += value}: on tensors an in-place add, as in PyTorch. Every name of the tensor sees the sum, and
     * the sum must keep the target's shape.
     */
    private void augmentedAssign(Ast.AugAssign augmented) throws LoweringError {
        if (!(augmented.target() instanceof Ast.Name name)) {
            throw wrong(augmented.target().span(), "only a variable can be the target of " + augmented.op() + "=",
                    "a " + Py.typeName(eval(augmented.target())), "a variable", "assign to a variable");
        }
        Object left = lookup(name);
        Object right = eval(augmented.value());
        String text = text(augmented);
        if (left instanceof Value || right instanceof Value) {
            Value sum = tensorBinary(augmented.op(), left, right, augmented.span(), augmented.target().span(),
                    name.id());
            sum.producer().setWrittenNames(java.util.Arrays.asList(name.id(), nameOf(augmented.value())));
            replaceInPlace((Value) left, sum, augmented.span());
            bind(name.id(), sum, name.span());
            body.addStatement(new dev.shapeproof.processor.graph.Statement.Assign(text, name.id(), sum));
            return;
        }
        Object result = arithmetic(augmented.op(), left, right, augmented.span());
        bind(name.id(), result, name.span());
        body.addStatement(new dev.shapeproof.processor.graph.Statement.Comment(text));
    }

    private void returnValues(Ast.Return ret) throws LoweringError {
        List<Value> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean named = ret.values().size() > 1;
        for (Expr expr : ret.values()) {
            Object value = eval(expr);
            if (value instanceof Py.PyDict dict && ret.values().size() == 1) {
                named = true;
                // A dict of named outputs, as torchvision's segmentation models return {"out": ...}.
                for (Map.Entry<Object, Object> entry : dict.items.entrySet()) {
                    values.add(tensor(entry.getValue(), expr));
                    names.add(String.valueOf(entry.getKey()));
                }
                continue;
            }
            values.add(tensor(value, expr));
            String name = expr instanceof Ast.Name n ? n.id() : "output" + names.size();
            names.add(names.contains(name) ? name + names.size() : name);
        }
        if (values.isEmpty()) {
            throw error(ret.span(), Message.MISSING_RETURN, source.subject(), lastAssigned());
        }
        if (self.kind() == Instance.Kind.MODEL) {
            for (int i = 0; i < values.size(); i++) {
                dev.shapeproof.shape.TensorShape shape = lowering.checker().shapeOf(values.get(i));
                if (shape != null && !shape.isBatched()) {
                    throw wrong(ret.values().get(Math.min(i, ret.values().size() - 1)).span(),
                            "a model returns batched tensors, but this one has no batch axis", shape.toString(),
                            "a tensor whose axis 0 is the batch", "expand it to the batch first: "
                                    + "p.expand(x.shape[0], ...)");
                }
            }
        }
        if (self.kind() != Instance.Kind.MODEL && values.size() > 1) {
            throw wrong(ret.span(), "a block's forward returns one tensor", values.size() + " values",
                    "return x", "return one tensor; models may return several");
        }
        body.setOutputs(values, names, named);
        body.addStatement(new dev.shapeproof.processor.graph.Statement.Return(text(ret), values));
        returned = true;
    }

    private void ifStatement(Ast.If branch) throws LoweringError {
        for (Ast.Branch candidate : branch.branches()) {
            body.addStatement(new dev.shapeproof.processor.graph.Statement.Comment(
                    source.lines(candidate.span().line(), candidate.span().line())));
            if (truth(eval(candidate.condition()), candidate.condition())) {
                execute(candidate.body());
                return;
            }
        }
        if (!branch.orElse().isEmpty()) {
            execute(branch.orElse());
        }
    }

    private void forStatement(Ast.For loop) throws LoweringError {
        List<Object> items = items(eval(loop.iterable()), loop.iterable());
        String header = source.lines(loop.span().line(), loop.span().line());
        for (int i = 0; i < items.size() && !returned; i++) {
            body.addStatement(new dev.shapeproof.processor.graph.Statement.Comment(header + "  # pass " + (i + 1)
                    + " of " + items.size()));
            assignTarget(loop.target(), items.get(i));
            execute(loop.body());
        }
    }

    private void expressionStatement(Ast.ExprStatement statement) throws LoweringError {
        Object value = eval(statement.value());
        if (value instanceof Value && statement.value() instanceof Ast.Call call) {
            Span callee = call.callee().span();
            Span at = new Span(callee.line(), callee.column() + callee.length(), 1);
            String name = call.callee() instanceof Ast.Name n ? n.id() : "f";
            throw error(at, Message.DSL_SYNTAX, source.subject(), "a call's result must be assigned: `x = " + name
                    + "(...)`", "assign the result to a variable, or remove the line");
        }
        if (value instanceof Value) {
            throw error(statement.span(), Message.DSL_SYNTAX, source.subject(),
                    "this line computes a tensor and drops it", "assign it: y = ...");
        }
    }

    // --- names ----------------------------------------------------------------------------------------------------

    @Override
    Object lookup(Ast.Name name) throws LoweringError {
        Span assignment = assignedAt.get(name.id());
        if (assignment != null) {
            readAssignments.add(assignment);
        }
        Span changed = stale.get(name.id());
        if (changed != null) {
            throw staleRead(name.span(), name.id(), changed);
        }
        Object value = super.lookup(name);
        if (value instanceof TensorList list && staleLists.containsKey(list)) {
            throw staleRead(name.span(), name.id(), staleLists.get(list));
        }
        if (value instanceof Py.Unavailable unavailable) {
            throw wrong(name.span(), name.id() + " holds a value ShapeProof does not compute",
                    name.id(), "a tensor ShapeProof computes", unavailable.reason());
        }
        if (value instanceof Value tensor) {
            readAs.put(tensor, name.id());
        }
        return value;
    }

    @Override
    Object global(String name) {
        if (name.equals("self")) {
            return self;
        }
        Instance child = self.child(name);
        if (child != null) {
            return child;
        }
        if (Ops.forFunction(name) != null) {
            return new Function(Function.BARE, name);
        }
        return null;
    }

    @Override
    LoweringError unknownName(Ast.Name name) {
        List<String> known = new ArrayList<>(variables.keySet());
        return error(name.span(), Message.UNDEFINED_VARIABLE, source.subject(), name.id(), inputNames(),
                Suggestions.didYouMean(name.id(), known, "assign it first, or use the input "
                        + inputNames().split(", ")[0]));
    }

    private String inputNames() {
        List<String> names = body.parameters().stream().map(Body.Parameter::name).toList();
        return String.join(", ", names);
    }

    /** A callee that names nothing is reported as a call: forward calls X, which is … */
    @Override
    Object callee(Expr callee) throws LoweringError {
        if (callee instanceof Ast.Name name && !variables.containsKey(name.id()) && global(name.id()) == null
                && builtin(name.id()) == null) {
            Set<String> known = new LinkedHashSet<>(moduleNames());
            known.addAll(Ops.functionNames());
            throw error(name.span(), Message.UNKNOWN_NAME, source.subject(), name.id(),
                    "neither a layer of " + self.description() + " nor a supported function",
                    "a layer field or one of " + String.join(", ", Ops.functionNames()),
                    Suggestions.didYouMean(name.id(), known, "declare a layer field " + name.id()
                            + ", or use a supported function"));
        }
        if (callee instanceof Ast.Name name && variables.get(name.id()) instanceof Value) {
            throw error(name.span(), Message.UNKNOWN_NAME, source.subject(), name.id(), "a tensor, not a function",
                    "a layer field or one of " + String.join(", ", Ops.functionNames()),
                    Suggestions.didYouMean(name.id(), moduleNames(), "call a layer or a function of it"));
        }
        return eval(callee);
    }

    private List<String> moduleNames() {
        return new ArrayList<>(self.children().keySet());
    }

    @Override
    Object member(Object target, String name, Ast.Attribute expr) throws LoweringError {
        if (target instanceof Instance module) {
            Instance child = module.child(name);
            if (child != null && child.kind() == Instance.Kind.PARAMETER) {
                return readParameter(module, child, expr);
            }
            if (child != null) {
                return child;
            }
            if (name.equals("training")) {
                return Py.Mode.TRAINING;
            }
            if (module == self && self.arguments().containsKey(name)) {
                return self.arguments().get(name);
            }
            if (module == self && isDeclaredField(name)) {
                return Py.NONE; // an optional module left out: `if self.downsample is not None`
            }
            if (module == self && self.moduleClass() != null) {
                Object constant = Constants.of(self.moduleClass().type(), name);
                if (constant != null) {
                    return constant; // a class attribute: `self.patch_size` of `static final int patch_size = 16`
                }
            }
            if (List.of("items", "values", "keys", "forward").contains(name)) {
                return new Py.Method(module, name);
            }
            String owner = module == self ? self.description() : module.path();
            throw error(expr.span(), Message.UNKNOWN_NAME, source.subject(), "self." + name,
                    "not a layer field of " + owner, "a layer field: " + String.join(", ",
                            module.children().keySet()),
                    Suggestions.didYouMean(name, module.children().keySet(),
                            "declare a field " + name + " with a layer annotation"));
        }
        if (target instanceof Value tensor) {
            if (name.equals("shape")) {
                lowering.checker().readShape(tensor, -1, source.at(expr.span()));
                return shapeTuple(tensor, expr);
            }
            if (name.equals("ndim")) {
                return shapeOf(tensor, expr).rank();
            }
            return new Py.Method(tensor, name);
        }
        if (target instanceof Function function) {
            throw wrong(expr.span(), function + "." + name + " is not a value", function + "." + name,
                    "a function call", "call a function");
        }
        throw wrong(expr.span(), Py.typeName(target) + " has no attribute " + name, Py.repr(target) + "." + name,
                "a module, a tensor or a namespace", "read attributes of self or of a tensor");
    }

    /**
     * {@code self.class_token}: a node that reads the parameter, a tensor without the batch axis. Only the running
     * module's own parameters: the generated code reads them from its own field.
     */
    private Value readParameter(Instance owner, Instance parameter, Ast.Attribute expr) throws LoweringError {
        if (owner != self) {
            throw wrong(expr.span(), "a forward reads its own module's parameters only", Py.repr(owner) + "."
                    + parameter.key(), "self." + parameter.key() + " in " + owner.path() + "'s own forward",
                    "read it in the forward of the module that declares it");
        }
        lowering.called(parameter);
        Location location = source.at(expr.span());
        List<Integer> shape = new ArrayList<>();
        for (int size : parameter.parameterInit().shape()) {
            shape.add(size);
        }
        Attributes attributes = new Attributes(List.of(
                new Attribute("field", parameter.field(), true, location),
                new Attribute("shape", List.copyOf(shape), true, location)));
        OpDefinition<?> op = Ops.parameter();
        Value output = body.add(parameter.key(), null, op, attributes, List.of(), List.of(), location);
        lowering.checker().check(output.producer(), output);
        return output;
    }

    /** Whether {@code name} is a module field of the running block's class (possibly left out: {@code None}). */
    private boolean isDeclaredField(String name) {
        return self.moduleClass() != null
                && self.moduleClass().fields().stream().anyMatch(field -> field.name().equals(name));
    }

    @Override
    Object newList(List<Object> items, Expr expr) throws LoweringError {
        boolean tensors = items.stream().allMatch(item -> item instanceof Value);
        if (tensors) {
            List<Value> values = new ArrayList<>();
            items.forEach(item -> values.add((Value) item));
            return new TensorList(values);
        }
        return new Py.PyList(items);
    }

    @Override
    List<Object> iterate(Object value, Expr expr) throws LoweringError {
        if (value instanceof Value tensor) {
            shapeOf(tensor, expr); // a tensor whose producer failed stops here silently: one mistake, one error
        }
        if (value instanceof Instance module) {
            if (module.kind() == Instance.Kind.MODULE_DICT
                    || module.base() == dev.shapeproof.processor.graph.ModuleClass.Base.MODULE_DICT) {
                return new ArrayList<>(module.children().keySet());
            }
            if (module.kind() == Instance.Kind.SEQUENTIAL || module.kind() == Instance.Kind.MODULE_LIST
                    || module.base() == dev.shapeproof.processor.graph.ModuleClass.Base.SEQUENTIAL
                    || module.base() == dev.shapeproof.processor.graph.ModuleClass.Base.MODULE_LIST) {
                return new ArrayList<>(module.children().values().stream()
                        .filter(child -> child.kind() != Instance.Kind.PARAMETER).toList());
            }
        }
        return null;
    }

    @Override
    Object subscriptOther(Object target, Expr index, Ast.Subscript expr) throws LoweringError {
        if (target instanceof Instance module && module != null) {
            Object key = eval(index);
            if (key instanceof String name && module.child(name) != null) {
                return module.child(name);
            }
            if (key instanceof Integer) {
                List<Instance> children = new ArrayList<>(module.children().values());
                return children.get(position(key, children.size(), index));
            }
            throw wrong(index.span(), module.path() + " has no module " + Py.repr(key), Py.repr(key),
                    "one of " + module.children().keySet(), "use an existing index or name");
        }
        if (target instanceof Value tensor) {
            return indexTensor(tensor, index, expr);
        }
        return super.subscriptOther(target, index, expr);
    }

    /**
     * {@code x[:, 0]}, {@code x[:, 1:3]}: the indexing op ({@link Ops#index}) with the subscript's items, ints and
     * slices computed here, as its attribute {@code index}.
     */
    private Value indexTensor(Value tensor, Expr index, Ast.Subscript expr) throws LoweringError {
        List<Expr> parts = index instanceof Ast.Sequence sequence && !sequence.isList() ? sequence.items()
                : List.of(index);
        List<Object> items = new ArrayList<>();
        for (Expr part : parts) {
            if (part instanceof Ast.Slice slice) {
                items.add(Ops.indexItem(null, bound(slice.lower()), bound(slice.upper()), bound(slice.step())));
                continue;
            }
            Object value = eval(part);
            if (value instanceof Integer i) {
                items.add(Ops.indexItem(i, null, null, null));
            } else {
                throw wrong(part.span(), "a tensor is indexed by ints and slices here", Py.repr(value),
                        "x[:, 0] or x[:, 1:3]", value == Py.NONE ? "a new axis (None) is not supported: use "
                                + "x.view(...) to add one" : "index with an int or a slice");
            }
        }
        Location location = source.at(expr.span());
        Attributes attributes = new Attributes(List.of(new Attribute("index", List.copyOf(items), true,
                source.at(index.span()))));
        OpDefinition<?> op = Ops.index();
        Value output = body.add(op.name(), null, op, attributes, List.of(tensor), List.of(tensor), location);
        output.producer().setWrittenNames(writtenNames(List.of(tensor)));
        lowering.checker().check(output.producer(), output);
        return output;
    }

    /** A slice bound: an int, or {@code null} when omitted or {@code None}. */
    private Integer bound(Expr expr) throws LoweringError {
        if (expr == null) {
            return null;
        }
        Object value = eval(expr);
        return value == Py.NONE ? null : intOf(value, expr.span(), "a slice bound");
    }

    // --- calls ----------------------------------------------------------------------------------------------------

    @Override
    Object invoke(Object callee, Args args, Ast.Call call) throws LoweringError {
        if (callee instanceof Instance module) {
            return moduleCall(module, args, call);
        }
        if (callee instanceof Function function && function.name().equals("OrderedDict")) {
            if (args.size() != 0) {
                throw wrong(call.span(), "a forward's OrderedDict starts empty", args.size() + " arguments",
                        "OrderedDict()", "add entries with result[\"name\"] = x");
            }
            return new Py.PyDict(Map.of());
        }
        if (callee instanceof Function function) {
            if (function.namespace().equals(Function.BARE)) {
                return functionCall(Ops.signature(function.name()), args, call);
            }
            Namespace namespace = Namespace.of(function.namespace());
            if (namespace != null) {
                if (Ops.forFunction(function.name()) != null) {
                    return functionCall(namespacedSignature(namespace, function, call), args, call);
                }
                if (namespace == Namespace.TORCH && function.name().equals("_assert")) {
                    return check(args, call);
                }
                throw error(call.callee().span(), Message.UNKNOWN_NAME, source.subject(), function.name(),
                        "not a function ShapeProof supports", "one of " + String.join(", ", Ops.functionNames()),
                        Suggestions.didYouMean(function.name(), Ops.functionNames(),
                                "write it with the supported functions, or as a layer field"));
            }
            throw wrong(call.span(), function + " cannot be called in a forward", function.toString(),
                    "a layer field, a function of F or torch",
                    function.namespace().equals("nn") ? "declare the module as a field with @Init(\"" + function
                            + "(...)\") and call the field" : "use a supported function");
        }
        if (callee instanceof Py.Method method) {
            return methodCall(method, args, call);
        }
        throw wrong(call.callee().span(), Py.repr(callee) + " is not callable", Py.repr(callee),
                "a layer, a function or a tensor method", "call a layer field or a function");
    }

    private Object methodCall(Py.Method method, Args args, Ast.Call call) throws LoweringError {
        Object receiver = method.receiver();
        String name = method.name();
        Ast.Attribute attribute = (Ast.Attribute) call.callee();
        if (receiver instanceof TensorList list) {
            if (name.equals("append")) {
                if (args.positional().size() != 1 || !args.keywords().isEmpty()) {
                    throw wrong(call.span(), "append takes one tensor", args.size() + " arguments", "list.append(x)",
                            "append one tensor at a time");
                }
                Value value = tensor(args.positional().get(0), call.arguments().get(0).value());
                list.append(value);
                body.addStatement(new dev.shapeproof.processor.graph.Statement.Append(
                        source.lines(call.span().line(), call.span().line()), list, value));
                return Py.NONE;
            }
            throw error(attribute.span(), Message.UNKNOWN_NAME, source.subject(), "." + name + "()",
                    "not a method of a list of tensors ShapeProof supports", "append",
                    "build the list with append");
        }
        if (receiver instanceof Instance module) {
            if (name.equals("forward")) {
                return moduleCall(module, args, call);
            }
            List<Object> items = new ArrayList<>();
            for (Map.Entry<String, Instance> child : module.children().entrySet()) {
                items.add(switch (name) {
                    case "items" -> new Py.Tuple(List.of(child.getKey(), child.getValue()));
                    case "keys" -> child.getKey();
                    default -> child.getValue();
                });
            }
            return new Py.PyList(items);
        }
        Value tensor = (Value) receiver;
        switch (name) {
            case "view", "reshape":
                return view(tensor, name, args, call);
            case "size":
                return size(tensor, args, call);
            case "dim":
                return shapeOf(tensor, call).rank();
            case "contiguous":
                return contiguous(tensor, call);
            default:
                if (Ops.forMethod(name) != null) {
                    return tensorMethod(name, tensor, args, call, attribute.target().span());
                }
                List<String> methods = new ArrayList<>(List.of("view", "reshape", "size", "dim", "contiguous"));
                methods.addAll(Ops.methodNames());
                throw error(attribute.span(), Message.UNKNOWN_NAME, source.subject(), "." + name + "()",
                        "not a tensor method ShapeProof supports", String.join(", ", methods),
                        Suggestions.didYouMean(name, methods, "use the functional form, e.g. relu(x)"));
        }
    }

    /**
     * {@code torch._assert(condition, message)}, as torchvision's forwards check their input: decided at compile
     * time, an error when false.
     */
    private Object check(Args args, Ast.Call call) throws LoweringError {
        if (args.positional().isEmpty()) {
            throw wrong(call.span(), "torch._assert needs a condition", "no arguments", "torch._assert(cond, msg)",
                    "pass the condition");
        }
        if (!truth(args.positional().get(0), call.arguments().get(0).value())) {
            Object message = args.positional().size() > 1 ? args.positional().get(1) : "the assertion";
            throw wrong(call.span(), "torch._assert fails: " + (message instanceof String text ? text
                    : Py.repr(message)), "a false condition", "a condition that holds for these shapes",
                    "fix the shapes the assertion checks");
        }
        return Py.NONE;
    }

    /** {@code x.size()} or {@code x.size(d)}: known sizes, and the batch as a run-time value. */
    private Object size(Value tensor, Args args, Ast.Call call) throws LoweringError {
        Py.Tuple shape = shapeTuple(tensor, call);
        if (args.positional().isEmpty() && args.keywords().isEmpty()) {
            lowering.checker().readShape(tensor, -1, source.at(call.span()));
            return shape;
        }
        Object dim = args.positional().isEmpty() ? args.keywords().get("dim") : args.positional().get(0);
        Expr at = call.arguments().get(0).value();
        int axis = position(dim, shape.items().size(), at);
        lowering.checker().readShape(tensor, axis, source.at(call.span()));
        return shape.items().get(axis);
    }

    /** A tensor's shape as Python sees it: {@code (batch, C, H, W)}, the batch known only at run time. */
    private Py.Tuple shapeTuple(Value tensor, Expr expr) throws LoweringError {
        TensorShape shape = shapeOf(tensor, expr);
        List<Object> dims = new ArrayList<>();
        dims.add(new Py.BatchSize(tensor));
        for (int i = 1; i < shape.rank(); i++) {
            dims.add(shape.dim(i));
        }
        return new Py.Tuple(dims);
    }

    /** The proven shape of {@code tensor}; unknown after a mistake above it, which stops this forward silently. */
    private TensorShape shapeOf(Value tensor, Expr expr) throws LoweringError {
        TensorShape shape = lowering.checker().shapeOf(tensor);
        if (shape == null) {
            throw LoweringError.reported(source.at(expr.span()));
        }
        return shape;
    }

    /**
     * {@code self.conv1(x)}: a layer is one node, its arguments bound to its op's call signature (one tensor, or
     * MultiheadAttention's query, key, value and keywords); a block or container runs its forward in a body of its
     * own.
     */
    private Object moduleCall(Instance module, Args args, Ast.Call call) throws LoweringError {
        Location location = module.location().at(source.at(call.span()).site());
        if (module.kind() == Instance.Kind.LAYER) {
            FunctionSignature signature = module.op().callSignature();
            boolean oneTensor = signature.params().size() == 1;
            if (oneTensor && (args.positional().size() != 1 || !args.keywords().isEmpty())) {
                throw wrong(call.span(), module.key() + " takes one tensor, as a PyTorch module's forward(x) does",
                        args.size() + " argument(s)", module.key() + "(x)",
                        "pass the tensor alone; the layer's settings live in its annotation");
            }
            return opCall(module.op(), signature, module.path(), args, call, null, null, module, location);
        }
        if (module.kind() == Instance.Kind.PARAMETER) {
            throw wrong(call.span(), module.key() + " is a parameter, not a module", module.key() + "(...)",
                    "a layer or block", "use it as a tensor: " + module.key() + " * x");
        }
        Value output = lowering.callBody(module, args, call, this, body, location);
        output.producer().setWrittenNames(writtenNames(output.producer().arguments()));
        return output;
    }

    /** Whether a layer or call was written in place ({@code inplace=True}), which PyTorch's aliasing follows. */
    private static boolean isInPlace(Attributes attributes) {
        return attributes.find("inplace").map(attribute -> Boolean.TRUE.equals(attribute.value())).orElse(false);
    }

    /**
     * After an in-place op turned {@code before} into {@code after}, every name that held {@code before} holds
     * {@code after}, as PyTorch's tensors alias. A name or list that shares {@code before}'s storage without being it
     * (a view, an eval-mode dropout's result, a list holding it) would read the changed values in PyTorch, which the
     * generated code does not reproduce: it becomes stale, and reading it later is an error that says why. An
     * in-place op on a block's input changes the caller's tensor in PyTorch: the caller's names of it go stale when
     * the block returns.
     */
    private void replaceInPlace(Value before, Value after, Span span) {
        // An in-place op on a value that a mistake above it left without a shape (a failed view) is not checked, and
        // neither are the reads it would make stale: one mistake, one error.
        boolean checked = lowering.checker().shapeOf(after) != null;
        for (Map.Entry<String, Object> variable : new ArrayList<>(variables.entrySet())) {
            Object value = variable.getValue();
            if (value == before) {
                variables.put(variable.getKey(), after);
            } else if (!checked) {
                continue;
            } else if (value instanceof Value other && lowering.sharesStorage(other, before)) {
                stale.put(variable.getKey(), span);
            } else if (value instanceof TensorList list && list.items().stream()
                    .anyMatch(item -> lowering.sharesStorage(item, before))) {
                staleLists.put(list, span);
            }
        }
        if (body.isExternal(before)) {
            changedInPlace.add(before);
        }
    }

    /** The caller's side of a block that changed {@code changed} in place: its names of those tensors go stale. */
    void changedByCall(java.util.Collection<Value> changed, Span call) {
        for (Value value : changed) {
            for (Map.Entry<String, Object> variable : variables.entrySet()) {
                if (variable.getValue() instanceof Value other && lowering.sharesStorage(other, value)) {
                    stale.put(variable.getKey(), call);
                } else if (variable.getValue() instanceof TensorList list && list.items().stream()
                        .anyMatch(item -> lowering.sharesStorage(item, value))) {
                    staleLists.put(list, call);
                }
            }
            if (body.isExternal(value)) {
                changedInPlace.add(value);
            }
        }
    }

    /** The tensors from outside this forward that it changed in place (in PyTorch), for its caller. */
    java.util.Set<Value> changedInPlace() {
        return changedInPlace;
    }

    /** The error for reading {@code name} after an in-place op changed its storage at {@code changedAt}. */
    private LoweringError staleRead(Span read, String name, Span changedAt) {
        return wrong(read, name + " shares its storage with a tensor changed in place at line " + changedAt.line()
                + ", so PyTorch would read the changed values here; ShapeProof never writes into a tensor that is "
                + "still read", name + " read after the in-place op", "reads of " + name + " before the op, or an op "
                + "out of place", "read " + name + " before the op, or write the op out of place (y = y + z, "
                + "inplace=False)");
    }

    /**
     * The signature of {@code function} in {@code namespace}, where PyTorch has it there: {@code torch.gelu} is
     * PyTorch's AttributeError, and one error here that names the spelling PyTorch has.
     */
    private FunctionSignature namespacedSignature(Namespace namespace, Function function, Ast.Call call)
            throws LoweringError {
        FunctionSignature signature = Ops.signature(namespace, function.name());
        if (signature != null) {
            return signature;
        }
        java.util.Set<Namespace> real = Ops.namespaces(function.name());
        List<String> spellings = new ArrayList<>();
        real.forEach(other -> spellings.add(other.prefix() + "." + function.name()));
        String theirs = real.isEmpty() ? "PyTorch has it in no namespace (it is torchvision's)"
                : String.join(" and ", spellings) + (real.size() == 1 ? " is" : " are") + " PyTorch's";
        spellings.add(function.name());
        throw error(call.callee().span(), Message.UNKNOWN_NAME, source.subject(), function.toString(),
                "not a PyTorch function: " + namespace.module() + " has no " + function.name() + "; " + theirs,
                String.join(" or ", spellings), "write " + String.join("(...) or ", spellings) + "(...)");
    }

    /** A function call: {@code relu(x)}, {@code F.max_pool2d(x, 2)}, {@code torch.cat([a, b], 1)}. */
    private Object functionCall(FunctionSignature signature, Args args, Ast.Call call) throws LoweringError {
        return opCall(Ops.forFunction(signature.name()), signature, signature.name(), args, call, null, null, null,
                source.at(call.span()));
    }

    /** A tensor method: {@code x.transpose(1, 2)}, {@code x.mean([2, 3])}, {@code x.chunk(2, dim=1)}. */
    private Object tensorMethod(String method, Value receiver, Args args, Ast.Call call, Span receiverSpan)
            throws LoweringError {
        return opCall(Ops.forMethod(method), Ops.methodSignature(method), method, args, call, receiver, receiverSpan,
                null, source.at(call.span()));
    }

    /**
     * A call of an op: {@code args} (after {@code receiver}, for a method) bound to {@code signature}, its tensors the
     * node's inputs, its other arguments the node's attributes; for a layer ({@code module} not {@code null}) the
     * attributes are the module's, and the call's own arguments only decide what it returns. One node, checked at
     * once; an op that returns a tuple ({@code chunk}) gets one node per tensor.
     */
    private Object opCall(OpDefinition<?> op, FunctionSignature signature, String name, Args args, Ast.Call call,
            Value receiver, Span receiverSpan, Instance module, Location location) throws LoweringError {
        Map<String, Binding.Bound> bound = binding.bind(signature, args, receiver, receiverSpan);
        List<Value> inputs = new ArrayList<>();
        List<Object> arguments = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        Map<String, Object> callValues = new LinkedHashMap<>();
        boolean inPlace = false;
        Value batchSource = null;
        for (Param param : signature.params()) {
            Binding.Bound argument = bound.get(param.name());
            switch (param.kind()) {
                case TENSOR -> {
                    Value value = tensor(argument.value(), argument.span());
                    inputs.add(value);
                    arguments.add(value);
                }
                case OPTIONAL_TENSOR, TENSOR_OR_SCALAR -> {
                    if (argument != null && (argument.value() instanceof Value
                            || argument.value() instanceof Py.Unavailable)) {
                        Value value = tensor(argument.value(), argument.span());
                        inputs.add(value);
                        arguments.add(value);
                    }
                    attributes.addAll(binding.attributes(signature, param, argument, call.span(), null));
                }
                case TENSOR_LIST -> {
                    Object value = argument.value();
                    if (value instanceof TensorList list && !list.items().isEmpty()) {
                        inputs.addAll(list.snapshot());
                        arguments.add(list);
                    } else if (value instanceof Py.Tuple tuple && !tuple.items().isEmpty()
                            && tuple.items().stream().allMatch(item -> item instanceof Value)) {
                        tuple.items().forEach(item -> inputs.add((Value) item));
                        arguments.addAll(tuple.items());
                    } else {
                        throw wrong(argument.span(), name + "'s " + param.name() + " must be a list of tensors",
                                describe(value), "[a, b, ...]", "write " + name + "([a, b], dim=1)");
                    }
                }
                case IGNORED -> inPlace |= param.name().equals("inplace") && argument != null
                        && Boolean.TRUE.equals(argument.value());
                case SIZES -> {
                    attributes.addAll(binding.attributes(signature, param, argument, call.span(), null));
                    Value source = Binding.batchSource(argument);
                    batchSource = source != null ? source : batchSource;
                }
                default -> {
                    List<Attribute> values = binding.attributes(signature, param, argument, call.span(), null);
                    if (module != null) {
                        values.forEach(attribute -> callValues.put(attribute.name(), attribute.value()));
                    } else {
                        attributes.addAll(values);
                    }
                }
            }
        }
        if (batchSource != null) {
            // A size read from a tensor at run time (x.shape[0]): the generated code reads it from that tensor.
            inputs.add(batchSource);
            arguments.add(batchSource);
        }
        Value output = module != null
                ? body.add(module.path(), module, module.op(), module.attributes(), arguments, inputs, location)
                : body.add(name, null, op, new Attributes(attributes), arguments, inputs, location);
        if (module != null) {
            lowering.called(module);
        }
        output.producer().setWrittenNames(writtenNames(arguments));
        lowering.checker().check(output.producer(), output);
        if ((module != null ? isInPlace(module.attributes()) : inPlace) && !inputs.isEmpty()) {
            replaceInPlace(inputs.get(0), output, call.span());
        }
        return results(output, attributes, arguments, inputs, callValues, location, name, op);
    }

    /**
     * What a checked call returns: its value, or the tuple its op says (one more node per further tensor, each the
     * node with its {@code piece}; {@code None} or a value ShapeProof does not compute for the rest).
     */
    private Object results(Value output, List<Attribute> attributes, List<Object> arguments, List<Value> inputs,
            Map<String, Object> callValues, Location location, String name, OpDefinition<?> op)
            throws LoweringError {
        CheckedNode<?> checked = lowering.checker().checked(output.producer());
        if (checked == null) {
            return output; // reported: what reads it stops silently
        }
        Returns returns = checked.returns(callValues);
        if (!returns.tuple()) {
            return output;
        }
        List<Object> items = new ArrayList<>();
        items.add(output);
        for (int piece = 1; piece < returns.tensors(); piece++) {
            List<Attribute> pieceAttributes = new ArrayList<>(attributes);
            pieceAttributes.add(new Attribute("piece", piece, false, location));
            Value value = body.add(name, null, op, new Attributes(pieceAttributes), arguments, inputs, location);
            value.producer().setWrittenNames(output.producer().writtenNames());
            lowering.checker().check(value.producer(), value);
            items.add(value);
        }
        for (String other : returns.others()) {
            items.add(other == null ? Py.NONE : new Py.Unavailable(other));
        }
        return new Py.Tuple(items);
    }

    /**
     * {@code x.contiguous()}: the tensor itself when its elements already lie in order, else a copy that does (a
     * reshape to its own shape), so that a later {@code view} sees the strides PyTorch's would.
     */
    private Value contiguous(Value tensor, Ast.Call call) throws LoweringError {
        TensorShape shape = lowering.checker().shapeOf(tensor);
        Strides strides = lowering.checker().stridesOf(tensor);
        if (shape == null || !shape.isBatched() || strides.isContiguous(shape)) {
            return tensor;
        }
        Location location = source.at(call.span());
        List<Integer> sizes = new ArrayList<>();
        sizes.add(-1);
        for (int size : shape.sampleDims()) {
            sizes.add(size);
        }
        Attributes attributes = new Attributes(List.of(
                new Attribute("shape", List.copyOf(sizes), true, location),
                new Attribute("batchFromSize", false, true, location),
                new Attribute("copies", "ALWAYS", true, location)));
        Value output = body.add("contiguous", null, Ops.view(), attributes, List.of(tensor), List.of(tensor),
                location);
        output.producer().setWrittenNames(writtenNames(List.of(tensor)));
        lowering.checker().check(output.producer(), output);
        return output;
    }

    /** {@code x.view(-1, 320)}, {@code x.view(x.size(0), -1)}, {@code x.reshape((-1, 320))}. */
    private Value view(Value input, String method, Args args, Ast.Call call) throws LoweringError {
        if (!args.keywords().isEmpty()) {
            String keyword = args.keywords().keySet().iterator().next();
            throw wrong(args.keywordSpans().get(keyword), method + " takes sizes, not keywords", keyword + "=...",
                    method + "(-1, 320)", "pass the sizes positionally");
        }
        List<Object> sizes = new ArrayList<>(args.positional());
        List<Span> spans = new ArrayList<>(args.positionalSpans());
        if (sizes.size() == 1 && sizes.get(0) instanceof Py.Tuple tuple) {
            sizes = new ArrayList<>(tuple.items());
            spans = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                spans.add(args.positionalSpans().get(0));
            }
        }
        List<Integer> shape = new ArrayList<>();
        boolean batchFromSize = false;
        for (int i = 0; i < sizes.size(); i++) {
            Object size = sizes.get(i);
            if (i == 0 && size instanceof Py.BatchSize) {
                batchFromSize = true;
                shape.add(-1);
            } else if (size instanceof Integer value) {
                shape.add(value);
            } else {
                throw wrong(spans.get(i), method + "'s sizes must be ints (x.size(0) only first)", Py.repr(size),
                        "ints, -1 for one inferred size", "write the size as a number; the compiler checks it");
            }
        }
        Span span = call.arguments().isEmpty() ? call.span()
                : Span.between(call.arguments().get(0).span(),
                        call.arguments().get(call.arguments().size() - 1).span());
        Location location = source.at(span);
        Attributes attributes = new Attributes(List.of(
                new Attribute("shape", List.copyOf(shape), true, location),
                new Attribute("batchFromSize", batchFromSize, true, location),
                new Attribute("copies", method.equals("reshape") ? "WHEN_NO_VIEW_FITS" : "NEVER", true, location)));
        Value output = body.add(method, null, Ops.view(), attributes, List.of(input), List.of(input),
                source.at(call.span()));
        output.producer().setWrittenNames(writtenNames(List.of(input)));
        lowering.checker().check(output.producer(), output);
        return output;
    }

    // --- operators on tensors -------------------------------------------------------------------------------------

    @Override
    Object binary(String op, Object left, Object right, Ast.Binary expr) throws LoweringError {
        if (left instanceof Value || right instanceof Value || left instanceof Py.Unavailable
                || right instanceof Py.Unavailable) {
            Value result = tensorBinary(op, left, right, expr.span(), expr.opSpan(), null);
            result.producer().setWrittenNames(java.util.Arrays.asList(nameOf(expr.left()), nameOf(expr.right())));
            return result;
        }
        return super.binary(op, left, right, expr);
    }

    /** {@code -x}: the op implementing unary minus; {@code +x} is {@code x}. */
    @Override
    Object unaryOther(Ast.Unary unary, Object operand) throws LoweringError {
        if (operand instanceof Value tensor && unary.op().equals("+")) {
            return tensor;
        }
        if (operand instanceof Value tensor && unary.op().equals("-") && Ops.forOperator("neg") != null) {
            OpDefinition<?> neg = Ops.forOperator("neg");
            Value output = body.add(neg.name(), null, neg, new Attributes(List.of()), List.of(tensor), List.of(tensor),
                    source.at(unary.span()));
            output.producer().setWrittenNames(writtenNames(List.of(tensor)));
            lowering.checker().check(output.producer(), output);
            return output;
        }
        return super.unaryOther(unary, operand);
    }

    /**
     * {@code a op b} with a tensor on at least one side: the op implementing {@code op} ({@link Ops#forOperator}),
     * with PyTorch's broadcasting between tensors and a number as its attribute {@code scalar}; in place for
     * {@code target op= b}, named by {@code inPlaceTarget} ({@code null} otherwise).
     */
    private Value tensorBinary(String op, Object left, Object right, Span span, Span opSpan, String inPlaceTarget)
            throws LoweringError {
        OpDefinition<?> definition = Ops.forOperator(op);
        if (definition == null) {
            throw error(opSpan, Message.DSL_SYNTAX, source.subject(),
                    "`" + op + "` is not supported between tensors; the element-wise operators are + - * /",
                    "the forward DSL is a subset of PyTorch's forward; see the README's grammar");
        }
        List<Value> inputs = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        Location location = source.at(span);
        for (Object operand : List.of(left, right)) {
            if (operand instanceof Value || operand instanceof Py.Unavailable) {
                inputs.add(tensor(operand, span));
            } else if (operand instanceof Integer || operand instanceof Double || operand instanceof Boolean) {
                double scalar = operand instanceof Boolean b ? (b ? 1 : 0) : ((Number) operand).doubleValue();
                attributes.add(new Attribute("scalar", scalar, true, location));
                attributes.add(new Attribute("scalarFirst", operand == left, true, location));
            } else {
                throw wrong(span, "`" + op + "` combines a tensor with a tensor or a number",
                        Py.typeName(left) + " " + op + " " + Py.typeName(right), "tensor " + op + " tensor, or "
                                + "tensor " + op + " number", "compute the other operand as a number first");
            }
        }
        if (inPlaceTarget != null) {
            if (!(left instanceof Value)) {
                throw wrong(span, inPlaceTarget + " " + op + "= needs a tensor target here", Py.typeName(left),
                        "a tensor", "assign the result to a variable");
            }
            attributes.add(new Attribute("inplace", inPlaceTarget, true, location));
        }
        Value output = body.add(definition.name(), null, definition, new Attributes(attributes),
                new ArrayList<>(inputs), inputs, location);
        output.producer().setWrittenNames(writtenNames(new ArrayList<>(inputs)));
        lowering.checker().check(output.producer(), output);
        return output;
    }

    /** The variable {@code expr} reads, when it is a plain name; {@code null} otherwise. */
    private static String nameOf(Expr expr) {
        return expr instanceof Ast.Name name ? name.id() : null;
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** {@code value} as a tensor, or an error saying what it is instead. */
    Value tensor(Object value, Expr expr) throws LoweringError {
        return tensor(value, expr.span());
    }

    private Value tensor(Object value, Span span) throws LoweringError {
        if (value instanceof Value tensor) {
            return tensor;
        }
        if (value instanceof Py.Unavailable unavailable) {
            throw wrong(span, "this tensor is not computed by ShapeProof", "a tensor ShapeProof does not compute",
                    "a tensor ShapeProof computes", unavailable.reason());
        }
        if (value instanceof Instance module && module.kind() != Instance.Kind.MODEL) {
            throw wrong(span, module.key() + " is a layer, not a tensor", module.key(), "a tensor",
                    "call it: " + module.key() + "(x)");
        }
        throw wrong(span, "expected a tensor here", describe(value), "a variable, a call or a + b",
                "tensors come from the inputs, layers and functions");
    }

    private static String describe(Object value) {
        if (value instanceof Py.Tuple tuple) {
            return "a tuple of " + tuple.items().size();
        }
        if (value instanceof Py.PyList list) {
            return "a list of " + list.items.size();
        }
        if (value instanceof TensorList list) {
            return list.items().isEmpty() ? "an empty list" : "a list of " + list.items().size();
        }
        return Py.repr(value);
    }

    private String lastAssigned() {
        String last = body.parameters().isEmpty() ? "x" : body.parameters().get(0).name();
        for (Map.Entry<String, Span> assignment : assignedAt.entrySet()) {
            if (!readAssignments.contains(assignment.getValue())) {
                last = assignment.getKey();
            }
        }
        return last;
    }

    /** The names the text read {@code arguments} by, where it read them by name. */
    private List<String> writtenNames(List<Object> arguments) {
        List<String> names = new ArrayList<>();
        for (Object argument : arguments) {
            names.add(argument instanceof Value value ? readAs.get(value) : null);
        }
        return names;
    }
}
