package dev.shapeproof.processor.op;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every op ShapeProof knows, by its annotation's qualified name. */
public final class Ops {
    private static final List<OpDefinition<?>> ALL = List.of(
            new Conv2dOp(),
            new MaxPool2dOp(),
            new AvgPool2dOp(),
            new AdaptiveAvgPool2dOp(),
            new BatchNorm2dOp(),
            PointwiseOp.of("ReLU", "relu", "relu"),
            PointwiseOp.leakyReLU(),
            PointwiseOp.of("Sigmoid", "sigmoid", "sigmoid"),
            PointwiseOp.of("Tanh", "tanh", "tanh"),
            PointwiseOp.gelu(),
            PointwiseOp.dropout("Dropout", "dropout", "dropout", false),
            PointwiseOp.dropout("Dropout2d", "dropout2d", "dropout2d", true),
            new FlattenOp(),
            new LinearOp(),
            new AddOp(),
            new CatOp(),
            new ViewOp(),
            new InterpolateOp(),
            new SoftmaxOp("Softmax", "softmax"),
            new SoftmaxOp("LogSoftmax", "logSoftmax"));

    private static final Map<String, OpDefinition<?>> BY_ANNOTATION = ALL.stream()
            .filter(OpDefinition::isModule)
            .collect(Collectors.toUnmodifiableMap(OpDefinition::annotationName, Function.identity()));

    private static final Map<String, OpDefinition<?>> BY_FUNCTION = functionsByName();

    /** Module ops by PyTorch class name ({@code Conv2d}), for module expressions. */
    private static final Map<String, OpDefinition<?>> BY_MODULE = ALL.stream()
            .filter(op -> op.moduleSignature() != null)
            .collect(Collectors.toUnmodifiableMap(OpDefinition::name, Function.identity()));

    private static Map<String, OpDefinition<?>> functionsByName() {
        Map<String, OpDefinition<?>> functions = new java.util.LinkedHashMap<>();
        for (OpDefinition<?> op : ALL) {
            for (FunctionSignature function : op.functions()) {
                functions.put(function.name(), op);
            }
        }
        return Map.copyOf(functions);
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
        return BY_FUNCTION.get(name).functions().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /** The op whose module PyTorch calls {@code name} ({@code Conv2d}), or {@code null}. */
    public static OpDefinition<?> forModule(String name) {
        return BY_MODULE.get(name);
    }

    /** Every layer a module expression can construct, for messages. */
    public static java.util.Set<String> moduleNames() {
        return new java.util.TreeSet<>(BY_MODULE.keySet());
    }

    /** Every function name the DSL knows, for "did you mean". */
    public static java.util.Set<String> functionNames() {
        return new java.util.TreeSet<>(BY_FUNCTION.keySet());
    }

    /** The add of {@code a + b}, the view of {@code x.view(...)}: ops the DSL uses for syntax, not by name. */
    public static OpDefinition<?> add() {
        return ALL.stream().filter(op -> op instanceof AddOp).findFirst().orElseThrow();
    }

    public static OpDefinition<?> view() {
        return ALL.stream().filter(op -> op instanceof ViewOp).findFirst().orElseThrow();
    }
}
