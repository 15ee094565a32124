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
            PointwiseOp.of("ReLU"),
            PointwiseOp.leakyReLU(),
            PointwiseOp.of("Sigmoid"),
            PointwiseOp.of("Tanh"),
            PointwiseOp.gelu(),
            PointwiseOp.dropout("Dropout", false),
            PointwiseOp.dropout("Dropout2d", true),
            new FlattenOp(),
            new LinearOp(),
            new SoftmaxOp("Softmax"),
            new SoftmaxOp("LogSoftmax"));

    private static final Map<String, OpDefinition<?>> BY_ANNOTATION =
            ALL.stream().collect(Collectors.toUnmodifiableMap(OpDefinition::annotationName, Function.identity()));

    private Ops() {}

    /** The op declared by the annotation named {@code qualifiedName}, or {@code null} if it declares none. */
    public static OpDefinition<?> forAnnotation(String qualifiedName) {
        return BY_ANNOTATION.get(qualifiedName);
    }

    public static List<OpDefinition<?>> all() {
        return ALL;
    }
}
