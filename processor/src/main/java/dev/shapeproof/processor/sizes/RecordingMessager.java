package dev.shapeproof.processor.sizes;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * A {@link Messager} that keeps what it is told instead of printing it: the free-size compiler lowers a model at many
 * sizes to learn which pass, and only what it then decides to say reaches javac.
 */
final class RecordingMessager implements Messager {
    /** One diagnostic as the reporter printed it, and where. */
    record Printed(Diagnostic.Kind kind, String text, Element element, AnnotationMirror mirror,
            AnnotationValue value) {}

    private final List<Printed> printed = new ArrayList<>();

    List<Printed> printed() {
        return printed;
    }

    /** The first error, or {@code null}. */
    Printed firstError() {
        return printed.stream().filter(p -> p.kind() == Diagnostic.Kind.ERROR).findFirst().orElse(null);
    }

    @Override
    public void printMessage(Diagnostic.Kind kind, CharSequence message) {
        printed.add(new Printed(kind, message.toString(), null, null, null));
    }

    @Override
    public void printMessage(Diagnostic.Kind kind, CharSequence message, Element element) {
        printed.add(new Printed(kind, message.toString(), element, null, null));
    }

    @Override
    public void printMessage(Diagnostic.Kind kind, CharSequence message, Element element,
            AnnotationMirror annotation) {
        printed.add(new Printed(kind, message.toString(), element, annotation, null));
    }

    @Override
    public void printMessage(Diagnostic.Kind kind, CharSequence message, Element element, AnnotationMirror annotation,
            AnnotationValue value) {
        printed.add(new Printed(kind, message.toString(), element, annotation, value));
    }
}
