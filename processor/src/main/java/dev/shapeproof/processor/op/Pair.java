package dev.shapeproof.processor.op;

import dev.shapeproof.processor.graph.Attribute;
import java.util.List;

/**
 * An int-array attribute that means one value per axis: {@code k} for both or {@code {h, w}}.
 *
 * @param height the value for the height axis
 * @param width the value for the width axis
 */
record Pair(int height, int width) {
    /** Reads an attribute whose length was already checked to be 1 or 2. */
    static Pair of(Attribute attribute) {
        List<Integer> values = attribute.asInts();
        return values.size() == 1 ? new Pair(values.get(0), values.get(0)) : new Pair(values.get(0), values.get(1));
    }

    int get(int axis) {
        return axis == 0 ? height : width;
    }

    boolean isSquare() {
        return height == width;
    }

    /** {@code 3} when both axes agree, otherwise {@code {3, 5}}, as the user would write it. */
    @Override
    public String toString() {
        return isSquare() ? Integer.toString(height) : "{" + height + ", " + width + "}";
    }

    static final String[] AXIS_NAMES = {"height", "width"};
}
