package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import dev.shapeproof.sizes.Size;
import dev.shapeproof.sizes.SymbolicShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Each op's size rule in symbols: the output's {@link Size}s from the inputs', and the size from which the op's checks
 * no longer depend on how large its free input sizes are, only on their remainders and on how they compare.
 *
 * <p>The checks themselves are never restated here: {@link Replay} runs each op's own {@code infer}. A rule only
 * describes how sizes flow, and {@link SizeAnalysis} checks it against {@code infer}'s results at every size it
 * evaluates. An op without a rule of its own gets the general one: each output size is the input size it equals at
 * the reference size (the same axis first), or fixed; {@link SizeAnalysis} refuses the periodic extension where that
 * guess fails at any size.
 */
final class SizeRules {
    /** Ops whose output keeps its input's shape and whose checks ignore the free sizes. */
    private static final Set<String> SHAPE_KEEPING = Set.of("ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "Dropout",
            "Dropout2d", "BatchNorm2d", "Softmax", "LogSoftmax");

    /** Windowed ops, whose spatial sizes follow {@link Window#outputLength}. */
    private static final Set<String> WINDOWED = Set.of("Conv2d", "MaxPool2d", "AvgPool2d");

    private SizeRules() {}

    /**
     * A node's output in symbols and its threshold.
     *
     * @param threshold the size from which every free input size of the node leaves its checks to remainders and
     *     comparisons: past it a window fits, a broadcast never meets a 1, a size never equals one of the op's
     *     constants
     * @param general whether the general rule gave it (see the class comment)
     * @param ties free sizes that the op's checks tie together beyond its output's sizes (a view checks the product
     *     of all its input's sizes)
     */
    record Rule(SymbolicShape output, long threshold, boolean general, Set<String> ties) {
        Rule(SymbolicShape output, long threshold, boolean general) {
            this(output, threshold, general, Set.of());
        }
    }

    static Rule rule(CheckedNode<?> node, List<SymbolicShape> inputs) {
        String op = node.op().name();
        if (SHAPE_KEEPING.contains(op)) {
            return new Rule(inputs.get(0), 1, false);
        }
        if (WINDOWED.contains(op) && node.windows() != null && node.output().rank() == 4) {
            return windowed(node, inputs.get(0));
        }
        return switch (op) {
            case "AdaptiveAvgPool2d", "AdaptiveMaxPool2d" -> new Rule(fixedSpatial(inputs.get(0), node.output()),
                    Math.max(node.output().dim(2), node.output().dim(3)) + 1L, false);
            case "interpolate" -> interpolate(node, inputs.get(0), "scale_factor");
            case "Upsample" -> interpolate(node, inputs.get(0), "scaleFactor");
            case "ConvTranspose2d" -> transposed(node, inputs);
            case "pad" -> pad(node, inputs);
            case "Linear" -> linear(node, inputs.get(0));
            case "Flatten" -> flatten(node, inputs.get(0));
            case "view" -> view(node, inputs.get(0));
            case "add", "sub", "mul", "div" -> inputs.size() == 2 ? add(inputs) : new Rule(inputs.get(0), 1, false);
            case "cat" -> cat(node, inputs);
            default -> general(node, inputs);
        };
    }

    private static Rule windowed(CheckedNode<?> node, SymbolicShape input) {
        Window[] windows = node.windows();
        List<Size> sample = new ArrayList<>(input.sample());
        sample.set(0, Size.of(node.output().dim(1)));
        long threshold = 1;
        for (int axis = 0; axis < 2; axis++) {
            sample.set(1 + axis, input.dim(2 + axis).through(windows[axis]));
            // From k_eff + stride on, the window fits and a ceil-mode pool's output is past its small-size special case.
            threshold = Math.max(threshold, windows[axis].effectiveKernel() + windows[axis].stride());
        }
        return new Rule(SymbolicShape.batchOf(sample), threshold, false);
    }

    private static SymbolicShape fixedSpatial(SymbolicShape input, TensorShape output) {
        List<Size> sample = new ArrayList<>(input.sample());
        for (int axis = 2; axis < output.rank(); axis++) {
            sample.set(axis - 1, Size.of(output.dim(axis)));
        }
        return SymbolicShape.batchOf(sample);
    }

