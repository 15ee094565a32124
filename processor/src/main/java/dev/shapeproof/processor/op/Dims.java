package dev.shapeproof.processor.op;

import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/** The checks of dims several ops share: in range for the input's rank, and not the batch axis. */
final class Dims {
    private Dims() {}

    /**
     * {@code dim} as a non-negative axis of a tensor of rank {@code rank}, or -1 after reporting, on {@code attribute},
     * that it is out of range or (unless {@code batchAllowed}) the batch axis, which the op would {@code does} ("reduce
     * over", "move").
     */
    static int axis(int dim, int rank, TensorShape input, Attribute attribute, NodeContext node, String does,
            String hint) {
        if (dim < -rank || dim >= rank) {
            node.report(attribute.location(), Message.DIM_OUT_OF_RANGE, node.name(), attribute.name(), dim, rank,
                    input, -rank, rank - 1, hint);
            return -1;
        }
        int axis = dim < 0 ? dim + rank : dim;
        if (axis == 0 && input.isBatched()) {
            node.report(attribute.location(), Message.BATCH_AXIS, node.name(),
                    node.name() + " would " + does + " the batch axis (" + attribute.name() + " = " + dim + ")",
                    attribute.name() + " = " + dim + " on input " + input, "axes 1 to " + (rank - 1)
                            + " (or negative dims that stop before the batch)", hint);
            return -1;
        }
        return axis;
    }

    /**
     * The dims of {@code attribute} as distinct non-negative axes of {@code input}, or {@code null} after reporting
     * the first that is out of range, the batch axis, or repeated (PyTorch: "dim 1 appears multiple times").
     */
    static List<Integer> axes(List<Integer> dims, TensorShape input, Attribute attribute, NodeContext node,
            String does, String hint) {
        List<Integer> axes = new ArrayList<>();
        for (int dim : dims) {
            int axis = axis(dim, input.rank(), input, attribute, node, does, hint);
            if (axis < 0) {
                return null;
            }
            if (axes.contains(axis)) {
                node.report(attribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                        "dim " + axis + " appears more than once in " + attribute.name(), attribute.sourceText(),
                        "each dim once", "remove the repeated dim");
                return null;
            }
            axes.add(axis);
        }
        return axes;
    }
}
