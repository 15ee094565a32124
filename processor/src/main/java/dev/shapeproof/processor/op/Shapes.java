package dev.shapeproof.processor.op;

import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.shape.TensorShape;

/** Input checks several ops share. */
final class Shapes {
    private Shapes() {}

    /**
     * Whether {@code input} is an image batch {@code [N, C, H, W]}; otherwise reports a rank mismatch on the layer's
     * annotation. A flattened input gets a hint about the flatten, since that is how a 4-D layer usually ends up there.
     */
    static boolean requireImage(TensorShape input, NodeContext node, String opName) {
        if (input.rank() == 4) {
            return true;
        }
        String hint = node.flattenedFrom() != null
                ? "move " + node.name() + " before the flatten (or view) that made its input flat, or remove it"
                : opName + " works on images: declare the model input as {C, H, W}";
        node.report(node.location(), Message.RANK_MISMATCH, node.name(), opName, "4-D", input.rank(), input,
                node.inputOrigin(), "rank 4, [N, C, H, W]", hint);
        return false;
    }
}
