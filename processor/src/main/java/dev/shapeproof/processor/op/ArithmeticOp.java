package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * The element-wise arithmetic of PyTorch's operators: {@code a - b}, {@code a * b}, {@code a / b} between tensors
 * with PyTorch's broadcasting ({@link Broadcast}), with a number on either side ({@code 1 - x}, {@code x * 0.5}), in
 * place ({@code x *= s}), and as {@code torch.sub/mul/div} and {@code x.sub/mul/div}. {@code +} is {@link AddOp},
 * which adds the residual-connection hints.
 */
class ArithmeticOp extends OpDefinition<ArithmeticOp.Config> {
    /**
     * @param inPlaceTarget for {@code target op= value}, the target's name: the op writes into it, so the result must
     *     keep its shape; {@code null} otherwise
     * @param scalar the number operand, or {@code null} between two tensors
     * @param scalarFirst whether the number stands left ({@code 1 - x})
     */
    record Config(String inPlaceTarget, Double scalar, boolean scalarFirst) {}

    private final String symbol;
    private final String kernel;
    private final String reversedKernel;
    private final String function;

    /**
     * @param kernel the runtime function ({@code F.mul}), for two tensors and for a number right of the tensor
     * @param reversedKernel the runtime function for a number left of the tensor ({@code F.rsub}: {@code s − x})
     */
    ArithmeticOp(String name, String symbol, String kernel, String reversedKernel, String function) {
        super(name, List.of());
        this.symbol = symbol;
        this.kernel = kernel;
        this.reversedKernel = reversedKernel;
        this.function = function;
    }

    static ArithmeticOp sub() {
        return new ArithmeticOp("sub", "-", "sub", "rsub", "sub");
    }

    static ArithmeticOp mul() {
        return new ArithmeticOp("mul", "*", "mul", "mul", "mul");
    }

    static ArithmeticOp div() {
        return new ArithmeticOp("div", "/", "div", "rdiv", "div");
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<String> operators() {
        return List.of(symbol);
    }

    /** {@code torch.mul(input, other)}; PyTorch's {@code alpha} and {@code rounding_mode} only at their defaults. */
    @Override
    public List<FunctionSignature> functions() {
        return List.of(signature().in(Namespace.TORCH));
    }

    @Override
    public List<FunctionSignature> methods() {
        return List.of(signature());
    }

    private FunctionSignature signature() {
        Param extra = (symbol.equals("/") ? Param.unsupported("rounding_mode") : Param.fixed("alpha", 1, "1"))
                .byKeyword();
        return symbol.equals("*") ? FunctionSignature.of(function, Param.tensor("input"),
                Param.required("other", "scalar", ParamKind.TENSOR_OR_SCALAR))
                : FunctionSignature.of(function, Param.tensor("input"),
                        Param.required("other", "scalar", ParamKind.TENSOR_OR_SCALAR), extra);
    }

    /** Either operand may be a parameter without the batch axis. */
    @Override
    public boolean acceptsUnbatched(int index) {
        return true;
    }

    @Override
    public Config configure(NodeContext node) {
        Double scalar = node.findAttribute("scalar").filter(attribute -> attribute.value() instanceof Number)
                .map(attribute -> ((Number) attribute.value()).doubleValue()).orElse(null);
        boolean scalarFirst = node.findAttribute("scalarFirst").map(attribute -> attribute.asBoolean())
                .orElse(false);
        return new Config(node.findAttribute("inplace").map(attribute -> attribute.asString()).orElse(null),
                scalar, scalarFirst);
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        TensorShape a = inputs.get(0);
        if (inputs.size() == 1) {
            return a; // with a number: the tensor's shape
        }
        TensorShape b = inputs.get(1);
        TensorShape result = Broadcast.shape(a, b, (axis, x, y, hint) -> mismatch(node, a, b, axis, x, y, hint),
                this::hint);
        if (result != null && config.inPlaceTarget() != null && !result.equals(a)) {
            inPlaceMismatch(node, config.inPlaceTarget(), a, b, result);
            return null;
        }
        return result;
    }

    /** Reports a broadcast mismatch on {@code axis}. */
    void mismatch(NodeContext node, TensorShape a, TensorShape b, int axis, String x, String y, String hint) {
        node.report(node.location(), Message.BROADCAST_MISMATCH, node.name(), a, node.inputOrigin(0), b,
                node.inputOrigin(1), axis, x, y, hint, symbol);
    }

    /** Reports that {@code target op= b} would change the target's shape. */
    void inPlaceMismatch(NodeContext node, String target, TensorShape a, TensorShape b, TensorShape result) {
        node.report(node.location(), Message.IN_PLACE_MISMATCH, node.name(), target, a, b, node.inputOrigin(1),
                result, symbol);
    }

    /** The hint for a mismatch on a sample axis. */
    String hint(TensorShape a, TensorShape b, int axis) {
        if (symbol.equals("*") && a.rank() == 4 && b.rank() == 4 && axis >= 2) {
            return "a per-channel scale (squeeze-and-excitation) is [N, C, 1, 1]: pool it to 1×1 first, e.g. "
                    + "adaptive_avg_pool2d(x, 1)";
        }
        return Broadcast.sameShape(a, b, axis);
    }

    /** Each element of the result depends on the same element of each operand only. */
    @Override
    public boolean runsInPlace() {
        return true;
    }

    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        if (config.scalar() == null) {
            return RuntimeCalls.f(kernel, arguments.get(0), arguments.get(1), inPlace);
        }
        return RuntimeCalls.f(config.scalarFirst() ? reversedKernel : kernel, arguments.get(0),
                CodeBlock.of("$L", literal(config.scalar())), inPlace);
    }

    /** A double literal the generated code compiles as written: {@code 0.5}, {@code 2.0}, {@code 1.0E-6}. */
    static String literal(double value) {
        if (Double.isNaN(value)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return Double.toString(value);
    }

    /** Element-wise: PyTorch lays the output out as the input. */
    @Override
    public Layout layout() {
        return Layout.LIKE_INPUT;
    }
}
