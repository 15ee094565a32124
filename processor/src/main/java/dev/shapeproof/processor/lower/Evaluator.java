package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.dsl.Ast;
import dev.shapeproof.processor.dsl.Ast.Argument;
import dev.shapeproof.processor.dsl.Ast.Expr;
import dev.shapeproof.processor.dsl.Span;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.TensorList;
import dev.shapeproof.processor.graph.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates DSL expressions at compile time, with Python's semantics for what they compute: numbers (ints exactly,
 * with an error where a result leaves the 32-bit range), strings, tuples, lists, dicts, comparisons, conditional
 * expressions, comprehensions and the built-ins {@code range}, {@code len}, {@code int}, {@code float},
 * {@code min}, {@code max}, {@code abs}, {@code sum}, {@code isinstance}, {@code enumerate}, {@code zip},
 * {@code list} and {@code tuple}. What the names mean beyond that — modules, tensors, layer constructors — is the
 * subclass's: the {@code @Init} evaluator builds modules, the forward interpreter builds the graph.
 */
abstract class Evaluator {
    protected final Source source;
    protected final Map<String, Object> variables;

    Evaluator(Source source, Map<String, Object> variables) {
        this.source = source;
        this.variables = variables;
    }

    /** The arguments of a call, evaluated, with where each was written. */
    record Args(List<Object> positional, List<Span> positionalSpans, Map<String, Object> keywords,
            Map<String, Span> keywordSpans, Span span) {
        int size() {
            return positional.size() + keywords.size();
        }
    }

    /** A function of a namespace: {@code torch.cat}, {@code F.relu}, {@code nn.Conv2d}. */
    record Function(String namespace, String name) {
        @Override
        public String toString() {
            return namespace + "." + name;
        }
    }

    // --- errors ---------------------------------------------------------------------------------------------------

    LoweringError error(Span span, Message message, Object... arguments) {
        return new LoweringError(source.at(span), message, arguments);
    }

    /** A {@code WrongArguments} error: {@code what} went wrong, what was found and required, and the fix. */
    LoweringError wrong(Span span, String what, String found, String required, String hint) {
        return error(span, Message.WRONG_ARGUMENTS, source.subject(), what, found, required, hint);
    }

    // --- hooks ----------------------------------------------------------------------------------------------------

    /** A name that is not a variable: a module, a class, a function. {@code null} when unknown. */
    abstract Object global(String name);

    /** {@code target.name} where {@code target} is not a namespace or a plain value. */
    abstract Object member(Object target, String name, Ast.Attribute expr) throws LoweringError;

    /** A call of something other than a built-in or a method of a plain value. */
    abstract Object invoke(Object callee, Args args, Ast.Call call) throws LoweringError;

    /** What an unknown name is reported as. */
    abstract LoweringError unknownName(Ast.Name name);

    // --- expressions ----------------------------------------------------------------------------------------------

    Object eval(Expr expr) throws LoweringError {
        if (expr instanceof Ast.Literal literal) {
            return literal.value() == null ? Py.NONE : literal.value();
        }
        if (expr instanceof Ast.Name name) {
            return lookup(name);
        }
        if (expr instanceof Ast.Attribute attribute) {
            return attribute(attribute);
        }
        if (expr instanceof Ast.Call call) {
            return call(call);
        }
        if (expr instanceof Ast.Sequence sequence) {
            return sequence(sequence);
        }
        if (expr instanceof Ast.Dict dict) {
            return dict(dict);
        }
        if (expr instanceof Ast.Binary binary) {
            return binary(binary.op(), eval(binary.left()), eval(binary.right()), binary);
        }
        if (expr instanceof Ast.Unary unary) {
            return unary(unary);
        }
        if (expr instanceof Ast.Compare compare) {
            return compare(compare);
        }
        if (expr instanceof Ast.BoolOp bool) {
            return boolOp(bool);
        }
        if (expr instanceof Ast.Conditional conditional) {
            return truth(eval(conditional.condition()), conditional.condition())
                    ? eval(conditional.body()) : eval(conditional.orElse());
        }
        if (expr instanceof Ast.Subscript subscript) {
            return subscript(eval(subscript.target()), subscript.index(), subscript);
        }
        if (expr instanceof Ast.Slice slice) {
            throw error(slice.span(), Message.DSL_SYNTAX, source.subject(), "a slice is only allowed inside [...]",
                    "write x[a:b]");
        }
        if (expr instanceof Ast.Starred starred) {
            throw error(starred.span(), Message.DSL_SYNTAX, source.subject(),
                    "`*` unpacks only into a call's arguments or a list", "write f(*items) or [*items]");
        }
        return comprehension((Ast.Comprehension) expr);
    }

