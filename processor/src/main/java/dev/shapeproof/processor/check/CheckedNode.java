package dev.shapeproof.processor.check;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * A node whose shapes are proven: its configuration, input and output shapes, parameters, MACs and receptive field.
 *
 * @param <C> its op's configuration type
 */
public record CheckedNode<C>(Node node, OpDefinition<C> op, C config, List<TensorShape> inputs, TensorShape output,
        List<ParameterShape> parameters, long macs, ReceptiveField height, ReceptiveField width) {

    public CheckedNode {
        inputs = List.copyOf(inputs);
        parameters = List.copyOf(parameters);
    }

    static <C> CheckedNode<C> of(Node node, OpDefinition<C> op, C config, List<TensorShape> inputs,
            TensorShape output, ReceptiveField height, ReceptiveField width) {
        ReceptiveField[] field = op.receptiveField(config, inputs, height, width);
        return new CheckedNode<>(node, op, config, inputs, output, op.parameters(config, inputs),
                op.macs(config, inputs, output), field[0], field[1]);
    }

    public String name() {
        return node.name();
    }

    /** The first input's shape: the only one, for layers. */
    public TensorShape input() {
        return inputs.get(0);
    }

    /** The number of trainable parameters (buffers excluded). */
    public long trainableCount() {
        return parameters.stream()
                .filter(p -> p.kind() == ParameterShape.Kind.PARAMETER)
                .mapToLong(ParameterShape::count)
                .sum();
    }

    /** The windows of a convolution or pooling node, height then width; {@code null} for other ops. */
    public dev.shapeproof.shape.Window[] windows() {
        return op.windows(config);
    }

    public int groups() {
        return op.groups(config);
    }

    /** Bias additions for one sample. */
    public long biasAdds() {
        return op.biasAdds(config, output);
    }

    /** The number of buffer elements (running statistics), which are state but not parameters. */
    public long bufferCount() {
        return parameters.stream()
                .filter(p -> p.kind() == ParameterShape.Kind.BUFFER)
                .mapToLong(ParameterShape::count)
                .sum();
    }

    /** The expression that constructs this node's runtime layer; only for module calls. */
    public CodeBlock newLayer() {
        return op.newLayer(node.module(), config, inputs);
    }

    /** The expression that runs this node as a function of {@code arguments}. */
    public CodeBlock call(List<CodeBlock> arguments, boolean inPlace, CodeBlock training) {
        return op.call(config, arguments, inputs, output, inPlace, training);
    }

    /** What the call returns in Python, given the attributes the call itself passed. */
    public dev.shapeproof.processor.op.Returns returns(java.util.Map<String, Object> call) {
        return op.returns(config, inputs, call);
    }
}
