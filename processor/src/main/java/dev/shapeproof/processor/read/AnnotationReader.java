package dev.shapeproof.processor.read;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.graph.Attribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Reads an annotation's attributes, telling explicit values from defaults.
 *
 * <p>Explicit values come from {@link AnnotationMirror#getElementValues()}; defaults are filled in from the annotation
 * type. An attribute javac could not evaluate (an undefined constant) makes the whole read fail: javac has already
 * reported it, and a guess would only add a second error.
 */
public final class AnnotationReader {
    private final Elements elements;

    public AnnotationReader(Elements elements) {
        this.elements = elements;
    }

    /**
     * The default of every attribute of {@code annotation} that has one, as an omitted attribute at {@code location}:
     * what a layer built by a module expression starts from.
     */
    public static java.util.Map<String, Attribute> defaults(javax.lang.model.element.TypeElement annotation,
            Location location) {
        java.util.Map<String, Attribute> defaults = new java.util.LinkedHashMap<>();
        for (ExecutableElement method : javax.lang.model.util.ElementFilter.methodsIn(
                annotation.getEnclosedElements())) {
            AnnotationValue value = method.getDefaultValue();
            Object converted = value == null ? null : convert(value.getValue());
            if (converted != null) {
                String name = method.getSimpleName().toString();
                defaults.put(name, new Attribute(name, converted, false, location));
            }
        }
        return defaults;
    }

    /** Every attribute of {@code mirror} on {@code element}, or empty when one of them is erroneous. */
    public Optional<List<Attribute>> read(Element element, AnnotationMirror mirror) {
        Map<? extends ExecutableElement, ? extends AnnotationValue> explicit = mirror.getElementValues();
        List<Attribute> attributes = new ArrayList<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
                elements.getElementValuesWithDefaults(mirror).entrySet()) {
            String name = entry.getKey().getSimpleName().toString();
            boolean isExplicit = explicit.containsKey(entry.getKey());
            AnnotationValue annotationValue = isExplicit ? explicit.get(entry.getKey()) : entry.getValue();
            Object value = convert(annotationValue.getValue());
            if (value == null) {
                return Optional.empty();
            }
            Location location = new Location(element, mirror, isExplicit ? annotationValue : null);
            attributes.add(new Attribute(name, value, isExplicit, location));
        }
        return Optional.of(attributes);
    }

    /** The plain Java value, or {@code null} when javac could not evaluate it. */
    private static Object convert(Object value) {
        if (value instanceof Integer || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof VariableElement constant) {
            return constant.getSimpleName().toString();
        }
        if (value instanceof String string) {
            // javac substitutes "<error>" for a value it could not attribute.
            return string.equals("<error>") ? null : string;
        }
        if (value instanceof List<?> list) {
            // An int array (kernel = {3, 5}) or an annotation array (inputs = {@Input(...), ...}).
            List<Object> items = new ArrayList<>();
            for (Object item : list) {
                Object inner = item instanceof AnnotationValue nested ? nested.getValue() : item;
                if (!(inner instanceof Integer) && !(inner instanceof AnnotationMirror)) {
                    return null;
                }
                items.add(inner);
            }
            return List.copyOf(items);
        }
        return null;
    }
}
