package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise layers (activations, dropout): the output has the input's shape, there are no parameters and the
 * receptive field does not change. The layer is constructed from its name and the listed attributes, in order.
 */
final class PointwiseOp extends OpDefinition<List<Object>> {
    private final List<String> constructorArguments;
    private final boolean imagesOnly;
    private final boolean isDropout;

    private PointwiseOp(String name, List<AttributeSpec> attributes, List<String> constructorArguments,
            boolean imagesOnly, boolean isDropout) {
        super(name, attributes);
        this.constructorArguments = List.copyOf(constructorArguments);
        this.imagesOnly = imagesOnly;
        this.isDropout = isDropout;
    }

    /** An activation without attributes. */
    static PointwiseOp of(String name) {
        return new PointwiseOp(name, List.of(), List.of(), false, false);
    }

    static PointwiseOp leakyReLU() {
        return new PointwiseOp("LeakyReLU", List.of(), List.of("slope"), false, false);
    }

    static PointwiseOp gelu() {
        return new PointwiseOp("GELU",
                List.of(AttributeSpec.choice("approximate",
                        "approximate = \"none\" is the exact erf form, \"tanh\" PyTorch's tanh approximation",
                        "none", "tanh")),
                List.of("approximate"), false, false);
    }

    static PointwiseOp dropout(String name, boolean imagesOnly) {
        return new PointwiseOp(name,
                List.of(AttributeSpec.probability("p",
                        "p is the probability of zeroing in training, e.g. 0.5 (PyTorch's default)")),
                List.of("p"), imagesOnly, true);
    }

    /** Activations compute each element from itself alone, so they can overwrite a dead input. */
    @Override
    public boolean runsInPlace() {
        return !isDropout;
    }

    /** Dropout in eval mode is the identity and returns its input itself. */
    @Override
    public boolean aliasesInput() {
        return isDropout;
    }

    @Override
    public List<Object> configure(NodeContext node) {
        List<Object> values = new ArrayList<>();
        for (String attribute : constructorArguments) {
            Attribute value = node.attribute(attribute);
            // GELU's approximate is a string in the annotation and a flag on the layer.
            values.add(attribute.equals("approximate") ? value.asString().equals("tanh") : value.value());
        }
        return values;
    }

    @Override
    public TensorShape infer(List<Object> config, TensorShape input, NodeContext node) {
        if (imagesOnly && !Shapes.requireImage(input, node, name())) {
            return null;
        }
        return input;
    }

    @Override
    public CodeBlock newLayer(String name, List<Object> config, TensorShape input) {
        CodeBlock.Builder arguments = CodeBlock.builder().add("$S", name);
        for (Object value : config) {
            arguments.add(", $L", value);
        }
        return CodeBlock.of("new $T($L)", ClassName.bestGuess(layerClassName()), arguments.build());
    }
}
