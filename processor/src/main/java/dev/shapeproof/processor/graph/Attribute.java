package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.AnnotationMirror;

/**
 * One attribute of a layer annotation: its value, whether the user wrote it, and where it is.
 *
 * <p>Omitted and explicit are told apart from the annotation's explicit values, never from a sentinel default: an
 * omitted {@code stride} means "the kernel", while an explicit {@code stride = 0} is an error.
 *
 * @param value an {@code Integer}, {@code Double}, {@code Boolean}, {@code String}, the enum constant's name as a
 *     {@code String}, or a {@code List<Integer>} for an int array
 * @param explicit whether the user wrote it (otherwise it is the annotation's default)
 * @param location the value itself when explicit, otherwise the annotation
 */
public record Attribute(String name, Object value, boolean explicit, Location location) {
    public Attribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(location, "location");
    }

    public int asInt() {
        return (Integer) value;
    }

    public double asDouble() {
        return ((Number) value).doubleValue();
    }

    public boolean asBoolean() {
        return (Boolean) value;
    }

    /** A string, or an enum constant's name. */
    public String asString() {
        return (String) value;
    }

    @SuppressWarnings("unchecked")
    public List<Integer> asInts() {
        return (List<Integer>) value;
    }

    /** An annotation-array attribute, such as {@code @Model(inputs = {...})}. */
    @SuppressWarnings("unchecked")
    public List<AnnotationMirror> asAnnotations() {
        return (List<AnnotationMirror>) value;
    }

    /** The value as the user would write it in the annotation, e.g. {@code {3, 5}} or {@code 0.5}. */
    public String sourceText() {
        if (value instanceof List<?> list) {
            return list.size() == 1 ? list.get(0).toString() : list.toString().replace('[', '{').replace(']', '}');
        }
        if (value instanceof String string && !string.equals(string.toUpperCase(java.util.Locale.ROOT))) {
            return "\"" + string + "\"";
        }
        return value.toString();
    }
}
