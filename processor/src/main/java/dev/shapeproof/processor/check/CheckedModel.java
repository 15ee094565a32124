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

    /**
     * Whether the generated forward computes {@code node} in its first input's storage: the op can, liveness proves
     * nothing reads that input afterwards (and it is not the caller's array), and the output has the input's shape.
     * The forward writer and the memory estimate both ask here.
     */
    public boolean runsInPlace(CheckedNode<?> node) {
        return node.op().runsInPlace()
                && liveness.isDeadAfter(node.node().inputs().get(0), node.node())
                && node.output().equals(node.input());
    }
}
