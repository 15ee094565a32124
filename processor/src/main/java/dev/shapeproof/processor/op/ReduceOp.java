package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mean}, {@code sum} and {@code amax} over sample axes, with {@code keepdim}: {@code x.mean([2, 3])} (ShuffleNet's
 * global pool), {@code torch.mean(x, (2, 3), keepdim=True)} (MNASNet). A reduction that reaches the batch axis
 * (dim 0, or no dim: every axis) would mix the samples of a batch, and is rejected on purpose.
 */
final class ReduceOp extends UnaryOp<ReduceOp.Config> {
    /** @param axes the reduced axes, as written (resolved against the input's rank when checked) */
    record Config(List<Integer> dims, boolean keepdim) {}

    private final String kernel;
    private final boolean hasDtype;

    private ReduceOp(String name, String kernel, boolean hasDtype) {
        super(name, List.of());
        this.kernel = kernel;
        this.hasDtype = hasDtype;
    }

    static ReduceOp mean() {
        return new ReduceOp("mean", "mean", true);
    }

    static ReduceOp sum() {
        return new ReduceOp("sum", "sum", true);
    }

    static ReduceOp amax() {
        return new ReduceOp("amax", "amax", false);
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<FunctionSignature> functions() {
        List<Param> params = new ArrayList<>(List.of(Param.tensor("input"),
                Param.optional("dim", "dim", ParamKind.INTS, List.of(), hasDtype ? "None" : "()"),
                Param.optional("keepdim", "keepdim", ParamKind.BOOL, false, "False")));
        if (hasDtype) {
            params.add(Param.unsupported("dtype").byKeyword());
        }
        return List.of(new FunctionSignature(name(), params).in(Namespace.TORCH).withNumpyNames());
    }

    @Override
    public List<FunctionSignature> methods() {
        return functions();
    }

    @Override
    public Config configure(NodeContext node) {
        Attribute dim = node.attribute("dim");
        if (!dim.explicit()) {
            node.report(dim.location(), Message.BATCH_AXIS, node.name(),
                    name() + " without dim reduces every axis, the batch included",
                    name() + "() of every axis", "the sample axes to reduce, e.g. dim=(2, 3)",
                    "give dim: " + name() + "(x, dim=(2, 3)) pools over height and width per sample");
            return null;
        }
        return new Config(dim.asInts(), node.attribute("keepdim").asBoolean());
    }

    @Override
    TensorShape infer(Config config, TensorShape input, NodeContext node) {
        List<Integer> axes = Dims.axes(config.dims(), input, node.attribute("dim"), node, "reduce over",
                "reduce over sample axes only, e.g. dim=(2, 3) for height and width");
        if (axes == null) {
            return null;
        }
        List<Integer> sample = new ArrayList<>();
        for (int axis = 1; axis < input.rank(); axis++) {
            if (!axes.contains(axis)) {
                sample.add(input.dim(axis));
            } else if (config.keepdim()) {
                sample.add(1);
            }
        }
        return input.withSample(sample.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Reducing an image's height and width is a window over the whole map. */
    @Override
    ReceptiveField[] receptiveField(Config config, TensorShape input, ReceptiveField height, ReceptiveField width) {
        List<Integer> axes = config.dims().stream().map(input::normalizeAxis).toList();
        if (input.rank() == 4 && axes.contains(2) && axes.contains(3)) {
            return Windows.wholeMap(input, height, width);
        }
        return new ReceptiveField[] {height, width};
    }

    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        List<Object> rest = new ArrayList<>();
        rest.add(config.keepdim());
        rest.addAll(config.dims());
        return RuntimeCalls.f(kernel, arguments.get(0), rest.toArray());
    }
}
