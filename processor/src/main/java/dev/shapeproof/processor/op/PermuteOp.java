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
 * {@code x.permute(0, 2, 3, 1)} and {@code x.transpose(1, 2)} (also {@code torch.permute}, {@code torch.transpose}):
 * the axes reordered. The batch axis stays first: a permutation that moves it is rejected on purpose.
 */
final class PermuteOp extends UnaryOp<List<Integer>> {
    private final boolean transpose;

    private PermuteOp(String name, boolean transpose) {
        super(name, List.of());
        this.transpose = transpose;
    }

    static PermuteOp permute() {
        return new PermuteOp("permute", false);
    }

    static PermuteOp transpose() {
        return new PermuteOp("transpose", true);
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(transpose
                ? FunctionSignature.of("transpose", Param.tensor("input"), Param.required("dim0", "dim0",
                        ParamKind.INT), Param.required("dim1", "dim1", ParamKind.INT)).in(Namespace.TORCH)
                : FunctionSignature.of("permute", Param.tensor("input"), Param.required("dims", "dims",
                        ParamKind.SIZES)).in(Namespace.TORCH));
    }

    @Override
    public List<FunctionSignature> methods() {
        return functions();
    }

    /** The attributes as written: {@code [dim0, dim1]} for a transpose, the dims for a permute. */
    @Override
    public List<Integer> configure(NodeContext node) {
        return transpose ? List.of(node.attribute("dim0").asInt(), node.attribute("dim1").asInt())
                : node.attribute("dims").asInts();
    }

    @Override
    TensorShape infer(List<Integer> dims, TensorShape input, NodeContext node) {
        int[] order = order(dims, input, node);
        if (order == null) {
            return null;
        }
        int[] sample = new int[order.length - 1];
        for (int i = 1; i < order.length; i++) {
            sample[i - 1] = input.dim(order[i]);
        }
        return input.withSample(sample);
    }

    /** The permutation, output axis to input axis, or {@code null} after reporting why there is none. */
    private int[] order(List<Integer> dims, TensorShape input, NodeContext node) {
        int rank = input.rank();
        String hint = "keep axis 0, the batch, first: reorder axes 1 to " + (rank - 1);
        if (transpose) {
            int first = Dims.axis(dims.get(0), rank, input, node.attribute("dim0"), node, "move", hint);
            if (first < 0) {
                return null;
            }
            int second = Dims.axis(dims.get(1), rank, input, node.attribute("dim1"), node, "move", hint);
            if (second < 0) {
                return null;
            }
            int[] order = identity(rank);
            order[first] = second;
            order[second] = first;
            return order;
        }
        Attribute attribute = node.attribute("dims");
        if (dims.size() != rank) {
            node.report(attribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                    "permute needs one dim per axis of its rank-" + rank + " input " + input + ", but has "
                            + dims.size(), "dims = " + dims, rank + " dims, a permutation of 0 to " + (rank - 1),
                    "list every axis once, e.g. permute" + example(rank));
            return null;
        }
        int[] order = new int[rank];
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int dim = dims.get(i);
            if (dim < -rank || dim >= rank) {
                node.report(attribute.location(), Message.DIM_OUT_OF_RANGE, node.name(), "dims", dim, rank, input,
                        -rank, rank - 1, "list every axis once, e.g. permute" + example(rank));
                return null;
            }
            int axis = dim < 0 ? dim + rank : dim;
            if (seen.contains(axis)) {
                node.report(attribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                        "permute lists axis " + axis + " twice", "dims = " + dims,
                        "a permutation of 0 to " + (rank - 1), "list every axis once, e.g. permute" + example(rank));
                return null;
            }
            seen.add(axis);
            order[i] = axis;
        }
        if (order[0] != 0) {
            node.report(attribute.location(), Message.BATCH_AXIS, node.name(),
                    "permute would move the batch axis to position " + seen.indexOf(0), "dims = " + dims,
                    "dims starting with 0", hint);
            return null;
        }
        return order;
    }

    /** A view: the input's strides, reordered as its axes are. */
    @Override
    public Strides strides(List<Integer> dims, List<TensorShape> inputs, List<Strides> inputStrides,
            TensorShape output) {
        int rank = output.rank();
        int[] order;
        if (transpose) {
            order = identity(rank);
            int first = inputs.get(0).normalizeAxis(dims.get(0));
            int second = inputs.get(0).normalizeAxis(dims.get(1));
            order[first] = second;
            order[second] = first;
        } else {
            order = dims.stream().mapToInt(inputs.get(0)::normalizeAxis).toArray();
        }
        return inputStrides.get(0).permuted(order);
    }

    private static int[] identity(int rank) {
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        return order;
    }

    private static String example(int rank) {
        List<String> dims = new ArrayList<>();
        dims.add("0");
        for (int i = rank - 1; i >= 1; i--) {
            dims.add(Integer.toString(i));
        }
        return "(" + String.join(", ", dims) + ")";
    }

    /**
     * A view in PyTorch. The runtime copies it into c order, which every later op reads fastest; it is still declared a
     * view, so an in-place op on it while its source is in use is the error it would be in PyTorch.
     */
    @Override
    public boolean aliasesInput() {
        return true;
    }

    @Override
    public CodeBlock call(List<Integer> dims, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        int rank = output.rank();
        int[] order;
        if (transpose) {
            order = identity(rank);
            int first = Math.floorMod(dims.get(0), rank);
            int second = Math.floorMod(dims.get(1), rank);
            order[first] = second;
            order[second] = first;
        } else {
            order = dims.stream().mapToInt(dim -> Math.floorMod(dim, rank)).toArray();
        }
        Object[] rest = java.util.Arrays.stream(order).boxed().toArray();
        return RuntimeCalls.f("permute", arguments.get(0), rest);
    }
}
