package dev.shapeproof.sizes;

import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Values of a model's free sizes, by name: {@code H = 224, W = 320}. Immutable; equal when the names and values are,
 * so it keys per-size caches.
 */
public final class SizeValues {
    private final List<String> names;
    private final int[] values;

    private SizeValues(List<String> names, int[] values) {
        this.names = List.copyOf(names);
        this.values = values.clone();
        if (this.names.size() != this.values.length) {
            throw new IllegalArgumentException(names.size() + " free sizes but " + values.length + " values");
        }
    }

    /** {@code values[i]} for {@code names.get(i)}. */
    public static SizeValues of(List<String> names, int... values) {
        return new SizeValues(names, values);
    }

    public List<String> names() {
        return names;
    }

    /** The value of the free size {@code name}. */
    public int get(String name) {
        for (int i = 0; i < values.length; i++) {
            if (names.get(i).equals(name)) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("no free size " + name + " among " + names);
    }

    /** The values in the order of {@link #names()}; a copy. */
    public int[] values() {
        return values.clone();
    }

    /** The value of the free size at {@code index} in {@link #names()}. */
    public int get(int index) {
        return values[index];
    }

    /** These values with the size at {@code index} set to {@code value}. */
    public SizeValues with(int index, int value) {
        int[] copy = values.clone();
        copy[index] = value;
        return new SizeValues(names, copy);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SizeValues that && names.equals(that.names) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(values);
    }

    /** {@code H = 224, W = 320}. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ");
        for (int i = 0; i < values.length; i++) {
            text.add(names.get(i) + " = " + String.format(java.util.Locale.ROOT, "%,d", values[i]));
        }
        return text.toString();
    }
}
