package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.TensorList;
import dev.shapeproof.processor.graph.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values a DSL text computes with at compile time, as Python has them: {@code Integer}, {@code Double},
 * {@code Boolean} and {@code String} stand for themselves; the records below for the rest. A tensor is a graph
 * {@link Value}, a list of tensors a {@link TensorList}, a module in a forward an {@link Instance}, and one being
 * built by an {@code @Init} expression a {@link ModuleSpec}.
 */
final class Py {
    private Py() {}

    /** {@code None}. */
    enum NoneValue { NONE }

    static final NoneValue NONE = NoneValue.NONE;

    /**
     * The free batch dimension, as {@code x.size(0)} or {@code x.shape[0]} give it: known only at run time, from
     * {@code source}, the tensor it was read from (an op that needs the number, such as {@code expand}, reads it from
     * that tensor in the generated code).
     */
    record BatchSize(Value source) {}

    /**
     * A value PyTorch computes but ShapeProof does not ({@code MultiheadAttention}'s attention weights with
     * {@code need_weights=True}): a forward may drop it ({@code x, _ = attn(x, x, x)}); reading it is an error that
     * gives {@code reason}.
     */
    record Unavailable(String reason) {}

    /** {@code functools.partial(callee, *args, **keywords)}: a layer constructor or block with arguments bound. */
    record Partial(Object callee, List<Object> positional, Map<String, Object> keywords) {
        Partial {
            positional = List.copyOf(positional);
            keywords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
        }
    }

    /** {@code self.training}: the model's mode, known only at run time. */
    enum Mode { TRAINING }

    /** An immutable tuple, such as {@code (3, 3)} or {@code x.shape[-2:]}. */
    record Tuple(List<Object> items) {
        Tuple {
            items = List.copyOf(items);
        }
    }

    /** A mutable list of values other than tensors: ints, modules. */
    static final class PyList {
        final List<Object> items;

        PyList(List<Object> items) {
            this.items = new ArrayList<>(items);
        }
    }

    /** A dict in insertion order, such as an {@code OrderedDict} of modules. */
    static final class PyDict {
        final Map<Object, Object> items;

        PyDict(Map<Object, Object> items) {
            this.items = new LinkedHashMap<>(items);
        }
    }

    /** {@code range(start, stop, step)}. */
    record Range(int start, int stop, int step) {
        List<Object> items() {
            List<Object> items = new ArrayList<>();
            for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
                items.add((int) i);
            }
            return items;
        }
    }

    /** A built-in function ({@code range}, {@code len}) or a type ({@code int}, {@code Tensor}) by name. */
    record Builtin(String name) {}

    /** A namespace of functions: {@code torch}, {@code F}, {@code nn}, {@code math}, {@code collections}. */
    record Namespace(String name) {}

    /** A method bound to its receiver: {@code features.append}, {@code x.view}, {@code self.items}. */
    record Method(Object receiver, String name) {}

    /** The Python type name of {@code value}, for messages. */
    static String typeName(Object value) {
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Integer) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value == NONE) {
            return "None";
        }
        if (value instanceof Tuple) {
            return "tuple";
        }
        if (value instanceof PyList || value instanceof TensorList) {
            return "list";
        }
        if (value instanceof PyDict) {
            return "dict";
        }
        if (value instanceof Value) {
            return "Tensor";
        }
        if (value instanceof Instance instance) {
            return instance.pytorchType();
        }
        if (value instanceof ModuleSpec spec) {
            return spec.pytorchType();
        }
        if (value instanceof BatchSize) {
            return "the batch size";
        }
        if (value instanceof Unavailable) {
            return "Tensor";
        }
        if (value instanceof Partial) {
            return "functools.partial";
        }
        if (value == Mode.TRAINING) {
            return "self.training";
        }
        return value.getClass().getSimpleName();
    }

    /** Python's {@code repr}, shortened for modules: for messages and descriptions. */
    static String repr(Object value) {
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d)
                    : Double.toString(d);
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value == NONE) {
            return "None";
        }
        if (value instanceof Tuple tuple) {
            List<String> items = tuple.items().stream().map(Py::repr).toList();
            return "(" + String.join(", ", items) + (items.size() == 1 ? ",)" : ")");
        }
        if (value instanceof PyList list) {
            return "[" + String.join(", ", list.items.stream().map(Py::repr).toList()) + "]";
        }
        if (value instanceof ModuleSpec spec) {
            return spec.pytorchType() + "(…)";
        }
        if (value instanceof Instance instance) {
            return instance.path().isEmpty() ? instance.pytorchType() : "self." + instance.key();
        }
        if (value instanceof Value tensor) {
            return "a tensor (" + tensor.name() + ")";
        }
        if (value instanceof BatchSize) {
            return "x.size(0)";
        }
        if (value instanceof Unavailable) {
            return "a tensor ShapeProof does not compute";
        }
        if (value instanceof Partial partial) {
            return "partial(" + repr(partial.callee()) + ", …)";
        }
        if (value == Mode.TRAINING) {
            return "self.training";
        }
        return String.valueOf(value);
    }

    /** Python's truth value, for values that have one at compile time; {@code null} for the rest. */
    static Boolean truth(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Integer i) {
            return i != 0;
        }
        if (value instanceof Double d) {
            return d != 0;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value == NONE) {
            return false;
        }
        if (value instanceof Tuple tuple) {
            return !tuple.items().isEmpty();
        }
        if (value instanceof PyList list) {
            return !list.items.isEmpty();
        }
        if (value instanceof TensorList list) {
            return !list.items().isEmpty();
        }
        if (value instanceof PyDict dict) {
            return !dict.items.isEmpty();
        }
        if (value instanceof Instance || value instanceof ModuleSpec || value instanceof BatchSize) {
            return true;
        }
        return null;
    }
}
