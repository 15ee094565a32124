package dev.shapeproof.processor.op;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every op ShapeProof knows, and how the forward DSL finds one: by its annotation, its module's PyTorch name, its
 * function name ({@code max_pool2d}), its tensor-method name ({@code x.transpose}), or the Python operator it implements
 * ({@code *}). The interpreter asks here and nowhere else.
 */
public final class Ops {
    private static final IndexOp INDEX = new IndexOp();
    private static final ParameterOp PARAMETER = new ParameterOp();

    private static final List<OpDefinition<?>> ALL = List.of(
            new Conv2dOp(),
            new ConvTranspose2dOp(),
            new MaxPool2dOp(),
            new AvgPool2dOp(),
            new AdaptiveAvgPool2dOp(),
            new AdaptiveMaxPool2dOp(),
            new BatchNorm2dOp(),
            new BatchNorm1dOp(),
            new LayerNormOp(),
            new GroupNormOp(),
            PointwiseOp.of("ReLU", "relu", "relu"),
            PointwiseOp.leakyReLU(),
            PointwiseOp.of("Sigmoid", "sigmoid", "sigmoid"),
            PointwiseOp.of("Tanh", "tanh", "tanh"),
            PointwiseOp.gelu(),
            PointwiseOp.inplaceActivation("ReLU6", "relu6", "relu6"),
            PointwiseOp.inplaceActivation("Hardswish", "hardswish", "hardswish"),
            PointwiseOp.inplaceActivation("Hardsigmoid", "hardsigmoid", "hardsigmoid"),
            PointwiseOp.inplaceActivation("SiLU", "silu", "silu"),
            PointwiseOp.inplaceActivation("Mish", "mish", "mish"),
            PointwiseOp.elu(),
            PointwiseOp.dropout("Dropout", "dropout", "dropout", false),
            PointwiseOp.dropout("Dropout2d", "dropout2d", "dropout2d", true),
            PointwiseOp.stochasticDepth(),
            new IdentityOp(),
            new FlattenOp(),
            new LinearOp(),
            new MultiheadAttentionOp(),
            new AddOp(),
            ArithmeticOp.sub(),
            ArithmeticOp.mul(),
            ArithmeticOp.div(),
            new NegOp(),
            ReduceOp.mean(),
            ReduceOp.sum(),
            ReduceOp.amax(),
            new CatOp(),
            new StackOp(),
            new ViewOp(),
            PermuteOp.permute(),
            PermuteOp.transpose(),
            SplitOp.chunk(),
            SplitOp.split(),
            SplitOp.narrow(),
            new ExpandOp(),
            new PadOp(),
            INDEX,
            PARAMETER,
            new InterpolateOp(),
            InterpolateOp.upsample(),
            new SoftmaxOp("Softmax", "softmax"),
            new SoftmaxOp("LogSoftmax", "logSoftmax"));

    private static final Map<String, OpDefinition<?>> BY_ANNOTATION = ALL.stream()
            .filter(OpDefinition::isModule)
            .collect(Collectors.toUnmodifiableMap(OpDefinition::annotationName, Function.identity()));

    private static final Map<String, OpDefinition<?>> BY_FUNCTION = bySignature(OpDefinition::functions);

    private static final Map<String, OpDefinition<?>> BY_METHOD = bySignature(OpDefinition::methods);

    private static final Map<String, OpDefinition<?>> BY_OPERATOR = byOperator();

    /** Module ops by PyTorch class name ({@code Conv2d}), for module expressions. */
    private static final Map<String, OpDefinition<?>> BY_MODULE = ALL.stream()
            .filter(op -> op.moduleSignature() != null)
            .collect(Collectors.toUnmodifiableMap(OpDefinition::name, Function.identity()));

