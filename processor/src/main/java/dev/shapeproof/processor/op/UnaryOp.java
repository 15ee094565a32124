package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** An op with one tensor input, which is every layer: it sees that input's shape directly. */
abstract class UnaryOp<C> extends OpDefinition<C> {
    UnaryOp(String name, List<AttributeSpec> attributes) {
        super(name, attributes);
    }

    abstract TensorShape infer(C config, TensorShape input, NodeContext node);

    List<ParameterShape> parameters(C config, TensorShape input) {
        return List.of();
    }

    long macs(C config, TensorShape input, TensorShape output) {
        return 0;
    }

    ReceptiveField[] receptiveField(C config, TensorShape input, ReceptiveField height, ReceptiveField width) {
        return new ReceptiveField[] {height, width};
    }

    CodeBlock newLayer(String name, C config, TensorShape input) {
        throw new UnsupportedOperationException(name() + " is not a module");
    }

    @Override
    public final TensorShape infer(C config, List<TensorShape> inputs, NodeContext node) {
        return infer(config, inputs.get(0), node);
    }

    @Override
    public final List<ParameterShape> parameters(C config, List<TensorShape> inputs) {
        return parameters(config, inputs.get(0));
    }

    @Override
    public final long macs(C config, List<TensorShape> inputs, TensorShape output) {
        return macs(config, inputs.get(0), output);
    }

    @Override
    public final ReceptiveField[] receptiveField(C config, List<TensorShape> inputs, ReceptiveField height,
            ReceptiveField width) {
        return receptiveField(config, inputs.get(0), height, width);
    }

    @Override
    public final CodeBlock newLayer(String name, C config, List<TensorShape> inputs) {
        return newLayer(name, config, inputs.get(0));
    }
}