    Object lookup(Ast.Name name) throws LoweringError {
        Object value = variables.get(name.id());
        if (value != null) {
            return value;
        }
        Object global = global(name.id());
        if (global != null) {
            return global;
        }
        Object builtin = builtin(name.id());
        if (builtin != null) {
            return builtin;
        }
        throw unknownName(name);
    }

    /** Python's built-in names that the DSL knows. */
    static Object builtin(String name) {
        return switch (name) {
            case "range", "len", "int", "float", "bool", "str", "min", "max", "abs", "sum", "round", "isinstance",
                    "enumerate", "zip", "list", "tuple", "Tensor" -> new Py.Builtin(name);
            case "torch", "F", "nn", "math", "collections", "functional", "functools" -> new Py.Namespace(name);
            case "partial" -> new Function("functools", "partial");
            case "OrderedDict" -> new Function("collections", "OrderedDict");
            default -> null;
        };
    }

    private Object attribute(Ast.Attribute attribute) throws LoweringError {
        Object target = eval(attribute.target());
        String name = attribute.name();
        if (target instanceof Py.Namespace namespace) {
            return switch (namespace.name() + "." + name) {
                case "torch.nn" -> new Py.Namespace("nn");
                case "nn.functional", "torch.functional" -> new Py.Namespace("F");
                case "torch.Tensor" -> new Py.Builtin("Tensor");
                case "math.pi" -> Math.PI;
                case "math.e" -> Math.E;
                default -> new Function(namespace.name().equals("functional") ? "F" : namespace.name(), name);
            };
        }
        if (target instanceof Py.PyList || target instanceof TensorList || target instanceof Py.PyDict
                || target instanceof Py.Tuple) {
            return new Py.Method(target, name);
        }
        return member(target, name, attribute);
    }

    private Object call(Ast.Call call) throws LoweringError {
        Object callee = callee(call.callee());
        Args args = arguments(call);
        if (callee instanceof Py.Builtin builtin) {
            return builtin(builtin.name(), args, call);
        }
        if (callee instanceof Py.Method method && (method.receiver() instanceof Py.PyList
                || method.receiver() instanceof Py.PyDict || method.receiver() instanceof Py.Tuple)) {
            return containerMethod(method, args, call);
        }
        return invoke(callee, args, call);
    }

    /** The value of a call's callee; the forward interpreter words unknown names as calls. */
    Object callee(Expr callee) throws LoweringError {
        return eval(callee);
    }

    Args arguments(Ast.Call call) throws LoweringError {
        List<Object> positional = new ArrayList<>();
        List<Span> positionalSpans = new ArrayList<>();
        Map<String, Object> keywords = new LinkedHashMap<>();
        Map<String, Span> keywordSpans = new LinkedHashMap<>();
        for (Argument argument : call.arguments()) {
            if (argument.keyword() == null) {
                if (!keywords.isEmpty()) {
                    throw error(argument.span(), Message.DSL_SYNTAX, source.subject(),
                            "a positional argument follows a keyword argument", "put positional arguments first");
                }
                if (argument.value() instanceof Ast.Starred starred) {
                    for (Object item : items(eval(starred.value()), starred.value())) {
                        positional.add(item);
                        positionalSpans.add(starred.span());
                    }
                } else {
                    positional.add(eval(argument.value()));
                    positionalSpans.add(argument.value().span());
                }
            } else {
                if (keywords.containsKey(argument.keyword())) {
                    throw wrong(argument.span(), calleeName(call.callee()) + " got " + argument.keyword() + " twice",
                            argument.keyword(), "each argument once", "remove one of them");
                }
                keywords.put(argument.keyword(), eval(argument.value()));
                keywordSpans.put(argument.keyword(), argument.span());
            }
        }
        return new Args(positional, positionalSpans, keywords, keywordSpans, call.span());
    }

    /** How messages name what a call calls: {@code max_pool2d} for {@code F.max_pool2d}. */
    static String calleeName(Expr callee) {
        if (callee instanceof Ast.Name name) {
            return name.id();
        }
        if (callee instanceof Ast.Attribute attribute) {
            return attribute.name();
        }
        return "the call";
    }

    private Object sequence(Ast.Sequence sequence) throws LoweringError {
        List<Object> items = new ArrayList<>();
        for (Expr item : sequence.items()) {
            if (item instanceof Ast.Starred starred) {
                items.addAll(items(eval(starred.value()), starred.value()));
            } else {
                items.add(eval(item));
            }
        }
        return sequence.isList() ? newList(items, sequence) : new Py.Tuple(items);
    }

