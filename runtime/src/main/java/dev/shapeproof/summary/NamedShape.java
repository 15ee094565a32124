package dev.shapeproof.summary;

import dev.shapeproof.shape.TensorShape;
import java.util.Objects;

/**
 * A model input or output: its name and shape.
 *
 * @param name the forward parameter's name for an input ({@code x}); the name of an output ({@code output} for the
 *     only one, the generated record's component names for several)
 * @param shape its shape, batch {@code -1} first
 */
public record NamedShape(String name, TensorShape shape) {
    public NamedShape {
        if (name == null || name.isEmpty() || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a model input or output needs a name without ':', was " + name);
        }
        Objects.requireNonNull(shape, "shape");
    }
}
