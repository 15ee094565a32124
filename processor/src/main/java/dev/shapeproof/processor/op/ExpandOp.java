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
 * {@code x.expand(*sizes)}: size-1 axes repeated to the given sizes, {@code -1} keeping an axis. Its main use gives a
 * parameter the batch: ViT's {@code self.class_token.expand(n, -1, -1)} with {@code n = x.shape[0]}, the batch read
 * from a tensor, which becomes the node's second input so the generated code can read the number from it. A batched
 * tensor keeps its batch ({@code -1} or {@code x.size(0)} first).
 */
final class ExpandOp extends OpDefinition<ExpandOp.Config> {
    /** @param fromBatch whether the first size is the batch, read from a tensor at run time */
    record Config(List<Integer> sizes, boolean fromBatch) {}

    ExpandOp() {
        super("expand", List.of());
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<FunctionSignature> methods() {
        return List.of(FunctionSignature.of("expand", Param.tensor("self"),
                Param.required("size", "size", ParamKind.SIZES)));
    }

    @Override
    public boolean acceptsUnbatched(int index) {
        return index == 0;
    }

    @Override
    public Config configure(NodeContext node) {
        return new Config(node.attribute("size").asInts(), node.attribute("sizeFromBatch").asBoolean());
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        TensorShape input = inputs.get(0);
        Attribute attribute = node.attribute("size");
        List<Integer> sizes = config.sizes();
        String written = "expand(" + String.join(", ", writtenSizes(config)) + ")";
        int leading = sizes.size() - input.rank();
        if (leading < 0) {
            node.report(attribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                    written + " gives fewer sizes than the rank-" + input.rank() + " input " + input + " has axes",
                    written, "at least " + input.rank() + " sizes", "give one size per axis, -1 to keep one");
            return null;
        }
        if (input.isBatched()) {
            if (leading > 0 || !(sizes.get(0) == -1)) {
                node.report(attribute.location(), Message.BATCH_AXIS, node.name(),
                        written + " would " + (leading > 0 ? "put new axes before" : "change") + " the batch axis of "
                                + input, written, "the batch first, as -1 or x.size(0), then one size per axis",
                        "write expand(-1, ...) to keep the batch");
                return null;
            }
        }
        int[] out = new int[sizes.size()];
        for (int i = 0; i < sizes.size(); i++) {
            int size = sizes.get(i);
            int axis = i - leading;
            boolean batch = i == 0 && (config.fromBatch() || input.isBatched());
            if (batch) {
                if (axis >= 0 && !input.isBatched() && input.dim(axis) != 1) {
                    node.report(attribute.location(), Message.SHAPE_MISMATCH, node.name(),
                            written + " gives axis 0 of " + input + " the batch, but it has size " + input.dim(axis),
                            "axis 0 of size " + input.dim(axis), "size 1, which expand repeats for every sample",
                            "view it as [1, ...] first");
                    return null;
                }
                out[i] = TensorShape.BATCH;
                continue;
            }
            if (size == -1) {
                if (axis < 0) {
                    node.report(attribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                            written + " cannot keep (-1) axis " + i + ", which is new", written,
                            "a size for each new leading axis", "give the new axis its size");
                    return null;
                }
                out[i] = input.dim(axis);
                continue;
            }
            if (size <= 0) {
                node.report(attribute.location(), Message.NOT_POSITIVE, node.name(), "a size of " + written,
                        Integer.toString(size), "sizes count elements; -1 keeps an axis", "≥ 1");
                return null;
            }
            if (axis >= 0 && input.dim(axis) != 1 && input.dim(axis) != size) {
                node.report(attribute.location(), Message.SHAPE_MISMATCH, node.name(),
                        written + " changes axis " + axis + " of " + input + " from " + input.dim(axis) + " to " + size
                                + ", but expand repeats only axes of size 1",
                        "axis " + axis + " of size " + input.dim(axis), "size " + input.dim(axis) + " or -1 there",
                        "write -1 to keep it");
                return null;
            }
            out[i] = size;
        }
        if (out.length > 0 && out[0] == TensorShape.BATCH) {
            int batches = input.isBatched() ? input.batches() : inputs.size() > 1 ? inputs.get(1).batches() : 1;
            return TensorShape.of(out).withBatches(batches);
        }
        return TensorShape.unbatched(out);
    }

    private static List<String> writtenSizes(Config config) {
        List<String> sizes = new ArrayList<>();
        for (int i = 0; i < config.sizes().size(); i++) {
            sizes.add(i == 0 && config.fromBatch() ? "n" : config.sizes().get(i).toString());
        }
        return sizes;
    }

    /** A view: each axis repeated from size 1 (and each new one) reads the same elements again, stride 0. */
    @Override
    public Strides strides(Config config, List<TensorShape> inputs, List<Strides> inputStrides, TensorShape output) {
        return inputStrides.get(0).expanded(inputs.get(0), output);
    }

    /** PyTorch returns a view; the runtime a new array, so the parameter it expands is never written through it. */
    @Override
    public boolean aliasesInput() {
        return true;
    }

    /**
     * {@code F.expand(x, sizes...)}, {@code -1} keeping an axis; the batch of an expanded parameter is read from the
     * tensor it came from: {@code F.expand(classToken, x.size(0), 1, 768)}.
     */
    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, List<TensorShape> inputs, TensorShape output,
            boolean inPlace, CodeBlock training) {
        List<Object> sizes = new ArrayList<>();
        for (int i = 0; i < output.rank(); i++) {
            if (i == 0 && output.isBatched()) {
                sizes.add(inputs.get(0).isBatched() ? CodeBlock.of("-1")
                        : CodeBlock.of("$L.size(0)", arguments.get(1)));
            } else {
                sizes.add(output.dim(i));
            }
        }
        return RuntimeCalls.f("expand", arguments.get(0), sizes.toArray());
    }
}