    private static Rule interpolate(CheckedNode<?> node, SymbolicShape input, String attribute) {
        Attribute scale = node.node().attributes().get(attribute);
        if (!scale.explicit()) {
            return new Rule(fixedSpatial(input, node.output()), 1, false);
        }
        double factor = scale.asDouble();
        List<Size> sample = new ArrayList<>(input.sample());
        sample.set(1, input.dim(2).scaledBy(factor));
        sample.set(2, input.dim(3).scaledBy(factor));
        // From here on ⌊x·factor⌋ ≥ 1: the output is never empty.
        return new Rule(SymbolicShape.batchOf(sample), (long) Math.ceil(1 / factor) + 1, false);
    }

    /**
     * A transposed convolution: {@code (i − 1)·s − 2p + d·(k − 1) + op + 1}, that is {@code s·i + c} with a constant
     * {@code c} the reference sizes give. Past twice its largest attribute the output is never empty.
     */
    private static Rule transposed(CheckedNode<?> node, List<SymbolicShape> inputs) {
        if (node.output().rank() != 4 || inputs.size() != 1) {
            return general(node, inputs);
        }
        SymbolicShape input = inputs.get(0);
        List<Size> sample = new ArrayList<>(input.sample());
        sample.set(0, Size.of(node.output().dim(1)));
        List<Integer> stride = ints(node.node().attributes().get("stride"));
        for (int axis = 0; axis < 2; axis++) {
            int s = stride.size() == 1 ? stride.get(0) : stride.get(axis);
            long offset = node.output().dim(2 + axis) - (long) s * node.input().dim(2 + axis);
            sample.set(1 + axis, input.dim(2 + axis).times(s).plus(offset));
        }
        return new Rule(SymbolicShape.batchOf(sample), 2 * largestAttribute(node) + 2, false);
    }

    /**
     * {@code pad}: each padded axis grows by its two paddings, constants that the reference sizes give (a negative
     * padding crops). Past its largest padding a reflect or circular padding fits and a crop leaves a size.
     */
    private static Rule pad(CheckedNode<?> node, List<SymbolicShape> inputs) {
        SymbolicShape input = inputs.get(0);
        TensorShape reference = node.input();
        if (input.rank() != node.output().rank()) {
            return general(node, inputs);
        }
        List<Size> sample = new ArrayList<>();
        for (int axis = 1; axis < input.rank(); axis++) {
            sample.add(input.dim(axis).plus((long) node.output().dim(axis) - reference.dim(axis)));
        }
        return new Rule(SymbolicShape.batchOf(sample), largestAttribute(node) + 2, false);
    }

    /** An int or an int array attribute as a list. */
    private static List<Integer> ints(Attribute attribute) {
        return attribute.value() instanceof Integer single ? List.of(single) : attribute.asInts();
    }

    private static long largestAttribute(CheckedNode<?> node) {
        long largest = 0;
        for (long number : attributes(node)) {
            largest = Math.max(largest, number);
        }
        return largest;
    }

    private static Rule linear(CheckedNode<?> node, SymbolicShape input) {
        List<Size> sample = new ArrayList<>(input.sample());
        sample.set(sample.size() - 1, Size.of(node.output().dim(-1)));
        // A free last size equals `in` at one size at most: past `in` it never does.
        return new Rule(SymbolicShape.batchOf(sample), node.input().dim(-1) + 1L, false);
    }

    private static Rule flatten(CheckedNode<?> node, SymbolicShape input) {
        int rank = input.rank();
        int start = normalize(node.node().attributes().get("startDim").asInt(), rank);
        int end = normalize(node.node().attributes().get("endDim").asInt(), rank);
        List<Size> sample = new ArrayList<>();
        for (int axis = 1; axis < start; axis++) {
            sample.add(input.dim(axis));
        }
        sample.add(Size.product(input.sample().subList(start - 1, end).toArray(new Size[0])));
        for (int axis = end + 1; axis < rank; axis++) {
            sample.add(input.dim(axis));
        }
        return new Rule(SymbolicShape.batchOf(sample), 1, false);
    }