    /** A list display's value: a list of tensors in a forward, a plain list otherwise. */
    Object newList(List<Object> items, Expr expr) throws LoweringError {
        return new Py.PyList(items);
    }

    private Object dict(Ast.Dict dict) throws LoweringError {
        Map<Object, Object> items = new LinkedHashMap<>();
        for (int i = 0; i < dict.keys().size(); i++) {
            items.put(hashable(eval(dict.keys().get(i)), dict.keys().get(i)), eval(dict.values().get(i)));
        }
        return new Py.PyDict(items);
    }

    private Object hashable(Object key, Expr expr) throws LoweringError {
        if (key instanceof String || key instanceof Integer || key instanceof Boolean || key instanceof Double
                || key instanceof Py.Tuple) {
            return key;
        }
        throw wrong(expr.span(), "a dict key must be a string or a number", Py.typeName(key), "a string key",
                "write the key as a string, e.g. 'conv0'");
    }

    private Object comprehension(Ast.Comprehension comprehension) throws LoweringError {
        List<Object> items = new ArrayList<>();
        Map<Object, Object> entries = new LinkedHashMap<>();
        Map<String, Object> saved = new HashMap<>(variables);
        try {
            comprehend(comprehension, 0, items, entries);
        } finally {
            variables.clear();
            variables.putAll(saved);
        }
        return comprehension.isDict() ? new Py.PyDict(entries) : newList(items, comprehension);
    }

    private void comprehend(Ast.Comprehension comprehension, int clause, List<Object> items,
            Map<Object, Object> entries) throws LoweringError {
        if (clause == comprehension.clauses().size()) {
            if (comprehension.isDict()) {
                entries.put(hashable(eval(comprehension.key()), comprehension.key()), eval(comprehension.element()));
            } else {
                items.add(eval(comprehension.element()));
            }
            return;
        }
        Ast.ForClause forClause = comprehension.clauses().get(clause);
        for (Object item : items(eval(forClause.iterable()), forClause.iterable())) {
            assignTarget(forClause.target(), item);
            boolean keep = true;
            for (Expr condition : forClause.conditions()) {
                keep = keep && truth(eval(condition), condition);
            }
            if (keep) {
                comprehend(comprehension, clause + 1, items, entries);
            }
        }
    }

    /** Binds {@code target} (a name, or a tuple of names that unpacks {@code value}) in this scope. */
    void assignTarget(Expr target, Object value) throws LoweringError {
        if (target instanceof Ast.Name name) {
            bind(name.id(), value, name.span());
            return;
        }
        if (target instanceof Ast.Sequence sequence) {
            List<Object> items = items(value, target);
            if (items.size() != sequence.items().size()) {
                throw wrong(target.span(), "cannot unpack " + items.size() + " values into "
                        + sequence.items().size() + " names", items.size() + " values",
                        sequence.items().size() + " values", "make the names match the values");
            }
            for (int i = 0; i < items.size(); i++) {
                assignTarget(sequence.items().get(i), items.get(i));
            }
            return;
        }
        throw error(target.span(), Message.DSL_SYNTAX, source.subject(), "cannot assign to this",
                "assign to a name");
    }

    /** Binds a variable; the forward interpreter also records the assignment. */
    void bind(String name, Object value, Span span) throws LoweringError {
        variables.put(name, value);
    }

    /** The items of an iterable value: a tuple, list, dict (its keys), range, string or container of modules. */
    List<Object> items(Object value, Expr expr) throws LoweringError {
        if (value instanceof Py.Tuple tuple) {
            return tuple.items();
        }
        if (value instanceof Py.PyList list) {
            return List.copyOf(list.items);
        }
        if (value instanceof TensorList list) {
            return List.copyOf(list.items());
        }
        if (value instanceof Py.PyDict dict) {
            return List.copyOf(dict.items.keySet());
        }
        if (value instanceof Py.Range range) {
            return range.items();
        }
        if (value instanceof String string) {
            return string.chars().mapToObj(c -> (Object) String.valueOf((char) c)).toList();
        }
        List<Object> members = iterate(value, expr);
        if (members != null) {
            return members;
        }
        throw wrong(expr.span(), Py.typeName(value) + " is not iterable", Py.repr(value),
                "a list, tuple, range or container of modules", "iterate over a list or a ModuleList");
    }

    /** The items of a container of modules; {@code null} when {@code value} is not one. */
    List<Object> iterate(Object value, Expr expr) throws LoweringError {
        return null;
    }

    // --- built-ins and methods ------------------------------------------------------------------------------------

