package dev.shapeproof.processor.diag;

import java.util.Objects;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where in the user's source a diagnostic belongs: an element, optionally one of its annotations, optionally one
 * attribute value of that annotation. javac underlines the most specific one that is present.
 */
public record Location(Element element, AnnotationMirror mirror, AnnotationValue value) {
    public Location {
        Objects.requireNonNull(element, "element");
    }

    public static Location of(Element element) {
        return new Location(element, null, null);
    }

    public static Location of(Element element, AnnotationMirror mirror) {
        return new Location(element, mirror, null);
    }
}
