package dev.shapeproof.processor.check;

import dev.shapeproof.processor.graph.Liveness;
import dev.shapeproof.processor.graph.ModelGraph;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * A model whose every shape is proven, ready to be emitted, with the liveness of its values: in-place decisions,
 * buffer reuse and the summary's memory figure all read that one analysis.
 */
public record CheckedModel(ModelGraph graph, List<CheckedNode<?>> nodes, List<TensorShape> outputs,
        Liveness liveness) {
    public CheckedModel {
        nodes = List.copyOf(nodes);
        outputs = List.copyOf(outputs);
    }

    /** The first input's shape: the only one, for most models. */
    public TensorShape input() {
        return graph.inputs().get(0).shape();
    }

    /** The first output's shape: the only one, for most models. */
    public TensorShape output() {
        return outputs.get(0);
    }
}
