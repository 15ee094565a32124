package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * The read of a learned parameter that is not a layer's ({@code self.class_token}, {@code self.layer_scale}): a
 * tensor without the batch axis, of the shape its {@code @Init("nn.Parameter(...)")} gave it. The node has no inputs;
 * its attributes are {@code field}, the Java field that holds the {@code Parameter}, and {@code shape}.
 */
public final class ParameterOp extends OpDefinition<ParameterOp.Config> {
    record Config(String field, int[] shape) {}

    ParameterOp() {
        super("parameter", List.of());
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public Config configure(NodeContext node) {
        return new Config(node.attribute("field").asString(),
                node.attribute("shape").asInts().stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        return TensorShape.unbatched(config.shape());
    }

    /** {@code this.class_token.value()}: the module whose forward reads it declares the field. */
    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return CodeBlock.of("this.$N.value()", config.field());
    }
}
