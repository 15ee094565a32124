package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.stack([a, b, ...], dim)}: tensors of one shape joined along a new axis. Along dim 0 the new axis would
 * come before the batch, which is rejected on purpose (a cat along dim 0 is the way to join batches).
 */
final class StackOp extends OpDefinition<Integer> {
    StackOp() {
        super("stack", List.of());
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("stack", Param.tensors("tensors"),
                Param.optional("dim", "dim", ParamKind.INT, 0, "0")).in(Namespace.TORCH).withNumpyNames());
    }

    @Override
    public Integer configure(NodeContext node) {
        return node.attribute("dim").asInt();
    }

    @Override
    public TensorShape infer(Integer dim, List<TensorShape> inputs, NodeContext node) {
        TensorShape first = inputs.get(0);
        Attribute dimAttribute = node.attribute("dim");
        int rank = first.rank() + 1;
        if (dim < -rank || dim >= rank) {
            node.report(dimAttribute.location(), Message.DIM_OUT_OF_RANGE, node.name(), "dim", dim, rank, first,
                    -rank, rank - 1, "dim = 1 stacks right after the batch");
            return null;
        }
        int axis = dim < 0 ? dim + rank : dim;
        if (axis == 0) {
            node.report(dimAttribute.location(), Message.BATCH_AXIS, node.name(),
                    "stack along dim " + dim + " puts the new axis before the batch",
                    "dim = " + dim + " for inputs " + first, "dim ≥ 1 (or a negative dim that stays after the batch)",
                    dimAttribute.explicit() ? "stack along dim=1" : "add dim=1: stack's default dim 0 is the batch");
            return null;
        }
        for (int i = 1; i < inputs.size(); i++) {
            if (!inputs.get(i).equals(first)) {
                node.report(node.location(), Message.SHAPE_MISMATCH, node.name(),
                        "stack needs tensors of one shape, but input " + i + " differs from input 0",
                        "input 0 " + first + " from " + node.inputOrigin(0) + ", input " + i + " " + inputs.get(i)
                                + " from " + node.inputOrigin(i),
                        "every input " + first, "make the inputs the same shape, or cat them along an axis");
                return null;
            }
        }
        int[] sample = new int[rank - 1];
        for (int out = 1; out < rank; out++) {
            sample[out - 1] = out == axis ? inputs.size() : first.dim(out < axis ? out : out - 1);
        }
        return first.withSample(sample);
    }

    @Override
    public CodeBlock call(Integer dim, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        List<CodeBlock> all = new ArrayList<>();
        all.add(CodeBlock.of("$L", Math.floorMod(dim, output.rank())));
        all.addAll(arguments);
        return RuntimeCalls.f("stack", all);
    }
}
