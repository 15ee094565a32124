package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * Everything ShapeProof knows about one operation, in one place.
 *
 * @param <C> the op's configuration once its attributes are validated, e.g. the two windows of a convolution
 */
public abstract class OpDefinition<C> {
    private final String name;
    private final List<AttributeSpec> attributes;

    protected OpDefinition(String name, List<AttributeSpec> attributes) {
        this.name = name;
        this.attributes = List.copyOf(attributes);
    }

    /** PyTorch's class name ({@code Conv2d}), which is also the annotation's simple name. */
    public final String name() {
        return name;
    }

    /** The annotation that declares it, e.g. {@code dev.shapeproof.Conv2d}. */
    public final String annotationName() {
        return "dev.shapeproof." + name;
    }

    /** The runtime layer type its field must have, e.g. {@code dev.shapeproof.nn.Conv2dLayer}. */
    public final String layerClassName() {
        return "dev.shapeproof.nn." + name + "Layer";
    }

    /** The annotation's attributes that need checking beyond their Java type. */
    public final List<AttributeSpec> attributes() {
        return attributes;
    }

    /**
     * Turns attributes that passed their {@link AttributeSpec} rules into the configuration, reporting mistakes that
     * involve several attributes. Returns {@code null} after reporting an error.
     */
    public abstract C configure(NodeContext node);

    /**
     * The output shape for {@code input}, or {@code null} after reporting why there is none. Called only with a
     * configuration from {@link #configure}.
     */
    public abstract TensorShape infer(C config, TensorShape input, NodeContext node);

    /**
     * Whether this op flattens its input into features, so messages about a later layer can say "after the flatten".
     */
    public boolean flattens() {
        return false;
    }

    /**
     * Whether the output may share storage with the input: a view (flatten) or the input itself (eval-mode dropout).
     * Liveness then treats both as one buffer.
     */
    public boolean aliasesInput() {
        return false;
    }

    /** Whether the layer can overwrite its input with its output when the input is dead (element-wise activations). */
    public boolean runsInPlace() {
        return false;
    }

    /** Parameters and buffers in {@code state_dict} order, for a checked input. */
    public List<ParameterShape> parameters(C config, TensorShape input) {
        return List.of();
    }

    /** Multiply-accumulates for one sample; 0 for ops that do none. */
    public long macs(C config, TensorShape input, TensorShape output) {
        return 0;
    }

    /**
     * The receptive field after this op, height then width, given the field before it. Pointwise ops keep it.
     */
    public ReceptiveField[] receptiveField(C config, TensorShape input, ReceptiveField height, ReceptiveField width) {
        return new ReceptiveField[] {height, width};
    }

    /** The expression that constructs this op's runtime layer, e.g. {@code new Conv2dLayer("conv1", 1, 10, ...)}. */
    public abstract CodeBlock newLayer(String name, C config, TensorShape input);
}