    private static Map<String, OpDefinition<?>> bySignature(
            Function<OpDefinition<?>, List<FunctionSignature>> signatures) {
        Map<String, OpDefinition<?>> ops = new LinkedHashMap<>();
        for (OpDefinition<?> op : ALL) {
            for (FunctionSignature signature : signatures.apply(op)) {
                if (ops.put(signature.name(), op) != null) {
                    throw new IllegalStateException("two ops define " + signature.name());
                }
            }
        }
        return Map.copyOf(ops);
    }

    private static Map<String, OpDefinition<?>> byOperator() {
        Map<String, OpDefinition<?>> ops = new LinkedHashMap<>();
        for (OpDefinition<?> op : ALL) {
            for (String operator : op.operators()) {
                if (ops.put(operator, op) != null) {
                    throw new IllegalStateException("two ops implement " + operator);
                }
            }
        }
        return Map.copyOf(ops);
    }

    private Ops() {}

    /** The op declared by the annotation named {@code qualifiedName}, or {@code null} if it declares none. */
    public static OpDefinition<?> forAnnotation(String qualifiedName) {
        return BY_ANNOTATION.get(qualifiedName);
    }

    public static List<OpDefinition<?>> all() {
        return ALL;
    }

    /** The op the forward DSL calls as {@code name} ({@code max_pool2d}), or {@code null}. */
    public static OpDefinition<?> forFunction(String name) {
        return BY_FUNCTION.get(name);
    }

    /** The signature of the DSL function {@code name}; call only for a name {@link #forFunction} knows. */
    public static FunctionSignature signature(String name) {
        return find(BY_FUNCTION.get(name).functions(), name);
    }

    /** The op of the tensor method {@code name} ({@code x.transpose}), or {@code null}. */
    public static OpDefinition<?> forMethod(String name) {
        return BY_METHOD.get(name);
    }

    /** The signature of the tensor method {@code name}, its receiver first; only for a name {@link #forMethod} knows. */
    public static FunctionSignature methodSignature(String name) {
        return find(BY_METHOD.get(name).methods(), name);
    }

    /** The op implementing the Python operator {@code operator} on tensors ({@code +}, {@code neg}), or {@code null}. */
    public static OpDefinition<?> forOperator(String operator) {
        return BY_OPERATOR.get(operator);
    }

    private static FunctionSignature find(List<FunctionSignature> signatures, String name) {
        return signatures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /** The op whose module PyTorch calls {@code name} ({@code Conv2d}), or {@code null}. */
    public static OpDefinition<?> forModule(String name) {
        return BY_MODULE.get(name);
    }

    /** Every layer a module expression can construct, for messages. */
    public static Set<String> moduleNames() {
        return new TreeSet<>(BY_MODULE.keySet());
    }

    /** Every function name the DSL knows, for "did you mean". */
    public static Set<String> functionNames() {
        return new TreeSet<>(BY_FUNCTION.keySet());
    }

    /** Every tensor method an op defines, for "did you mean". */
    public static Set<String> methodNames() {
        return new TreeSet<>(BY_METHOD.keySet());
    }

    /** The add of {@code a + b}. */
    public static OpDefinition<?> add() {
        return forOperator("+");
    }

    /** The view of {@code x.view(...)} and {@code x.reshape(...)}, whose sizes the DSL binds itself. */
    public static OpDefinition<?> view() {
        return ALL.stream().filter(op -> op instanceof ViewOp).findFirst().orElseThrow();
    }

    /** The indexing of {@code x[:, 0]}: its attribute {@code index} is a list of {@link IndexOp.Item}. */
    public static OpDefinition<?> index() {
        return INDEX;
    }

    /** The read of a learned parameter ({@code self.class_token}): attributes {@code field} and {@code shape}. */
    public static OpDefinition<?> parameter() {
        return PARAMETER;
    }

    /** One item of a subscript, for the forward DSL's {@code x[:, 0]}: an int, or a slice's optional parts. */
    public static Object indexItem(Integer index, Integer start, Integer stop, Integer step) {
        return index != null ? IndexOp.Item.at(index) : IndexOp.Item.slice(start, stop, step);
    }
}
