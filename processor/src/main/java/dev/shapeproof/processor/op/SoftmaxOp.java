package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** {@code @Softmax} and {@code @LogSoftmax}: a normalisation along {@code dim}; the shape is unchanged. */
final class SoftmaxOp extends OpDefinition<Integer> {
    SoftmaxOp(String name) {
        super(name, List.of());
    }

    @Override
    public Integer configure(NodeContext node) {
        return node.attribute("dim").asInt();
    }

    @Override
    public TensorShape infer(Integer dim, TensorShape input, NodeContext node) {
        if (!input.hasAxis(dim)) {
            int rank = input.rank();
            node.report(node.attribute("dim").location(), Message.DIM_OUT_OF_RANGE, node.name(), "dim", dim, rank,
                    input, -rank, rank - 1, "use dim = 1 for the classes (or channels), dim = -1 for the last axis");
            return null;
        }
        return input;
    }

    @Override
    public CodeBlock newLayer(String name, Integer dim, TensorShape input) {
        return CodeBlock.of("new $T($S, $L)", ClassName.bestGuess(layerClassName()), name, dim);
    }
}
