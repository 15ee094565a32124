package dev.shapeproof.sizes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a free-size model's forward needs at one admissible size: the free sizes' values and the sizes its calls pass
 * (an interpolation's output size), each computed once. Plans are cached per size ({@link LruCache}), so a forward at a
 * size seen before looks them up.
 */
public final class SizePlan {
    private final SizeValues sizes;
    private final Map<Size, Integer> values = new ConcurrentHashMap<>();

    public SizePlan(SizeValues sizes) {
        this.sizes = sizes;
    }

    /** The free sizes' values. */
    public SizeValues sizes() {
        return sizes;
    }

    /** {@code size} at these sizes, as an int. */
    public int of(Size size) {
        return values.computeIfAbsent(size, key -> Math.toIntExact(key.at(sizes)));
    }
}
