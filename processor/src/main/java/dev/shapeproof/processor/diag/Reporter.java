package dev.shapeproof.processor.diag;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Prints catalog messages at the most specific location javac can show, and counts the errors of the model being
 * compiled so the processor knows whether to generate it.
 */
public final class Reporter {
    private final Messager messager;
    private int errorCount;

    public Reporter(Messager messager) {
        this.messager = messager;
    }

    /** Reports {@code message} at {@code location}: its attribute value, else its annotation, else its element. */
    public void report(Location location, Message message, Object... arguments) {
        String text = message.format(arguments);
        if (location.site() != null) {
            text += location.site().quote();
        }
        print(message.kind(), location, text);
        if (message.kind() == Diagnostic.Kind.ERROR) {
            errorCount++;
        }
    }

    /** Prints a note (not an error): the compile-time summary. */
    public void note(Element element, String text) {
        messager.printMessage(Diagnostic.Kind.NOTE, text, element);
    }

    /** Errors reported since this reporter was made. */
    public int errorCount() {
        return errorCount;
    }

    private void print(Diagnostic.Kind kind, Location location, String text) {
        Element element = location.element();
        AnnotationMirror mirror = location.mirror();
        AnnotationValue value = location.value();
        if (mirror != null && value != null) {
            messager.printMessage(kind, text, element, mirror, value);
        } else if (mirror != null) {
            messager.printMessage(kind, text, element, mirror);
        } else {
            messager.printMessage(kind, text, element);
        }
    }
}
