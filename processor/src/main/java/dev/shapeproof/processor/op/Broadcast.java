package dev.shapeproof.processor.op;

import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.shape.TensorShape;

/**
 * PyTorch's broadcasting of two operands, aligned from the last axis, with ShapeProof's batch rules: a batch axis
 * meets only another batch axis holding as many batches, and a tensor without the batch axis (a parameter such as
 * ConvNeXt's {@code layer_scale [C, 1, 1]} or ViT's {@code pos_embedding [1, L, D]}) broadcasts against a batched
 * one when its axes fit under the sample axes, or under the batch axis with size 1.
 */
final class Broadcast {
    /** How an element-wise op reports a mismatch. */
    interface Report {
        /** Reports that {@code axis} of the result does not broadcast: sizes {@code x} and {@code y}, with a hint. */
        void mismatch(int axis, String x, String y, String hint);
    }

    private Broadcast() {}

    /** The shape of {@code a op b}, or {@code null} after reporting why there is none. */
    static TensorShape shape(TensorShape a, TensorShape b, Report report, Hint hint) {
        if (a.isBatched() && b.isBatched()) {
            return batched(a, b, report, hint);
        }
        if (!a.isBatched() && !b.isBatched()) {
            return plain(a, b, report, hint);
        }
        boolean batchedFirst = a.isBatched();
        TensorShape tensor = batchedFirst ? a : b;
        TensorShape parameter = batchedFirst ? b : a;
        if (parameter.rank() > tensor.rank()) {
            int axis = parameter.rank() - tensor.rank() - 1;
            report.mismatch(axis, batchedFirst ? "none" : Integer.toString(parameter.dim(axis)),
                    batchedFirst ? Integer.toString(parameter.dim(axis)) : "none",
                    "the tensor without the batch axis has more axes than the batched one, so the result's axis 0 "
                            + "would not be the batch: give it at most " + tensor.rank() + " axes");
            return null;
        }
        int[] out = tensor.dims();
        for (int i = 1; i <= parameter.rank(); i++) {
            int axis = tensor.rank() - i;
            int p = parameter.dim(-i);
            if (axis == 0) {
                if (p != 1) {
                    report.mismatch(0, batchedFirst ? "the batch" : Integer.toString(p),
                            batchedFirst ? Integer.toString(p) : "the batch",
                            "a tensor without the batch axis meets the batch with size 1 only: view it as [1, ...] or "
                                    + "drop that axis");
                    return null;
                }
                continue;
            }
            int t = tensor.dim(axis);
            if (p != t && p != 1 && t != 1) {
                report.mismatch(axis, Integer.toString(batchedFirst ? t : p), Integer.toString(batchedFirst ? p : t),
                        hint.of(a, b, axis));
                return null;
            }
            out[axis] = t == 1 ? p : t;
        }
        return TensorShape.of(out).withBatches(tensor.batches());
    }

    /**
     * Both batched: the batch axis meets only the other batch axis, holding as many batches. A batch axis aligned with
     * a sample axis (operands of different ranks) would broadcast for one batch size only, or put the batch inside a
     * sample.
     */
    private static TensorShape batched(TensorShape a, TensorShape b, Report report, Hint hint) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int axis = rank - i;
            if (i == rank && a.rank() == b.rank()) {
                if (a.batches() != b.batches()) {
                    report.mismatch(0, batches(a), batches(b),
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
                report.mismatch(axis, batchA ? "the batch" : Integer.toString(x),
                        batchB ? "the batch" : Integer.toString(y),
                        "the operands have ranks " + a.rank() + " and " + b.rank() + ", so the batch axis of the "
                                + (batchA ? "first" : "second") + " meets a sample axis of the other: view or "
                                + "flatten them to one rank");
                return null;
            }
            if (x != y && x != 1 && y != 1) {
                report.mismatch(axis, Integer.toString(x), Integer.toString(y), hint.of(a, b, axis));
                return null;
            }
            out[axis] = x == 1 ? y : x;
        }
        return TensorShape.of(out).withBatches(a.batches());
    }

    /** Neither has the batch axis: PyTorch's rule as it is, and the result has none either. */
    private static TensorShape plain(TensorShape a, TensorShape b, Report report, Hint hint) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int x = i <= a.rank() ? a.dim(-i) : 1;
            int y = i <= b.rank() ? b.dim(-i) : 1;
            if (x != y && x != 1 && y != 1) {
                report.mismatch(rank - i, Integer.toString(x), Integer.toString(y), hint.of(a, b, rank - i));
                return null;
            }
            out[rank - i] = x == 1 ? y : x;
        }
        return TensorShape.unbatched(out);
    }

    private static String batches(TensorShape shape) {
        return shape.batches() == 1 ? "one batch" : shape.batches() + " batches";
    }

    /** The hint for a mismatch on a sample axis. */
    interface Hint {
        String of(TensorShape a, TensorShape b, int axis);
    }

    /** The generic hint. */
    static String sameShape(TensorShape a, TensorShape b, int axis) {
        return "make both operands the same shape, or 1 where one should broadcast";
    }
}
