package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/** {@code cat([a, b, ...], dim)}: concatenation, as {@code torch.cat}. */
final class CatOp extends OpDefinition<Integer> {
    CatOp() {
        super("cat", List.of());
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("cat",
                Param.tensors("tensors"),
                Param.optional("dim", "dim", ParamKind.INT, 0, "0")).in(Namespace.TORCH).withNumpyNames());
    }

    /**
     * Channels last when every input is, else contiguous: {@code torch.cat} lays its output out in its inputs' common
     * suggested memory format and falls back to contiguous when they differ.
     */
    @Override
    public Strides strides(Integer dim, List<TensorShape> inputs, List<Strides> inputStrides, TensorShape output) {
        if (output.rank() != 4) {
            return Strides.contiguous(output);
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputStrides.get(i).isChannelsLast(inputs.get(i))) {
                return Strides.contiguous(output);
            }
        }
        return Strides.channelsLast(output);
    }

    @Override
    public Integer configure(NodeContext node) {
        return node.attribute("dim").asInt();
    }

    /**
     * PyTorch's {@code torch.cat}: one rank, equal sizes but along {@code dim}. Along dim 0, the batch axis, the result
     * holds the inputs' batches one after the other ({@link TensorShape#batches()}); written without dim that is
     * PyTorch's default and almost always a forgotten {@code dim=1}, so it is the {@code CatOverBatch} lint.
     */
    @Override
    public TensorShape infer(Integer dim, List<TensorShape> inputs, NodeContext node) {
        TensorShape first = inputs.get(0);
        int rank = first.rank();
        Attribute dimAttribute = node.attribute("dim");
        if (!first.hasAxis(dim)) {
            node.report(dimAttribute.location(), Message.DIM_OUT_OF_RANGE, node.name(), "dim", dim, rank, first,
                    -rank, rank - 1, "dim = 1 concatenates channels (or features)");
            return null;
        }
        int axis = first.normalizeAxis(dim);
        long total = 0;
        int batches = 0;
        for (int i = 0; i < inputs.size(); i++) {
            TensorShape input = inputs.get(i);
            if (input.rank() != rank) {
                node.report(node.location(), Message.WRONG_ARGUMENTS, node.name(),
                        "cat needs inputs of one rank, but input " + i + " has rank " + input.rank()
                                + " and input 0 rank " + rank,
                        "input 0 " + first + " from " + node.inputOrigin(0) + ", input " + i + " " + input + " from "
                                + node.inputOrigin(i),
                        "rank " + rank + " for every input", "flatten or view the inputs alike before the cat");
                return null;
            }
            if (axis != 0 && input.batches() != first.batches()) {
                node.report(node.location(), Message.CAT_MISMATCH, node.name(), axis, i, 0, first,
                        node.inputOrigin(0), input, node.inputOrigin(i), "N·" + first.batches(),
                        "input 0 holds " + batchesText(first) + " and input " + i + " " + batchesText(input)
                                + " (a cat along the batch axis): give them the same batch");
                return null;
            }
            for (int other = 1; other < rank; other++) {
                if (other != axis && input.dim(other) != first.dim(other)) {
                    node.report(node.location(), Message.CAT_MISMATCH, node.name(), axis, i, other, first,
                            node.inputOrigin(0), input, node.inputOrigin(i), Integer.toString(first.dim(other)),
                            hint(first, input, other, axis, dimAttribute.explicit()));
                    return null;
                }
            }
            total += axis == 0 ? 0 : input.dim(axis);
            batches += input.batches();
        }
        if (axis == 0) {
            if (!dimAttribute.explicit()) {
                node.report(node.location(), Message.CAT_OVER_BATCH, node.name(), batches,
                        inputs.size() + " inputs " + first.sampleToString() + " per sample");
            }
            return first.withBatches(batches);
        }
        if (total > Shapes.MAX_DIM) {
            node.report(dimAttribute.location(), Message.SIZE_OVERFLOW, node.name(), "cat along dim " + dim,
                    "axis " + axis, "axis " + axis + " of " + Shapes.count(total),
                    "every dimension ≤ " + Shapes.count(Shapes.MAX_DIM), "join fewer or smaller tensors");
            return null;
        }
        return first.withDim(axis, (int) total);
    }

    private static String batchesText(TensorShape shape) {
        return shape.batches() == 1 ? "one batch" : shape.batches() + " batches";
    }

    private static String hint(TensorShape first, TensorShape input, int axis, int catAxis, boolean dimWritten) {
        if (catAxis == 0 && !dimWritten) {
            return "cat without dim joins along dim 0, the batch: add dim=" + axis + " to join axis " + axis;
        }
        if (first.rank() == 4 && axis >= 2) {
            return "resize it to " + first.dim(2) + "×" + first.dim(3) + " first (interpolate(..., size=("
                    + first.dim(2) + ", " + first.dim(3) + "))), or pad/stride the branches alike";
        }
        return "make the branches agree on axis " + axis;
    }

    @Override
    public CodeBlock call(Integer dim, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        List<CodeBlock> all = new ArrayList<>();
        all.add(CodeBlock.of("$L", dim));
        all.addAll(arguments);
        return RuntimeCalls.f("cat", all);
    }
}
