package dev.shapeproof.processor.diag;

import java.util.HashSet;
import java.util.Set;
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
    private final Set<String> reported;
    private int errorCount;

    /** A reporter that prints every diagnostic. */
    public Reporter(Messager messager) {
        this(messager, new HashSet<>());
    }

    /**
     * A reporter that prints a diagnostic once per place and id, however often it comes: a mistake inside a block is
     * one error, not one per instance or per model that uses the block. {@code reported} is shared across models.
     */
    public Reporter(Messager messager, Set<String> reported) {
        this.messager = messager;
        this.reported = reported;
    }

    /**
     * Reports {@code message} at {@code location}: its attribute value, else its annotation, else its element. The
     * same id at the same place is reported once, but still counts as this model's error.
     */
    public void report(Location location, Message message, Object... arguments) {
        if (message.kind() == Diagnostic.Kind.ERROR) {
            errorCount++;
        }
        if (!reported.add(key(location, message))) {
            return;
        }
        String text = message.format(arguments);
        if (location.site() != null) {
            text += location.site().quote();
        }
        print(message.kind(), location, text);
    }

    private static String key(Location location, Message message) {
        DslSite site = location.site();
        return message.id() + "@" + System.identityHashCode(location.element()) + "/"
                + System.identityHashCode(location.mirror()) + "/" + System.identityHashCode(location.value())
                + (site == null ? "" : "/" + site.text() + ":" + site.line() + ":" + site.column());
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
