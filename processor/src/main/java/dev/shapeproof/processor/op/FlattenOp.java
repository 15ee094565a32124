package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** {@code @Flatten}: PyTorch's {@code nn.Flatten(start_dim, end_dim)}; the batch dimension stays free. */
final class FlattenOp extends UnaryOp<Pair> {
    FlattenOp() {
        super("Flatten", List.of());
    }

    /** {@code torch.flatten} and {@code x.flatten()}: unlike {@code nn.Flatten}, they start at dimension 0. */
    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("flatten",
                Param.tensor("input"),
                Param.optional("start_dim", "startDim", ParamKind.INT, 0, "0"),
                Param.optional("end_dim", "endDim", ParamKind.INT, -1, "-1")).in(Namespace.TORCH));
    }

    /** {@code x.flatten(start_dim, end_dim)}, with {@code torch.flatten}'s defaults. */
    @Override
    public List<FunctionSignature> methods() {
        return functions();
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("Flatten",
                Param.optionalModule("start_dim", "startDim", ParamKind.INT, "1"),
                Param.optionalModule("end_dim", "endDim", ParamKind.INT, "-1"));
    }

    @Override
    public boolean flattens(TensorShape output) {
        return true;
    }

    /** A flatten of a contiguous tensor is a view. */
    @Override
    public boolean aliasesInput() {
        return true;
    }

    /** The attributes as written (start, end); they are resolved against the input's rank in {@link #infer}. */
    @Override
    public Pair configure(NodeContext node) {
        return new Pair(node.attribute("startDim").asInt(), node.attribute("endDim").asInt());
    }

    @Override
    TensorShape infer(Pair dims, TensorShape input, NodeContext node) {
        int rank = input.rank();
        for (String attribute : List.of("startDim", "endDim")) {
            Attribute dim = node.attribute(attribute);
            if (!input.hasAxis(dim.asInt())) {
                node.report(dim.location(), Message.DIM_OUT_OF_RANGE, node.name(), attribute, dim.asInt(), rank,
                        input, -rank, rank - 1, "use 1 to flatten from the channels, -1 for the last dimension");
                return null;
            }
        }
        int start = input.normalizeAxis(dims.height());
        int end = input.normalizeAxis(dims.width());
        if (start == 0) {
            node.report(node.attribute("startDim").location(), Message.INVALID_FLATTEN_DIMS, node.name(),
                    "startDim = " + dims.height() + " would merge the free batch dimension into the features",
                    dims.height(), dims.width(), input, "use startDim = 1, PyTorch's nn.Flatten default");
            return null;
        }
        if (start > end) {
            // On the one the user wrote; if both, on startDim.
            Attribute blamed = node.attribute("startDim").explicit() || !node.attribute("endDim").explicit()
                    ? node.attribute("startDim")
                    : node.attribute("endDim");
            node.report(blamed.location(), Message.INVALID_FLATTEN_DIMS, node.name(),
                    "startDim = " + dims.height() + " comes after endDim = " + dims.width(),
                    dims.height(), dims.width(), input, "swap them, or use the defaults startDim = 1, endDim = -1");
            return null;
        }
        long[] sample = flatten(input, start, end);
        Attribute blamed = node.attribute("startDim").explicit() || !node.attribute("endDim").explicit()
                ? node.attribute("startDim")
                : node.attribute("endDim");
        return Shapes.output(input, sample, node, blamed.location(),
                "flattening " + String.join("×", java.util.Arrays.stream(input.dims()).skip(start)
                        .limit(end - start + 1).mapToObj(Integer::toString).toList()),
                "pool the map smaller before the flatten, e.g. with adaptive_avg_pool2d");
    }

    /** The sample sizes after merging dimensions {@code start..end} (both ≥ 1) into one, exactly. */
    static long[] flatten(TensorShape input, int start, int end) {
        int[] dims = input.dims();
        long[] out = new long[dims.length - 1 - (end - start)];
        int j = 0;
        for (int i = 1; i < start; i++) {
            out[j++] = dims[i];
        }
        long merged = 1;
        for (int i = start; i <= end; i++) {
            merged = Shapes.times(merged, dims[i]);
        }
        out[j++] = merged;
        for (int i = end + 1; i < dims.length; i++) {
            out[j++] = dims[i];
        }
        return out;
    }

    /** A view where one fits, as a reshape: a flatten that does not copies into a fresh tensor. */
    @Override
    public Strides strides(Pair dims, List<TensorShape> inputs, List<Strides> inputStrides, TensorShape output) {
        return inputStrides.get(0).viewedAs(inputs.get(0), output).orElseGet(() -> Strides.contiguous(output));
    }

    /** A flatten over the spatial axes is one window over the whole map. */
    @Override
    ReceptiveField[] receptiveField(Pair dims, TensorShape input, ReceptiveField height,
            ReceptiveField width) {
        if (input.rank() != 4 || input.normalizeAxis(dims.height()) > 2 || input.normalizeAxis(dims.width()) != 3) {
            return new ReceptiveField[] {height, width};
        }
        return Windows.wholeMap(input, height, width);
    }

    @Override
    public CodeBlock call(Pair dims, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f("flatten", arguments.get(0), dims.height(), dims.width());
    }

    @Override
    CodeBlock newLayer(String name, Pair dims, TensorShape input) {
        return CodeBlock.of("new $T($S, $L, $L)", ClassName.bestGuess(layerClassName()), name, dims.height(),
                dims.width());
    }
}
