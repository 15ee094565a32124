package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** {@code a + b}: the residual add, with PyTorch's broadcasting. */
final class AddOp extends OpDefinition<AddOp.Config> {
    /**
     * @param inPlaceTarget for {@code target += value}, the target's name: PyTorch's in-place add writes into it, so
     *     the sum must keep its shape; {@code null} for {@code a + b}
     */
    record Config(String inPlaceTarget) {}

    AddOp() {
        super("add", List.of());
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public Config configure(NodeContext node) {
        return new Config(node.findAttribute("inplace").map(attribute -> attribute.asString()).orElse(null));
    }

    /**
     * PyTorch's broadcasting, aligned from the last axis, with the batch axis apart: it meets only the other batch
     * axis, holding as many batches. A batch axis aligned with a sample axis (operands of different ranks) would
     * broadcast for one batch size only, or put the batch inside a sample.
     */
    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        TensorShape a = inputs.get(0);
        TensorShape b = inputs.get(1);
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int axis = rank - i;
            if (i == rank && a.rank() == b.rank()) {
                if (a.batches() != b.batches()) {
                    node.report(node.location(), Message.ADD_MISMATCH, node.name(), a, node.inputOrigin(0), b,
                            node.inputOrigin(1), 0, batches(a), batches(b),
                            "one operand is a cat along the batch axis: give both the same batch");
                    return null;
                }
                out[0] = TensorShape.BATCH;
                break;
            }
            boolean batchA = i == a.rank();
            boolean batchB = i == b.rank();
            int x = i <= a.rank() ? a.dim(-i) : 1;
            int y = i <= b.rank() ? b.dim(-i) : 1;
            if (batchA || batchB) {
                node.report(node.location(), Message.ADD_MISMATCH, node.name(), a, node.inputOrigin(0), b,
                        node.inputOrigin(1), axis, batchA ? "the batch" : Integer.toString(x),
                        batchB ? "the batch" : Integer.toString(y),
                        "the operands have ranks " + a.rank() + " and " + b.rank() + ", so the batch axis of the "
                                + (batchA ? "first" : "second") + " meets a sample axis of the other: view or "
                                + "flatten them to one rank");
                return null;
            }
            if (x != y && x != 1 && y != 1) {
                node.report(node.location(), Message.ADD_MISMATCH, node.name(), a, node.inputOrigin(0), b,
                        node.inputOrigin(1), axis, Integer.toString(x), Integer.toString(y), hint(a, b, axis));
                return null;
            }
            out[axis] = x == 1 ? y : x;
        }
        TensorShape sum = TensorShape.of(out).withBatches(a.batches());
        if (config.inPlaceTarget() != null && !sum.equals(a)) {
            node.report(node.location(), Message.IN_PLACE_ADD, node.name(), config.inPlaceTarget(), a, b,
                    node.inputOrigin(1), sum);
            return null;
        }
        return sum;
    }

    private static String batches(TensorShape shape) {
        return shape.batches() == 1 ? "one batch" : shape.batches() + " batches";
    }

    /** The usual cause: a strided or widened main path against a plain skip connection (ResNet's downsample). */
    private static String hint(TensorShape a, TensorShape b, int axis) {
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
        return "make both operands the same shape, or 1 where one should broadcast";
    }

    @Override
    public boolean runsInPlace() {
        return true;
    }

    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f("add", arguments.get(0), arguments.get(1), inPlace);
    }
}
