package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code x.view(...)} and {@code x.reshape(...)}. Checked per sample, which is stricter than PyTorch's whole-batch
 * check and catches more: the first size must be the batch ({@code -1} or {@code x.size(0)}), and the rest must hold
 * exactly one sample's elements, so no row ever mixes two samples.
 */
final class ViewOp extends OpDefinition<ViewOp.Config> {
    /** Marks the first size written as {@code x.size(0)} in the {@code shape} attribute the lowering builds. */
    static final String BATCH_FROM_SIZE = "batchFromSize";
    /** When the node copies, by {@link Copy}'s name, in the attributes the lowering builds. */
    static final String COPIES = "copies";

    /** When the elements are copied into a fresh tensor rather than viewed in place. */
    enum Copy {
        /** {@code view}: never; sizes no view can have are an error. */
        NEVER,
        /** {@code reshape}: when no view has the sizes. */
        WHEN_NO_VIEW_FITS,
        /** {@code contiguous()} of a tensor whose axes are out of order: always. */
        ALWAYS
    }

    /** The sizes as written, the batch first, and when the result is a copy. */
    record Config(List<Integer> sizes, Copy copy) {}

    ViewOp() {
        super("view", List.of());
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public Config configure(NodeContext node) {
        return new Config(node.attribute("shape").asInts(), Copy.valueOf(node.attribute(COPIES).asString()));
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        List<Integer> sizes = config.sizes();
        TensorShape input = inputs.get(0);
        Attribute shape = node.attribute("shape");
        boolean batchFromSize = node.attribute(BATCH_FROM_SIZE).asBoolean();
        long sample = input.sampleSize();
        String written = written(sizes, batchFromSize);
        if (sizes.isEmpty() || (!batchFromSize && sizes.get(0) != -1)) {
            node.report(shape.location(), Message.VIEW_MISMATCH, node.name(),
                    "the first size of " + written + " must be the free batch dimension", input,
                    input.sampleToString(), sample, "view(-1, ...) or view(x.size(0), ...)",
                    "write -1 (or x.size(0)) first; the batch size is not known at compile time");
            return null;
        }
        List<Integer> rest = sizes.subList(1, sizes.size());
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < rest.size(); i++) {
            int size = rest.get(i);
            if (size == -1 && (inferred >= 0 || !batchFromSize)) {
                node.report(shape.location(), Message.VIEW_MISMATCH, node.name(),
                        written + " has more than one size to infer", input, input.sampleToString(), sample,
                        "one -1 at most; with -1 first, every other size given",
                        "write view(x.size(0), -1) to infer the features, or give them: view(-1, " + sample + ")");
                return null;
            }
            if (size == -1) {
                inferred = i;
            } else if (size <= 0) {
                node.report(shape.location(), Message.VIEW_MISMATCH, node.name(),
                        written + " has a size " + size, input, input.sampleToString(), sample,
                        "positive sizes (and one -1)", "sizes count elements; use -1 to infer one");
                return null;
            } else {
                known = Shapes.times(known, size); // saturates: a product beyond a long cannot be one sample
            }
        }
        if (inferred >= 0 ? sample % known != 0 : known != sample) {
            // The hint says what the sizes written would do to the rows, as PyTorch would run them.
            String hint;
            if (inferred < 0 && known < sample && sample % known == 0) {
                hint = "this would split each sample into " + (sample / known) + " rows and change the batch size; "
                        + "use view(-1, " + sample + ")";
            } else if (inferred < 0 && known > sample && known % sample == 0 && known != Long.MAX_VALUE) {
                hint = "this would fold " + (known / sample) + " samples into each row and change the batch size; "
                        + "use view(-1, " + sample + ")";
            } else {
                hint = "the sizes must multiply to " + sample + ", e.g. view(-1, " + sample + ")";
            }
            node.report(shape.location(), Message.VIEW_MISMATCH, node.name(),
                    written + " does not hold one sample's " + sample + " elements", input,
                    input.sampleToString(), sample,
                    inferred >= 0 ? "sizes that divide " + sample : "sizes whose product is " + sample, hint);
            return null;
        }
        long[] out = new long[rest.size()];
        for (int i = 0; i < rest.size(); i++) {
            out[i] = i == inferred ? sample / known : rest.get(i);
        }
        TensorShape output = Shapes.output(input, out, node, shape.location(), written,
                "keep more axes, e.g. view(-1, C, H·W)");
        Strides strides = node.inputStrides();
        if (output != null && config.copy() == Copy.NEVER && strides != null && strides.viewedAs(input, output).isEmpty()) {
            node.report(shape.location(), Message.VIEW_STRIDES, node.name(), written, input, node.inputOrigin(),
                    strides);
            return null;
        }
        return output;
    }

    /** A view where one fits (the only case a view is accepted); a copy is a fresh tensor. */
    @Override
    public Strides strides(Config config, List<TensorShape> inputs, List<Strides> inputStrides, TensorShape output) {
        if (config.copy() == Copy.ALWAYS) {
            return Strides.contiguous(output);
        }
        return inputStrides.get(0).viewedAs(inputs.get(0), output).orElseGet(() -> Strides.contiguous(output));
    }

    private static String written(List<Integer> sizes, boolean batchFromSize) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            parts.add(i == 0 && batchFromSize ? "x.size(0)" : sizes.get(i).toString());
        }
        return "view(" + String.join(", ", parts) + ")";
    }

    /** A view to rank 2 is the forward text's flatten: later messages say "after the flatten". */
    @Override
    public boolean flattens(TensorShape output) {
        return output.rank() == 2;
    }

    /** A view of a contiguous tensor shares its storage. */
    @Override
    public boolean aliasesInput() {
        return true;
    }

    /** Collapsing an image's spatial axes is a window over the whole map, as a flatten is. */
    @Override
    public ReceptiveField[] receptiveField(Config config, List<TensorShape> inputs, ReceptiveField height,
            ReceptiveField width) {
        TensorShape input = inputs.get(0);
        if (input.rank() != 4 || config.sizes().size() > 2) {
            return new ReceptiveField[] {height, width};
        }
        return Windows.wholeMap(input, height, width);
    }

    /** Reshapes to the proven shape: the batch stays -1, every other size is a constant. */
    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        Object[] dims = java.util.Arrays.stream(output.dims()).mapToObj(dim -> dim + "L").toArray();
        return RuntimeCalls.f("reshape", arguments.get(0), dims);
    }
}
