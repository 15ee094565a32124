package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.sizes.Size;
import dev.shapeproof.sizes.SizeValues;
import dev.shapeproof.sizes.SymbolicShape;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's free sizes as declared: each input's sample dims ({@code "3, H, W"}), the free sizes in the order they
 * first appear, and their bounds ({@code sizes = "H >= 32"}).
 *
 * @param symbols the free sizes, in the order they first appear in the inputs
 * @param bounds one per symbol, in the same order
 * @param inputs one per model input, in declaration order
 * @param sizes where {@code sizes} is (the model's annotation when it is not given)
 */
public record FreeSizeDeclaration(List<String> symbols, List<Bound> bounds, List<InputDims> inputs,
        Location sizes) {
    public FreeSizeDeclaration {
        symbols = List.copyOf(symbols);
        bounds = List.copyOf(bounds);
        inputs = List.copyOf(inputs);
    }

    /**
     * The range a free size is considered in.
     *
     * @param declaredHi whether {@code hi} was declared, rather than {@link dev.shapeproof.sizes.AdmissibleSizes#
     *     DEFAULT_MAX}
     * @param written the constraints as written, for messages ({@code "H >= 32"}), empty when none
     */
    public record Bound(String symbol, int lo, int hi, boolean declaredHi, String written) {}

    /**
     * @param dims each sample dimension: an {@code Integer} or the {@code String} name of a free size
     * @param location the {@code dims} attribute
     */
    public record InputDims(String name, List<Object> dims, Location location) {
        public InputDims {
            dims = List.copyOf(dims);
        }
    }

    public Bound bound(String symbol) {
        return bounds.get(symbols.indexOf(symbol));
    }

    /** The concrete shape of input {@code index} at {@code sizes}. */
    public TensorShape shapeAt(int index, SizeValues sizes) {
        List<Object> dims = inputs.get(index).dims();
        int[] sample = new int[dims.size()];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = dims.get(i) instanceof Integer value ? value : sizes.get((String) dims.get(i));
        }
        return TensorShape.batchOf(sample);
    }

    /** The symbolic shape of input {@code index}: {@code [-1, 3, H, W]}. */
    public SymbolicShape symbolicShape(int index) {
        List<Size> sample = new ArrayList<>();
        for (Object dim : inputs.get(index).dims()) {
            sample.add(dim instanceof Integer value ? Size.of(value) : Size.symbol((String) dim));
        }
        return SymbolicShape.batchOf(sample);
    }

    /** {@code values[i]} for {@code symbols.get(i)}. */
    public SizeValues values(int... values) {
        return SizeValues.of(symbols, values);
    }

    /** The dims as written: {@code "3, H, W"}. */
    public static String written(List<Object> dims) {
        return String.join(", ", dims.stream().map(Object::toString).toList());
    }
}