    private static int normalize(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    /** {@code x.view(-1, 320)}: the written sizes, and {@code -1} for what the sample's elements leave. */
    private static Rule view(CheckedNode<?> node, SymbolicShape input) {
        List<Integer> written = node.node().attributes().get("shape").asInts();
        List<Size> sample = new ArrayList<>();
        long known = 1;
        int inferred = -1;
        for (int i = 1; i < written.size(); i++) {
            int size = written.get(i);
            if (size == -1) {
                inferred = i - 1;
                sample.add(null);
            } else {
                known = Math.multiplyExact(known, size);
                sample.add(Size.of(size));
            }
        }
        if (inferred >= 0) {
            sample.set(inferred, input.sampleSize().floorDiv(known));
        }
        // A sample of a fixed element count: a free size past that count makes it larger. The count is the product
        // of every input size: a view ties them all.
        return new Rule(SymbolicShape.batchOf(sample), known + 1, false, input.symbols());
    }

    /** PyTorch's broadcasting, right-aligned: where the add passes, the larger of each pair of sizes. */
    private static Rule add(List<SymbolicShape> inputs) {
        SymbolicShape a = inputs.get(0);
        SymbolicShape b = inputs.get(1);
        int rank = Math.max(a.rank(), b.rank());
        List<Size> sample = new ArrayList<>();
        for (int axis = 1; axis < rank; axis++) {
            Size x = aligned(a, axis, rank);
            Size y = aligned(b, axis, rank);
            if (x == null || y == null) {
                sample.add(x == null ? y : x);
            } else if (x.isConstant() != y.isConstant() && !x.equals(Size.of(1)) && !y.equals(Size.of(1))) {
                // A fixed size against a free one: where the add passes, the free one is 1 or equal to it.
                sample.add(x.isConstant() ? x : y);
            } else {
                sample.add(Size.broadcast(x, y));
            }
        }
        // From 2 on a free size is never a broadcast 1.
        return new Rule(SymbolicShape.batchOf(sample), 2, false);
    }

    /** Axis {@code axis} of a result of rank {@code rank}, right-aligned in {@code shape}; null where it has none. */
    static Size aligned(SymbolicShape shape, int axis, int rank) {
        int own = axis - (rank - shape.rank());
        return own >= 1 ? shape.dim(own) : null;
    }

    private static Rule cat(CheckedNode<?> node, List<SymbolicShape> inputs) {
        SymbolicShape first = inputs.get(0);
        int dim = normalize(node.node().attributes().find("dim").map(Attribute::asInt).orElse(0), first.rank());
        List<Size> sample = new ArrayList<>(first.sample());
        if (dim >= 1) {
            List<Size> joined = new ArrayList<>();
            for (SymbolicShape input : inputs) {
                joined.add(input.dim(dim));
            }
            sample.set(dim - 1, Size.sum(joined.toArray(new Size[0])));
        }
        return new Rule(SymbolicShape.batchOf(sample), 1, false);
    }

    /**
     * An op without a rule: each output size is the input size it equals at the reference size (first the same axis
     * of the first input, then any), else fixed; the threshold passes every whole number among its attributes.
     */
    private static Rule general(CheckedNode<?> node, List<SymbolicShape> inputs) {
        TensorShape output = node.output();
        List<Size> sample = new ArrayList<>();
        for (int axis = 1; axis < output.rank(); axis++) {
            sample.add(match(node, inputs, axis, output.dim(axis)));
        }
        long threshold = 2;
        for (var attribute : attributes(node)) {
            threshold = Math.max(threshold, attribute + 2);
        }
        return new Rule(SymbolicShape.batchOf(sample), threshold, true);
    }

    private static Size match(CheckedNode<?> node, List<SymbolicShape> inputs, int axis, int value) {
        if (!inputs.isEmpty() && inputs.get(0).rank() == node.output().rank() && node.inputs().get(0).dim(axis) == value) {
            return inputs.get(0).dim(axis);
        }
        for (int i = 0; i < inputs.size(); i++) {
            TensorShape reference = node.inputs().get(i);
            for (int other = 1; other < reference.rank(); other++) {
                if (reference.dim(other) == value && !inputs.get(i).dim(other).isConstant()) {
                    return inputs.get(i).dim(other);
                }
            }
        }
        return Size.of(value);
    }

    /** Every whole number among the node's attributes, for the general rule's threshold. */
    private static List<Long> attributes(CheckedNode<?> node) {
        List<Long> numbers = new ArrayList<>();
        for (Attribute attribute : node.node().attributes().all()) {
            Object value = attribute.value();
            if (value instanceof Integer number) {
                numbers.add(Math.abs((long) number));
            } else if (value instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Integer number) {
                        numbers.add(Math.abs((long) number));
                    }
                }
            }
        }
        return numbers;
    }
}
