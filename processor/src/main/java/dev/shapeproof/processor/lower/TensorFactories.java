package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.dsl.Ast;
import dev.shapeproof.processor.graph.ParameterInit;
import dev.shapeproof.processor.graph.ParameterInit.Fill;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tensors a module expression creates for {@code nn.Parameter}: PyTorch's factories ({@code torch.zeros},
 * {@code torch.ones}, {@code torch.full}, {@code torch.empty}, {@code torch.randn}, {@code torch.rand}), their in-place
 * initialisers ({@code .normal_(mean, std)}, {@code .uniform_(a, b)}, {@code .zero_()}, {@code .fill_(v)}) and
 * arithmetic with a number ({@code torch.ones(C, 1, 1) * layer_scale}). Each is a {@link ParameterInit}: the shape and
 * the distribution the seeded initialisation draws from.
 */
final class TensorFactories {
    private static final Set<String> FACTORIES = Set.of("zeros", "ones", "full", "empty", "randn", "rand");

    private TensorFactories() {}

    static boolean isFactory(String name) {
        return FACTORIES.contains(name);
    }

    /** {@code torch.zeros(1, 1, 768)}, {@code torch.full((2, 3), 0.5)}. */
    static ParameterInit create(String name, Evaluator.Args args, Ast.Call call, Evaluator evaluator)
            throws LoweringError {
        List<Object> positional = new ArrayList<>(args.positional());
        Object fill = null;
        if (name.equals("full")) {
            if (positional.size() != 2) {
                throw evaluator.wrong(call.span(), "torch.full takes a size and a value", positional.size()
                        + " arguments", "torch.full((2, 3), 0.5)", "pass the size as a tuple, then the value");
            }
            fill = positional.remove(1);
        }
        if (!args.keywords().isEmpty()) {
            throw evaluator.wrong(call.span(), "torch." + name + " takes its sizes only here",
                    String.join(", ", args.keywords().keySet()), "torch." + name + "(1, 1, 768)",
                    "remove the keywords (dtype and device follow the model)");
        }
        List<Object> sizes = positional.size() == 1 && (positional.get(0) instanceof Py.Tuple
                || positional.get(0) instanceof Py.PyList) ? evaluator.items(positional.get(0), call) : positional;
        int[] shape = new int[sizes.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(sizes.get(i) instanceof Integer size) || size <= 0) {
                throw evaluator.wrong(call.span(), "torch." + name + "'s sizes must be positive ints",
                        Py.repr(sizes.get(i)), "sizes ≥ 1", "an empty tensor is not a parameter");
            }
            shape[i] = size;
        }
        return switch (name) {
            case "zeros", "empty" -> new ParameterInit(shape, Fill.CONSTANT, 0, 0);
            case "ones" -> new ParameterInit(shape, Fill.CONSTANT, 1, 0);
            case "full" -> new ParameterInit(shape, Fill.CONSTANT, evaluator.doubleOf(fill, call.span(),
                    "torch.full's value"), 0);
            case "randn" -> new ParameterInit(shape, Fill.NORMAL, 0, 1);
            default -> new ParameterInit(shape, Fill.UNIFORM, 0, 1);
        };
    }

    /** {@code .normal_(std=0.02)}, {@code .uniform_(-0.1, 0.1)}, {@code .zero_()}, {@code .fill_(0.5)}. */
    static ParameterInit method(ParameterInit init, String name, Evaluator.Args args, Ast.Call call,
            Evaluator evaluator) throws LoweringError {
        List<String> order = switch (name) {
            case "normal_" -> List.of("mean", "std");
            case "uniform_" -> List.of("a", "b");
            case "fill_" -> List.of("value");
            case "zero_" -> List.of();
            default -> throw evaluator.wrong(call.callee().span(), "." + name + "() is not a tensor initialiser "
                    + "ShapeProof supports", name, "normal_, uniform_, zero_ or fill_", "use one of those");
        };
        double[] values = switch (name) {
            case "normal_", "uniform_" -> new double[] {0, 1};
            default -> new double[1];
        };
        if (args.positional().size() > order.size()) {
            throw evaluator.wrong(call.span(), name + " takes " + order.size() + " arguments",
                    args.positional().size() + " arguments", name + "(" + String.join(", ", order) + ")",
                    "remove the extra arguments");
        }
        for (int i = 0; i < args.positional().size(); i++) {
            values[i] = evaluator.doubleOf(args.positional().get(i), args.positionalSpans().get(i), name);
        }
        for (var keyword : args.keywords().entrySet()) {
            int i = order.indexOf(keyword.getKey());
            if (i < 0) {
                throw evaluator.wrong(args.keywordSpans().get(keyword.getKey()), name + " has no parameter "
                        + keyword.getKey(), keyword.getKey(), name + "(" + String.join(", ", order) + ")",
                        "use PyTorch's parameter names");
            }
            values[i] = evaluator.doubleOf(keyword.getValue(), args.keywordSpans().get(keyword.getKey()), name);
        }
        return switch (name) {
            case "normal_" -> new ParameterInit(init.shape(), Fill.NORMAL, values[0], values[1]);
            case "uniform_" -> new ParameterInit(init.shape(), Fill.UNIFORM, values[0], values[1]);
            case "fill_" -> new ParameterInit(init.shape(), Fill.CONSTANT, values[0], 0);
            default -> new ParameterInit(init.shape(), Fill.CONSTANT, 0, 0);
        };
    }

    /** A factory's values times or plus a number: the same distribution, scaled or shifted. */
    static ParameterInit arithmetic(String op, Object left, Object right, Ast.Binary expr, Evaluator evaluator)
            throws LoweringError {
        boolean initLeft = left instanceof ParameterInit;
        ParameterInit init = (ParameterInit) (initLeft ? left : right);
        Object other = initLeft ? right : left;
        if (!Evaluator.isNumber(other) || !(op.equals("*") || op.equals("+") || (initLeft && (op.equals("-")
                || op.equals("/"))))) {
            throw evaluator.wrong(expr.opSpan(), "a parameter's initial tensor combines with a number only",
                    Py.typeName(left) + " " + op + " " + Py.typeName(right), "tensor * k, tensor + k, tensor - k, "
                            + "tensor / k", "scale or shift it by a number");
        }
        double k = evaluator.doubleOf(other, expr.span(), "the number");
        if (op.equals("/") && k == 0) {
            throw evaluator.wrong(expr.opSpan(), "division by zero", "tensor / 0", "a non-zero divisor",
                    "divide by a non-zero number");
        }
        double scale = switch (op) {
            case "*" -> k;
            case "/" -> 1 / k;
            default -> 1;
        };
        double shift = switch (op) {
            case "+" -> k;
            case "-" -> -k;
            default -> 0;
        };
        return switch (init.fill()) {
            case CONSTANT -> new ParameterInit(init.shape(), Fill.CONSTANT, init.a() * scale + shift, 0);
            case NORMAL -> new ParameterInit(init.shape(), Fill.NORMAL, init.a() * scale + shift,
                    init.b() * Math.abs(scale));
            case UNIFORM -> new ParameterInit(init.shape(), Fill.UNIFORM,
                    Math.min(init.a() * scale, init.b() * scale) + shift,
                    Math.max(init.a() * scale, init.b() * scale) + shift);
        };
    }
}
