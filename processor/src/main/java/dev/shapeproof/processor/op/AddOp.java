package dev.shapeproof.processor.op;

import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.shape.TensorShape;

/**
 * {@code a + b}: the residual add, with PyTorch's broadcasting; also with a number ({@code x + 1}), in place
 * ({@code out += identity}) and as {@code torch.add} / {@code x.add}. Its messages name the usual cause, a missing
 * downsample on the skip connection.
 */
final class AddOp extends ArithmeticOp {
    AddOp() {
        super("add", "+", "add", "add", "add");
    }

    @Override
    void mismatch(NodeContext node, TensorShape a, TensorShape b, int axis, String x, String y, String hint) {
        node.report(node.location(), Message.ADD_MISMATCH, node.name(), a, node.inputOrigin(0), b,
                node.inputOrigin(1), axis, x, y, hint);
    }

    @Override
    void inPlaceMismatch(NodeContext node, String target, TensorShape a, TensorShape b, TensorShape result) {
        node.report(node.location(), Message.IN_PLACE_ADD, node.name(), target, a, b, node.inputOrigin(1), result);
    }

    /** The usual cause: a strided or widened main path against a plain skip connection (ResNet's downsample). */
    @Override
    String hint(TensorShape a, TensorShape b, int axis) {
        if (a.rank() == 4 && b.rank() == 4 && axis >= 2 && a.dim(axis) != b.dim(axis)) {
            int large = Math.max(a.dim(axis), b.dim(axis));
            int small = Math.min(a.dim(axis), b.dim(axis));
            String stride = large % small == 0 ? "stride-" + large / small + " " : "";
            return "one path downsamples (" + a.dim(2) + "×" + a.dim(3) + " vs " + b.dim(2) + "×" + b.dim(3)
                    + "): give the other, the skip connection, a " + stride + "1×1 conv as its downsample, as "
                    + "ResNet's BasicBlock does";
        }
        if (a.rank() == 4 && b.rank() == 4 && axis == 1) {
            return "the paths have " + a.dim(1) + " and " + b.dim(1) + " channels: map the skip connection with "
                    + "a 1×1 conv (a downsample) to the main path's channels";
        }
        return Broadcast.sameShape(a, b, axis);
    }
}
