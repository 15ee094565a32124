package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * Everything ShapeProof knows about one operation, in one place: its attributes, validation, shape rule, parameters,
 * MACs, receptive-field step, and the code that runs it.
 *
 * <p>An op is a module (declared by a layer annotation on a field, constructed once, called as
 * {@code conv1.forward(x)}), a function (called from the forward DSL as {@code F.maxPool2d(x, ...)}), or both, as
 * {@code MaxPool2d} and {@code max_pool2d} are.
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

    /** The attributes that need checking beyond their Java type. */
    public final List<AttributeSpec> attributes() {
        return attributes;
    }

    /**
     * Turns attributes that passed their {@link AttributeSpec} rules into the configuration, reporting mistakes that
     * involve several attributes. Returns {@code null} after reporting an error.
     */
    public abstract C configure(NodeContext node);

    /**
     * The output shape for {@code inputs}, or {@code null} after reporting why there is none. Called only with a
     * configuration from {@link #configure} and known input shapes.
     */
    public abstract TensorShape infer(C config, List<TensorShape> inputs, NodeContext node);

    /**
     * PyTorch's constructor of this op's module ({@code nn.Conv2d(in_channels, out_channels, kernel_size, ...)}), for
     * module expressions ({@code @Init}): each parameter sets the annotation attribute it names, and attributes it
     * does not set keep the annotation's defaults. {@code null} for function-only ops.
     */
    public FunctionSignature moduleSignature() {
        return null;
    }

    /** Whether a layer annotation declares this op as a module; false for function-only ops such as {@code cat}. */
    public boolean isModule() {
        return true;
    }

    /** The functions the forward DSL may call for this op ({@code max_pool2d}); none for module-only ops. */
    public List<FunctionSignature> functions() {
        return List.of();
    }

    /**
     * The tensor methods the forward DSL may call for this op ({@code x.transpose(1, 2)}, {@code x.mean(dim)}): each a
     * signature whose first parameter is the tensor the method is called on, as PyTorch's {@code Tensor.mean(self,
     * dim)} is {@code torch.mean(input, dim)}.
     */
    public List<FunctionSignature> methods() {
        return List.of();
    }

    /**
     * The Python operators this op implements on tensors: {@code +}, {@code -}, {@code *}, {@code /} between two
     * tensors or a tensor and a number, {@code neg} for unary minus. A number operand is the attribute
     * {@code scalar} (with {@code scalarFirst} when it stands left); {@code target op= value} adds the attribute
     * {@code inplace}, the target's name.
     */
    public List<String> operators() {
        return List.of();
    }

    /**
     * How a call of this op's module passes its arguments: PyTorch's {@code forward} signature. Every layer takes
     * one tensor, {@code forward(input)}, unless it says otherwise ({@code MultiheadAttention(query, key, value,
     * need_weights=...)}); its tensors are the node's inputs in order, its other parameters are checked and reach
     * {@link #returns} as the call's attributes.
     */
    public FunctionSignature callSignature() {
        return FunctionSignature.of("forward", FunctionSignature.Param.tensor("input"));
    }

    /**
     * Whether input {@code index} may be a tensor without the batch axis (a learned parameter such as ViT's
     * {@code class_token}): element-wise arithmetic broadcasts it, {@code expand} gives it the batch. Every other op
     * takes batched tensors only, and the checker says so.
     */
    public boolean acceptsUnbatched(int index) {
        return false;
    }

    /**
     * What a call returns in Python: one tensor (most ops), or a tuple ({@code chunk}, {@code split}: one node per
     * tensor, each told apart by its attribute {@code piece}; {@code MultiheadAttention}: the output and its
     * attention weights). {@code call} holds the attributes the call itself passed (a module's call signature), empty
     * for functions.
     */
    public Returns returns(C config, List<TensorShape> inputs, java.util.Map<String, Object> call) {
        return Returns.ONE;
    }

    /**
     * Whether this op, producing {@code output}, flattened its input into features, so messages about a later layer
     * can say "after the flatten".
     */
    public boolean flattens(TensorShape output) {
        return false;
    }

    /**
     * Where the output's elements lie in memory, given its inputs': a fresh, contiguous tensor unless the op returns
     * a view (or its input itself), which only then overrides this.
     */
    public Strides strides(C config, List<TensorShape> inputs, List<Strides> inputStrides, TensorShape output) {
        return switch (layout()) {
            case CONTIGUOUS -> Strides.contiguous(output);
            case LIKE_INPUT -> Strides.elementwise(inputs.get(0), inputStrides.get(0), output);
            case MEMORY_FORMAT -> Strides.inMemoryFormat(inputs.get(0), inputStrides.get(0), output);
        };
    }

    /** How a fresh output is laid out in memory: PyTorch's kernels follow their first input's layout in two ways. */
    public enum Layout {
        /** Row-major, whatever the input (linear, layer_norm, softmax, cat, reductions). */
        CONTIGUOUS,
        /** As the first input, element for element (activations, dropout, arithmetic): {@link Strides#elementwise}. */
        LIKE_INPUT,
        /** Channels last when the input is (conv, pooling, BatchNorm2d, interpolate): {@link Strides#inMemoryFormat}. */
        MEMORY_FORMAT
    }

    /** How this op lays out a fresh output; views override {@link #strides} instead. */
    public Layout layout() {
        return Layout.CONTIGUOUS;
    }

    /**
     * Whether the output may share storage with the first input: a view (flatten, reshape) or the input itself
     * (eval-mode dropout). Liveness then treats both as one buffer.
     */
    public boolean aliasesInput() {
        return false;
    }

    /**
     * Whether the op can write its output over its first input when that input is dead and has the output's shape
     * (element-wise activations, a residual add).
     */
    public boolean runsInPlace() {
        return false;
    }

    /** Parameters and buffers in {@code state_dict} order, for checked inputs. */
    public List<ParameterShape> parameters(C config, List<TensorShape> inputs) {
        return List.of();
    }

    /** The sliding windows (height, width) of a convolution or pooling op, for the summary; {@code null} otherwise. */
    public dev.shapeproof.shape.Window[] windows(C config) {
        return null;
    }

    /** The channel groups of a convolution, for the summary; 1 otherwise. */
    public int groups(C config) {
        return 1;
    }

    /** Bias additions for one sample, reported beside the MACs; 0 for ops without a bias. */
    public long biasAdds(C config, TensorShape output) {
        return 0;
    }

    /** Multiply-accumulates for one sample; 0 for ops that do none. */
    public long macs(C config, List<TensorShape> inputs, TensorShape output) {
        return 0;
    }

    /**
     * The receptive field after this op, height then width, given the field before it (the maximum over the inputs
     * where paths merge). Pointwise ops keep it.
     */
    public ReceptiveField[] receptiveField(C config, List<TensorShape> inputs, ReceptiveField height,
            ReceptiveField width) {
        return new ReceptiveField[] {height, width};
    }

    /**
     * The expression that constructs this op's runtime layer, e.g. {@code new Conv2dLayer("conv1", 1, 10, ...)}; only
     * for ops declared by an annotation.
     */
    public CodeBlock newLayer(String name, C config, List<TensorShape> inputs) {
        throw new UnsupportedOperationException(name() + " is not a module");
    }

    /**
     * The expression that runs this op as a function on {@code arguments} (Java expressions of the inputs), e.g.
     * {@code F.maxPool2d(x, ...)}, producing {@code output}; {@code training} is the expression of the model's mode,
     * for dropout.
     */
    public CodeBlock call(C config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        throw new UnsupportedOperationException(name() + " has no functional form");
    }

    /**
     * As {@link #call(Object, List, TensorShape, boolean, CodeBlock)}, for ops whose call also needs their inputs'
     * shapes (a piece of a {@code chunk} starts where the input's size puts it).
     */
    public CodeBlock call(C config, List<CodeBlock> arguments, List<TensorShape> inputs, TensorShape output,
            boolean inPlace, CodeBlock training) {
        return call(config, arguments, output, inPlace, training);
    }
}
