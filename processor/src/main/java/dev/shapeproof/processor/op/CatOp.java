package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
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
                Param.optional("dim", "dim", ParamKind.INT, 0, "0")));
    }

    @Override
    public Integer configure(NodeContext node) {
        return node.attribute("dim").asInt();
    }

    @Override
    public TensorShape infer(Integer dim, List<TensorShape> inputs, NodeContext node) {
        TensorShape first = inputs.get(0);
        int rank = first.rank();
        if (!first.hasAxis(dim) || first.normalizeAxis(dim) == 0) {
            node.report(node.attribute("dim").location(), Message.DIM_OUT_OF_RANGE, node.name(), "dim", dim, rank,
                    first, 1 - rank, rank - 1,
                    "dim = 1 concatenates channels; dim 0 would change the batch, which stays free");
            return null;
        }
        int axis = first.normalizeAxis(dim);
        int total = 0;
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
            for (int other = 1; other < rank; other++) {
                if (other != axis && input.dim(other) != first.dim(other)) {
                    node.report(node.location(), Message.CAT_MISMATCH, node.name(), axis, i, other, first,
                            node.inputOrigin(0), input, node.inputOrigin(i), first.dim(other),
                            hint(first, input, other));
                    return null;
                }
            }
            total += input.dim(axis);
        }
        return first.withDim(axis, total);
    }

    private static String hint(TensorShape first, TensorShape input, int axis) {
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
