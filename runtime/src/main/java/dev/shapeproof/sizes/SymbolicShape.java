package dev.shapeproof.sizes;

import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The shape of a tensor of a free-size model: the free batch first, then one {@link Size} per axis, e.g.
 * {@code [-1, 64, ⌈H/2⌉, ⌈W/2⌉]}. {@link #at} gives the {@link TensorShape} at given free sizes.
 */
public final class SymbolicShape {
    private final List<Size> sample;
    private final int batches;

    private SymbolicShape(List<Size> sample, int batches) {
        this.sample = List.copyOf(sample);
        this.batches = batches;
    }

    /** The batched shape whose sample has the sizes {@code sample}. */
    public static SymbolicShape batchOf(Size... sample) {
        return new SymbolicShape(List.of(sample), 1);
    }

    /** The batched shape whose sample has the sizes {@code sample}. */
    public static SymbolicShape batchOf(List<Size> sample) {
        return new SymbolicShape(sample, 1);
    }

    /** The shape of {@code shape}, whose sizes are all fixed. */
    public static SymbolicShape fixed(TensorShape shape) {
        List<Size> sample = new ArrayList<>();
        for (int dim : shape.sampleDims()) {
            sample.add(Size.of(dim));
        }
        return new SymbolicShape(sample, shape.batches());
    }

    /** Reads {@link #toSpec()}'s {@code [-1,64,ceil(H/2),ceil(W/2)]}. */
    public static SymbolicShape parse(String spec) {
        String text = spec.trim();
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw new IllegalArgumentException("not a shape spec: " + spec);
        }
        List<String> parts = splitTopLevel(text.substring(1, text.length() - 1));
        if (parts.isEmpty() || !parts.get(0).trim().equals("-1")) {
            throw new IllegalArgumentException("a shape spec starts with the batch, -1: " + spec);
        }
        List<Size> sample = new ArrayList<>();
        for (String part : parts.subList(1, parts.size())) {
            sample.add(Size.parse(part));
        }
        return new SymbolicShape(sample, 1);
    }

    /** Splits at the commas outside parentheses. */
    static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (!text.isBlank()) {
            parts.add(text.substring(start));
        }
        return parts;
    }

    /** The rank, batch included. */
    public int rank() {
        return sample.size() + 1;
    }

    /** The size of sample axis {@code axis} (1 is the first after the batch). */
    public Size dim(int axis) {
        if (axis < 1 || axis > sample.size()) {
            throw new IndexOutOfBoundsException("axis " + axis + " of " + this);
        }
        return sample.get(axis - 1);
    }

    /** The sizes of one sample. */
    public List<Size> sample() {
        return sample;
    }

    /** The elements of one sample: the product of the sample's sizes. */
    public Size sampleSize() {
        return Size.product(sample.toArray(new Size[0]));
    }

    /** The free sizes this shape depends on. */
    public Set<String> symbols() {
        Set<String> symbols = new LinkedHashSet<>();
        sample.forEach(size -> size.collectSymbols(symbols));
        return symbols;
    }

    /** Whether no size depends on a free size. */
    public boolean isFixed() {
        return sample.stream().allMatch(Size::isConstant);
    }

    /**
     * The concrete shape at {@code sizes}.
     *
     * @throws IllegalArgumentException if a size is not positive there: the model rejects those sizes
     */
    public TensorShape at(SizeValues sizes) {
        int[] dims = new int[sample.size() + 1];
        dims[0] = TensorShape.BATCH;
        for (int i = 0; i < sample.size(); i++) {
            dims[i + 1] = Math.toIntExact(sample.get(i).at(sizes));
        }
        return TensorShape.of(dims).withBatches(batches);
    }

    /** {@code [-1,64,ceil(H/2),ceil(W/2)]}: what generated code writes and {@link #parse} reads. */
    public String toSpec() {
        StringJoiner text = new StringJoiner(",", "[", "]");
        text.add("-1");
        sample.forEach(size -> text.add(size.toSpec()));
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SymbolicShape that && sample.equals(that.sample) && batches == that.batches;
    }

    @Override
    public int hashCode() {
        return 31 * sample.hashCode() + batches;
    }

    /** {@code [-1, 64, ⌈H/2⌉, ⌈W/2⌉]}, as torchsummary spells a shape. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "[", "]");
        text.add("-1");
        sample.forEach(size -> text.add(size.toString()));
        return text.toString();
    }
}
