import dev.shapeproof.processor.op.FunctionSignature;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.processor.op.Ops;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prints, as JSON, what the processor's op table accepts, so that tools/port_model.py decides what it can port from
 * the processor itself rather than from a list of its own: every layer a module expression can construct (PyTorch's
 * class name, its runtime type, its constructor's parameters and which of them must keep their default), every
 * function of the forward DSL, the tensor methods and the operators between tensors.
 *
 * <p>Tensor methods, operators and indexing defined as ops ({@code Ops.methodNames()}, {@code OpDefinition.operators()},
 * {@code Ops.index()}) are read where this processor has them; the DSL's built-in methods are always there.
 */
public final class OpCatalog {
    /** Methods the forward interpreter implements itself, not through an op definition. */
    private static final List<String> BUILT_IN_METHODS = List.of("view", "reshape", "flatten", "size", "dim",
            "contiguous");

    private OpCatalog() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        StringBuilder json = new StringBuilder("{\n  \"modules\": {");
        String separator = "\n";
        for (OpDefinition<?> op : Ops.all()) {
            FunctionSignature signature = op.moduleSignature();
            if (signature == null) {
                continue;
            }
            json.append(separator).append("    ").append(quote(op.name())).append(": {\"layer\": ")
                    .append(quote(op.layerClassName().substring(op.layerClassName().lastIndexOf('.') + 1)))
                    .append(", \"params\": ").append(params(signature)).append('}');
            separator = ",\n";
        }
        json.append("\n  },\n  \"functions\": {");
        separator = "\n";
        for (String name : Ops.functionNames()) {
            json.append(separator).append("    ").append(quote(name)).append(": ").append(params(Ops.signature(name)));
            separator = ",\n";
        }
        Set<String> methods = new TreeSet<>(BUILT_IN_METHODS);
        methods.addAll(optionalNames(Ops.class, "methodNames", null));
        Set<String> operators = new TreeSet<>(List.of("+"));
        for (OpDefinition<?> op : Ops.all()) {
            operators.addAll(optionalNames(OpDefinition.class, "operators", op));
        }
        json.append("\n  },\n  \"methods\": ").append(strings(methods));
        json.append(",\n  \"operators\": ").append(strings(operators));
        json.append(",\n  \"indexing\": ").append(has(Ops.class, "index")).append("\n}\n");
        System.out.print(json);
    }

    /** The names a method of the op table returns, or none where this processor does not have that method. */
    private static Collection<String> optionalNames(Class<?> owner, String method, Object target)
            throws ReflectiveOperationException {
        Method found;
        try {
            found = owner.getMethod(method);
        } catch (NoSuchMethodException absent) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Object name : (Collection<?>) found.invoke(target)) {
            names.add(String.valueOf(name));
        }
        return names;
    }

    private static boolean has(Class<?> owner, String method) {
        try {
            owner.getMethod(method);
            return true;
        } catch (NoSuchMethodException absent) {
            return false;
        }
    }

    private static String params(FunctionSignature signature) {
        List<String> params = new ArrayList<>();
        for (FunctionSignature.Param param : signature.params()) {
            boolean fixed = param.kind() == FunctionSignature.ParamKind.UNSUPPORTED;
            params.add("{\"name\": " + quote(param.name()) + ", \"kind\": " + quote(param.kind().name())
                    + ", \"default\": " + (param.pythonDefault() == null ? "null" : quote(param.pythonDefault()))
                    + ", \"only_default\": " + fixed + "}");
        }
        return "[" + String.join(", ", params) + "]";
    }

    private static String strings(Collection<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(value -> quoted.add(quote(value)));
        return "[" + String.join(", ", quoted) + "]";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