    private Object builtin(String name, Args args, Ast.Call call) throws LoweringError {
        List<Object> a = args.positional();
        if (!args.keywords().isEmpty() && !name.equals("round")) {
            throw wrong(call.span(), name + " takes no keyword arguments here", String.join(", ",
                    args.keywords().keySet()), name + "(...) with positional arguments", "pass them by position");
        }
        switch (name) {
            case "range" -> {
                arity(name, args, 1, 3, call);
                List<Integer> ints = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    ints.add(intOf(a.get(i), args.positionalSpans().get(i), "range's arguments"));
                }
                int start = ints.size() == 1 ? 0 : ints.get(0);
                int stop = ints.size() == 1 ? ints.get(0) : ints.get(1);
                int step = ints.size() == 3 ? ints.get(2) : 1;
                if (step == 0) {
                    throw wrong(call.span(), "range's step cannot be 0", "step 0", "a non-zero step",
                            "use step 1");
                }
                return new Py.Range(start, stop, step);
            }
            case "len" -> {
                arity(name, args, 1, 1, call);
                return items(a.get(0), call.arguments().get(0).value()).size();
            }
            case "int" -> {
                arity(name, args, 1, 1, call);
                Object value = a.get(0);
                if (value instanceof Integer) {
                    return value;
                }
                if (value instanceof Boolean b) {
                    return b ? 1 : 0;
                }
                if (value instanceof Double d && Double.isFinite(d)) {
                    return checkedInt(BigInteger.valueOf((long) (double) d), call.span());
                }
                throw wrong(call.span(), "int() takes a number here", Py.repr(value), "a number",
                        "pass a number");
            }
            case "float" -> {
                arity(name, args, 1, 1, call);
                return doubleOf(a.get(0), args.positionalSpans().get(0), "float's argument");
            }
            case "bool" -> {
                arity(name, args, 1, 1, call);
                return truth(a.get(0), call);
            }
            case "str" -> {
                arity(name, args, 1, 1, call);
                return a.get(0) instanceof String s ? s : Py.repr(a.get(0));
            }
            case "abs" -> {
                arity(name, args, 1, 1, call);
                Object value = a.get(0);
                if (value instanceof Integer i) {
                    return checkedInt(BigInteger.valueOf(i).abs(), call.span());
                }
                return Math.abs(doubleOf(value, call.span(), "abs's argument"));
            }
            case "round" -> {
                arity(name, args, 1, 1, call);
                double value = doubleOf(a.get(0), call.span(), "round's argument");
                return checkedInt(BigInteger.valueOf(Math.round(Math.rint(value))), call.span());
            }
            case "min", "max", "sum" -> {
                List<Object> values = a.size() == 1 ? items(a.get(0), call.arguments().get(0).value()) : a;
                if (values.isEmpty()) {
                    if (name.equals("sum")) {
                        return 0;
                    }
                    throw wrong(call.span(), name + "() of nothing", "no values", "at least one value",
                            "pass values");
                }
                Object result = name.equals("sum") ? (Object) 0 : values.get(0);
                for (Object value : name.equals("sum") ? values : values.subList(1, values.size())) {
                    if (name.equals("sum")) {
                        result = arithmetic("+", result, value, call.span());
                    } else {
                        int order = compareNumbers(value, result, call.span());
                        if (name.equals("min") ? order < 0 : order > 0) {
                            result = value;
                        }
                    }
                }
                return result;
            }
            case "isinstance" -> {
                arity(name, args, 2, 2, call);
                return isInstance(a.get(0), a.get(1), call);
            }
            case "enumerate" -> {
                arity(name, args, 1, 2, call);
                int start = a.size() == 2 ? intOf(a.get(1), call.span(), "enumerate's start") : 0;
                List<Object> pairs = new ArrayList<>();
                List<Object> values = items(a.get(0), call.arguments().get(0).value());
                for (int i = 0; i < values.size(); i++) {
                    pairs.add(new Py.Tuple(List.of(start + i, values.get(i))));
                }
                return new Py.PyList(pairs);
            }
            case "zip" -> {
                List<List<Object>> lists = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    lists.add(items(a.get(i), call.arguments().get(i).value()));
                }
                int size = lists.stream().mapToInt(List::size).min().orElse(0);
                List<Object> tuples = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    List<Object> tuple = new ArrayList<>();
                    for (List<Object> list : lists) {
                        tuple.add(list.get(i));
                    }
                    tuples.add(new Py.Tuple(tuple));
                }
                return new Py.PyList(tuples);
            }
            case "list" -> {
                arity(name, args, 0, 1, call);
                return newList(a.isEmpty() ? List.of() : items(a.get(0), call.arguments().get(0).value()), call);
            }
            case "tuple" -> {
                arity(name, args, 0, 1, call);
                return new Py.Tuple(a.isEmpty() ? List.of() : items(a.get(0), call.arguments().get(0).value()));
            }
            default -> throw wrong(call.span(), name + " cannot be called here", name, "a function",
                    "call a function or a module");
        }
    }

    private void arity(String name, Args args, int min, int max, Ast.Call call) throws LoweringError {
        int count = args.positional().size();
        if (count < min || count > max) {
            String range = min == max ? String.valueOf(min) : min + " to " + max;
            throw wrong(call.span(), name + " takes " + range + " argument" + (max == 1 ? "" : "s"),
                    count + " argument" + (count == 1 ? "" : "s"), name + " with " + range,
                    "see Python's " + name);
        }
    }

    /** {@code isinstance(value, type)} for the types the DSL knows. */
    Object isInstance(Object value, Object type, Ast.Call call) throws LoweringError {
        if (type instanceof Py.Tuple tuple) {
            for (Object item : tuple.items()) {
                if (isInstance(value, item, call) == Boolean.TRUE) {
                    return true;
                }
            }
            return false;
        }
        if (!(type instanceof Py.Builtin builtin)) {
            throw wrong(call.span(), "isinstance's second argument must be a type", Py.repr(type),
                    "Tensor, int, float, bool, str, list or tuple", "write isinstance(x, Tensor)");
        }
        return switch (builtin.name()) {
            case "Tensor" -> value instanceof Value;
            case "int" -> value instanceof Integer || value instanceof Boolean || value instanceof Py.BatchSize;
            case "float" -> value instanceof Double;
            case "bool" -> value instanceof Boolean;
            case "str" -> value instanceof String;
            case "list" -> value instanceof Py.PyList || value instanceof TensorList;
            case "tuple" -> value instanceof Py.Tuple;
            default -> throw wrong(call.span(), "isinstance's second argument must be a type", builtin.name(),
                    "Tensor, int, float, bool, str, list or tuple", "write isinstance(x, Tensor)");
        };
    }

    private Object containerMethod(Py.Method method, Args args, Ast.Call call) throws LoweringError {
        Object receiver = method.receiver();
        if (receiver instanceof Py.PyList list && method.name().equals("append")) {
            arity("append", args, 1, 1, call);
            list.items.add(args.positional().get(0));
            return Py.NONE;
        }
        if (receiver instanceof Py.PyList list && method.name().equals("extend")) {
            arity("extend", args, 1, 1, call);
            list.items.addAll(items(args.positional().get(0), call.arguments().get(0).value()));
            return Py.NONE;
        }
        if (receiver instanceof Py.PyDict dict) {
            switch (method.name()) {
                case "items" -> {
                    List<Object> pairs = new ArrayList<>();
                    dict.items.forEach((key, value) -> pairs.add(new Py.Tuple(List.of(key, value))));
                    return new Py.PyList(pairs);
                }
                case "keys" -> {
                    return new Py.PyList(new ArrayList<>(dict.items.keySet()));
                }
                case "values" -> {
                    return new Py.PyList(new ArrayList<>(dict.items.values()));
                }
                default -> { }
            }
        }
        throw error(call.callee().span(), Message.UNKNOWN_NAME, source.subject(), "." + method.name() + "()",
                "not a method of a " + Py.typeName(receiver) + " ShapeProof supports",
                "append and extend of a list, or items/keys/values of a dict", "use a supported method");
    }

    // --- operators ------------------------------------------------------------------------------------------------

    Object binary(String op, Object left, Object right, Ast.Binary expr) throws LoweringError {
        if (op.equals("%") && left instanceof String format) {
            return format(format, right, expr);
        }
        if (op.equals("+") && left instanceof String a && right instanceof String b) {
            return a + b;
        }
        if (op.equals("+") && left instanceof Py.Tuple a && right instanceof Py.Tuple b) {
            List<Object> items = new ArrayList<>(a.items());
            items.addAll(b.items());
            return new Py.Tuple(items);
        }
        if (op.equals("+") && left instanceof Py.PyList a && right instanceof Py.PyList b) {
            List<Object> items = new ArrayList<>(a.items);
            items.addAll(b.items);
            return new Py.PyList(items);
        }
        if (op.equals("*") && (left instanceof Py.Tuple || left instanceof Py.PyList) && right instanceof Integer n) {
            List<Object> items = new ArrayList<>();
            List<Object> once = left instanceof Py.Tuple t ? t.items() : ((Py.PyList) left).items;
            for (int i = 0; i < n; i++) {
                items.addAll(once);
            }
            return left instanceof Py.Tuple ? new Py.Tuple(items) : new Py.PyList(items);
        }
        if (isNumber(left) && isNumber(right)) {
            return arithmetic(op, left, right, expr.opSpan());
        }
        throw wrong(expr.opSpan(), "`" + op + "` is not defined for " + Py.typeName(left) + " and "
                + Py.typeName(right), Py.repr(left) + " " + op + " " + Py.repr(right), "numbers",
                "compute with numbers");
    }

    static boolean isNumber(Object value) {
        return value instanceof Integer || value instanceof Double || value instanceof Boolean;
    }

    /** Python's arithmetic on ints and floats: {@code /} gives a float, {@code //} and {@code %} floor. */
    Object arithmetic(String op, Object left, Object right, Span span) throws LoweringError {
        if (left instanceof Boolean b) {
            left = b ? 1 : 0;
        }
        if (right instanceof Boolean b) {
            right = b ? 1 : 0;
        }
        if (left instanceof Integer a && right instanceof Integer b && !op.equals("/")) {
            BigInteger x = BigInteger.valueOf(a);
            BigInteger y = BigInteger.valueOf(b);
            if ((op.equals("//") || op.equals("%")) && b == 0) {
                throw wrong(span, "integer division by zero", a + " " + op + " 0", "a non-zero divisor",
                        "divide by a non-zero number");
            }
            BigInteger result = switch (op) {
                case "+" -> x.add(y);
                case "-" -> x.subtract(y);
                case "*" -> x.multiply(y);
                case "//" -> floorDiv(x, y);
                case "%" -> x.subtract(floorDiv(x, y).multiply(y));
                case "**" -> b >= 0 && b <= 64 ? x.pow(b) : null;
                default -> null;
            };
            if (result != null) {
                return checkedInt(result, span);
            }
            if (!op.equals("**")) {
                throw wrong(span, "`" + op + "` is not defined for ints", a + " " + op + " " + b, "+ - * / // % **",
                        "use a supported operator");
            }
        }
        double a = ((Number) left).doubleValue();
        double b = ((Number) right).doubleValue();
        if ((op.equals("/") || op.equals("//") || op.equals("%")) && b == 0) {
            throw wrong(span, "division by zero", Py.repr(left) + " " + op + " " + Py.repr(right),
                    "a non-zero divisor", "divide by a non-zero number");
        }
        return switch (op) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / b;
            case "//" -> Math.floor(a / b);
            case "%" -> a - Math.floor(a / b) * b;
            case "**" -> Math.pow(a, b);
            default -> throw wrong(span, "`" + op + "` is not defined for numbers", op, "+ - * / // % **",
                    "use a supported operator");
        };
    }

    private static BigInteger floorDiv(BigInteger x, BigInteger y) {
        BigInteger[] qr = x.divideAndRemainder(y);
        return qr[1].signum() != 0 && qr[1].signum() != y.signum() ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    /** {@code value} as a Java int, or an error naming the overflow: the DSL's ints are 32-bit. */
    Integer checkedInt(BigInteger value, Span span) throws LoweringError {
        if (value.bitLength() > 31) {
            throw wrong(span, "the result " + String.format(java.util.Locale.ROOT, "%,d", value)
                    + " does not fit a 32-bit int", value.toString(), "a value from −2,147,483,648 to 2,147,483,647",
                    "use smaller numbers");
        }
        return value.intValue();
    }

    private Object unary(Ast.Unary unary) throws LoweringError {
        Object operand = eval(unary.operand());
        if (unary.op().equals("not")) {
            return !truth(operand, unary.operand());
        }
        if (isNumber(operand)) {
            if (unary.op().equals("+")) {
                return operand instanceof Boolean b ? (b ? 1 : 0) : operand;
            }
            if (unary.op().equals("-")) {
                return arithmetic("-", 0, operand, unary.span());
            }
            if (unary.op().equals("~") && !(operand instanceof Double)) {
                return arithmetic("-", arithmetic("-", 0, operand, unary.span()), 1, unary.span());
            }
        }
        return unaryOther(unary, operand);
    }

    /** A unary operator on something other than a number: the forward interpreter handles tensors. */
    Object unaryOther(Ast.Unary unary, Object operand) throws LoweringError {
        throw wrong(unary.span(), "`" + unary.op() + "` is not defined for " + Py.typeName(operand),
                Py.repr(operand), "a number", "apply it to a number");
    }

    private Object compare(Ast.Compare compare) throws LoweringError {
        Object left = eval(compare.operands().get(0));
        for (int i = 0; i < compare.ops().size(); i++) {
            Object right = eval(compare.operands().get(i + 1));
            if (!compareOnce(compare.ops().get(i), left, right, compare)) {
                return false;
            }
            left = right;
        }
        return true;
    }

    private boolean compareOnce(String op, Object left, Object right, Ast.Compare expr) throws LoweringError {
        switch (op) {
            case "is", "is not" -> {
                boolean same = left == right || left == Py.NONE && right == Py.NONE
                        || left instanceof Boolean && left.equals(right);
                return op.equals("is") == same;
            }
            case "==", "!=" -> {
                return op.equals("==") == equal(left, right, expr);
            }
            case "in", "not in" -> {
                boolean found = false;
                for (Object item : items(right, expr)) {
                    found |= equal(left, item, expr);
                }
                return op.equals("in") == found;
            }
            default -> {
                int order = left instanceof String a && right instanceof String b ? a.compareTo(b)
                        : compareNumbers(left, right, expr.span());
                return switch (op) {
                    case "<" -> order < 0;
                    case "<=" -> order <= 0;
                    case ">" -> order > 0;
                    default -> order >= 0;
                };
            }
        }
    }

    private boolean equal(Object left, Object right, Ast.Expr expr) throws LoweringError {
        if (left instanceof Py.BatchSize || right instanceof Py.BatchSize || left == Py.Mode.TRAINING
                || right == Py.Mode.TRAINING) {
            throw wrong(expr.span(), "this comparison depends on " + (left == Py.Mode.TRAINING
                    || right == Py.Mode.TRAINING ? "the model's mode" : "the batch size")
                    + ", which is known only at run time", Py.repr(left) + " vs " + Py.repr(right),
                    "a comparison the compiler can decide", "compare shapes other than the batch");
        }
        if (isNumber(left) && isNumber(right)) {
            return ((Number) (left instanceof Boolean b ? (b ? 1 : 0) : left)).doubleValue()
                    == ((Number) (right instanceof Boolean c ? (c ? 1 : 0) : right)).doubleValue();
        }
        if (left instanceof Py.Tuple a && right instanceof Py.Tuple b) {
            if (a.items().size() != b.items().size()) {
                return false;
            }
            for (int i = 0; i < a.items().size(); i++) {
                if (!equal(a.items().get(i), b.items().get(i), expr)) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(left, right) || left == right;
    }

    private int compareNumbers(Object left, Object right, Span span) throws LoweringError {
        if (!isNumber(left) || !isNumber(right)) {
            throw wrong(span, "cannot order " + Py.typeName(left) + " and " + Py.typeName(right),
                    Py.repr(left) + " and " + Py.repr(right), "two numbers", "compare numbers");
        }
        Object a = left instanceof Boolean b ? (b ? 1 : 0) : left;
        Object c = right instanceof Boolean d ? (d ? 1 : 0) : right;
        if (a instanceof Integer x && c instanceof Integer y) {
            return Integer.compare(x, y);
        }
        return Double.compare(((Number) a).doubleValue(), ((Number) c).doubleValue());
    }

    private Object boolOp(Ast.BoolOp bool) throws LoweringError {
        Object value = null;
        for (Expr operand : bool.values()) {
            value = eval(operand);
            boolean truth = truth(value, operand);
            if (bool.op().equals("and") ? !truth : truth) {
                return value;
            }
        }
        return value;
    }

    /** Python's truth value of {@code value}, which must be known at compile time. */
    boolean truth(Object value, Ast.Expr expr) throws LoweringError {
        Boolean truth = Py.truth(value);
        if (truth == null) {
            String what = value == Py.Mode.TRAINING ? "the model's mode (self.training)"
                    : value instanceof Value ? "a tensor's values" : Py.typeName(value);
            throw wrong(expr.span(), "this condition depends on " + what + ", which is known only at run time",
                    Py.repr(value), "a condition the compiler can decide: on arguments, shapes, None",
                    "branch on the block's arguments or on shapes, which are known when it compiles");
        }
        return truth;
    }

    // --- subscripts -----------------------------------------------------------------------------------------------

    Object subscript(Object target, Expr index, Ast.Subscript expr) throws LoweringError {
        List<Object> items;
        if (target instanceof Py.Tuple tuple) {
            items = tuple.items();
        } else if (target instanceof Py.PyList list) {
            items = list.items;
        } else if (target instanceof TensorList list) {
            items = List.copyOf(list.items());
        } else if (target instanceof Py.PyDict dict) {
            Object key = eval(index);
            Object value = dict.items.get(key);
            if (value == null) {
                throw wrong(index.span(), "the dict has no key " + Py.repr(key), Py.repr(key), "one of "
                        + dict.items.keySet(), "use an existing key");
            }
            return value;
        } else if (target instanceof String string) {
            items = string.chars().mapToObj(c -> (Object) String.valueOf((char) c)).toList();
        } else {
            return subscriptOther(target, index, expr);
        }
        if (index instanceof Ast.Slice slice) {
            List<Object> sliced = slice(items, slice);
            return target instanceof Py.Tuple ? new Py.Tuple(sliced) : target instanceof String
                    ? String.join("", sliced.stream().map(Object::toString).toList())
                    : target instanceof TensorList ? newList(sliced, expr) : new Py.PyList(sliced);
        }
        return items.get(position(eval(index), items.size(), index));
    }

    /** A subscript of something other than a tuple, list, dict or string: tensors, containers of modules. */
    Object subscriptOther(Object target, Expr index, Ast.Subscript expr) throws LoweringError {
        throw wrong(expr.span(), Py.typeName(target) + " cannot be indexed", Py.repr(target),
                "a tuple, list, dict or container", "index a tuple or a list");
    }

    /** The items {@code slice} selects, with Python's rules for negative and missing bounds. */
    List<Object> slice(List<Object> items, Ast.Slice slice) throws LoweringError {
        int size = items.size();
        int step = slice.step() == null ? 1 : intOf(eval(slice.step()), slice.step().span(), "a slice's step");
        if (step == 0) {
            throw wrong(slice.span(), "a slice's step cannot be 0", "step 0", "a non-zero step", "use step 1");
        }
        int lower = bound(slice.lower(), step > 0 ? 0 : size - 1, size, step);
        int upper = bound(slice.upper(), step > 0 ? size : -1, size, step);
        List<Object> result = new ArrayList<>();
        for (int i = lower; step > 0 ? i < upper : i > upper; i += step) {
            result.add(items.get(i));
        }
        return result;
    }

    private int bound(Expr expr, int absent, int size, int step) throws LoweringError {
        if (expr == null) {
            return absent;
        }
        int value = intOf(eval(expr), expr.span(), "a slice bound");
        if (value < 0) {
            value += size;
        }
        return step > 0 ? Math.max(0, Math.min(size, value)) : Math.max(-1, Math.min(size - 1, value));
    }

    /** {@code index} (negative counts from the end) as a position in {@code size} items. */
    int position(Object index, int size, Expr expr) throws LoweringError {
        int i = intOf(index, expr.span(), "an index");
        int at = i < 0 ? i + size : i;
        if (at < 0 || at >= size) {
            throw wrong(expr.span(), "index " + i + " is out of range for " + size + " item" + (size == 1 ? "" : "s"),
                    "index " + i, size == 0 ? "no index: it is empty" : "-" + size + " ≤ index ≤ " + (size - 1),
                    "use an index in range");
        }
        return at;
    }

    // --- conversions ----------------------------------------------------------------------------------------------

    int intOf(Object value, Span span, String what) throws LoweringError {
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw wrong(span, what + " must be an int", Py.repr(value), "an int", "write an int");
    }

    double doubleOf(Object value, Span span, String what) throws LoweringError {
        if (isNumber(value)) {
            return value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).doubleValue();
        }
        throw wrong(span, what + " must be a number", Py.repr(value), "a number", "write a number");
    }

    /** Python's {@code format % values} for {@code %d}, {@code %i}, {@code %s}, {@code %r} and {@code %%}. */
    private Object format(String format, Object values, Ast.Binary expr) throws LoweringError {
        List<Object> arguments = values instanceof Py.Tuple tuple ? tuple.items() : List.of(values);
        StringBuilder result = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                result.append(c);
                continue;
            }
            char conversion = i + 1 < format.length() ? format.charAt(++i) : ' ';
            if (conversion == '%') {
                result.append('%');
                continue;
            }
            if (next >= arguments.size()) {
                throw wrong(expr.span(), "not enough values for the format string", arguments.size() + " values",
                        "one value per %", "pass one value per %d or %s");
            }
            Object argument = arguments.get(next++);
            switch (conversion) {
                case 'd', 'i' -> result.append(intOf(argument, expr.span(), "%d's value"));
                case 's' -> result.append(argument instanceof String s ? s : Py.repr(argument));
                case 'r' -> result.append(Py.repr(argument));
                default -> throw wrong(expr.span(), "the format %" + conversion + " is not supported",
                        "%" + conversion, "%d, %i, %s or %r", "use %d or %s");
            }
        }
        if (next < arguments.size()) {
            throw wrong(expr.span(), "not all values are used by the format string", arguments.size() + " values",
                    next + " values", "pass one value per %d or %s");
        }
        return result.toString();
    }

    /** Whether {@code value} is a module in either form: being built, or placed. */
    static boolean isModule(Object value) {
        return value instanceof ModuleSpec || value instanceof Instance;
    }
}
