package dev.shapeproof.processor.check;

import dev.shapeproof.processor.graph.ModelGraph;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** A model whose every shape is proven, ready to be emitted. */
public record CheckedModel(ModelGraph graph, TensorShape input, List<CheckedNode<?>> nodes, TensorShape output) {
    public CheckedModel {
        nodes = List.copyOf(nodes);
    }
}
