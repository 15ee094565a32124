package dev.shapeproof.processor.diag;

import java.util.Objects;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where in the user's source a diagnostic belongs: an element, optionally one of its annotations, optionally one
 * attribute value of that annotation, and for the forward DSL the place inside that value's text. javac underlines
 * the most specific one it can; a DSL place is quoted in the message itself, since javac can only point at the start
 * of the {@code forward} value.
 */
public record Location(Element element, AnnotationMirror mirror, AnnotationValue value, DslSite site) {
    public Location {
        Objects.requireNonNull(element, "element");
    }

    public Location(Element element, AnnotationMirror mirror, AnnotationValue value) {
        this(element, mirror, value, null);
    }

    public static Location of(Element element) {
        return new Location(element, null, null, null);
    }

    public static Location of(Element element, AnnotationMirror mirror) {
        return new Location(element, mirror, null, null);
    }

    /** This location, pointing at {@code site} inside the DSL text. */
    public Location at(DslSite site) {
        return new Location(element, mirror, value, site);
    }
}
