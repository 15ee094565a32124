package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code x[:, 0]}, {@code x[:, 1:-1, ::2]}: basic indexing by ints (the axis goes) and slices (the axis is cut), axis by
 * axis from the first, as PyTorch's. The first item must be {@code :}: indexing the batch axis would pick or cut
 * samples, and is rejected on purpose. The forward text's subscript is the attribute {@code index}, a list of
 * {@link Item}.
 */
final class IndexOp extends UnaryOp<List<IndexOp.Item>> {
    /**
     * One item of a subscript: an int ({@code index} set) or a slice with Python's optional bounds and step.
     *
     * @param index the int, or {@code null} for a slice
     */
    public record Item(Integer index, Integer start, Integer stop, Integer step) {
        public static Item at(int index) {
            return new Item(index, null, null, null);
        }

        public static Item slice(Integer start, Integer stop, Integer step) {
            return new Item(null, start, stop, step);
        }

        boolean isAll() {
            return index == null && start == null && stop == null && (step == null || step == 1);
        }

        @Override
        public String toString() {
            if (index != null) {
                return index.toString();
            }
            return (start == null ? "" : start) + ":" + (stop == null ? "" : stop) + (step == null ? "" : ":" + step);
        }
    }

    /** The resolved selection of one axis: an index, or {@code start:stop:step} with Python's bounds applied. */
    private record Resolved(boolean select, int start, int stop, int step) {
        int length() {
            return select ? 1 : Math.max(0, (stop - start + step - 1) / step);
        }
    }

    IndexOp() {
        super("index", List.of());
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Item> configure(NodeContext node) {
        return (List<Item>) node.attribute("index").value();
    }

    @Override
    TensorShape infer(List<Item> items, TensorShape input, NodeContext node) {
        List<Resolved> resolved = resolve(items, input, node);
        if (resolved == null) {
            return null;
        }
        List<Integer> sample = new ArrayList<>();
        for (int axis = 1; axis < input.rank(); axis++) {
            Resolved item = axis < resolved.size() ? resolved.get(axis) : null;
            if (item == null) {
                sample.add(input.dim(axis));
            } else if (!item.select()) {
                sample.add(item.length());
            }
        }
        return input.withSample(sample.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Each item against its axis, or {@code null} after reporting the first that PyTorch would reject ({@code node}
     * is read only to report: the generated call, whose items were checked, passes none).
     */
    private static List<Resolved> resolve(List<Item> items, TensorShape input, NodeContext node) {
        Attribute attribute = node == null ? null : node.attribute("index");
        String written = "x[" + String.join(", ", items.stream().map(Item::toString).toList()) + "]";
        if (items.size() > input.rank()) {
            node.report(attribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                    written + " indexes " + items.size() + " axes of the rank-" + input.rank() + " tensor " + input,
                    written, "at most " + input.rank() + " items", "index fewer axes");
            return null;
        }
        if (items.isEmpty() || !items.get(0).isAll()) {
            node.report(attribute.location(), Message.BATCH_AXIS, node.name(),
                    written + " would " + (items.isEmpty() || items.get(0).index() != null ? "pick samples" : "cut")
                            + " from the batch", written + " on " + input, "x[:, ...]: the first item `:`",
                    "index the sample axes: x[:, 0] takes item 0 of axis 1 for every sample");
            return null;
        }
        List<Resolved> resolved = new ArrayList<>();
        resolved.add(null);
        for (int axis = 1; axis < items.size(); axis++) {
            Item item = items.get(axis);
            int size = input.dim(axis);
            if (item.index() != null) {
                int index = item.index();
                if (index < -size || index >= size) {
                    node.report(attribute.location(), Message.INDEX_OUT_OF_RANGE, node.name(), index, axis, input,
                            size, -size, size - 1, "index within the axis, or slice it");
                    return null;
                }
                int at = index < 0 ? index + size : index;
                resolved.add(new Resolved(true, at, at + 1, 1));
                continue;
            }
            int step = item.step() == null ? 1 : item.step();
            if (step <= 0) {
                node.report(attribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                        "a slice step must be positive, as in PyTorch", "step " + step + " in " + written,
                        "step ≥ 1", "slice forwards; flip is not supported");
                return null;
            }
            int start = bound(item.start(), 0, size);
            int stop = bound(item.stop(), size, size);
            Resolved slice = new Resolved(false, start, Math.max(start, stop), step);
            if (slice.length() == 0) {
                node.report(attribute.location(), Message.NOT_POSITIVE, node.name(), "the slice " + item,
                        "an empty axis " + axis + " (of " + size + ")", "an index or slice that keeps something",
                        "≥ 1 element");
                return null;
            }
            resolved.add(slice);
        }
        return resolved;
    }

    /** Python's slice bound: negative counts from the end, then clamped to {@code [0, size]}. */
    private static int bound(Integer value, int absent, int size) {
        if (value == null) {
            return absent;
        }
        long at = value < 0 ? (long) value + size : value;
        return (int) Math.max(0, Math.min(size, at));
    }

    /** A view: each kept axis with its stride (times the slice's step); an axis indexed by an int is gone. */
    @Override
    public Strides strides(List<Item> items, List<TensorShape> inputs, List<Strides> inputStrides,
            TensorShape output) {
        TensorShape input = inputs.get(0);
        List<Resolved> resolved = resolve(items, input, null);
        List<Integer> axes = new ArrayList<>(List.of(0));
        List<Integer> steps = new ArrayList<>(List.of(1));
        for (int axis = 1; axis < input.rank(); axis++) {
            Resolved item = axis < resolved.size() ? resolved.get(axis) : null;
            if (item == null || !item.select()) {
                axes.add(axis);
                steps.add(item == null ? 1 : item.step());
            }
        }
        return inputStrides.get(0).indexed(axes.stream().mapToInt(Integer::intValue).toArray(),
                steps.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A view of its input in PyTorch; the runtime copies (see {@link PermuteOp#aliasesInput}). */
    @Override
    public boolean aliasesInput() {
        return true;
    }

    /**
     * Nested {@code F.slice} and {@code F.select} calls, the last axis first so that the axes before it keep their
     * numbers: {@code x[:, 0, 1:3]} is {@code F.select(F.slice(x, 2, 1, 3, 1), 1, 0)}.
     */
    @Override
    public CodeBlock call(List<Item> items, List<CodeBlock> arguments, List<TensorShape> inputs, TensorShape output,
            boolean inPlace, CodeBlock training) {
        List<Resolved> resolved = resolve(items, inputs.get(0), null);
        CodeBlock code = arguments.get(0);
        for (int axis = resolved.size() - 1; axis >= 1; axis--) {
            Resolved item = resolved.get(axis);
            if (item.select()) {
                code = RuntimeCalls.f("select", code, axis, item.start());
            } else if (item.start() != 0 || item.stop() != inputs.get(0).dim(axis) || item.step() != 1) {
                code = RuntimeCalls.f("slice", code, axis, item.start(), item.stop(), item.step());
            }
        }
        return code;
    }
}
