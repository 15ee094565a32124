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
 *
 * <p>Warnings are suppressible as javac's own are: {@code @SuppressWarnings("ShapeProof/LinearOnFeatureMap")} on the
 * model class (or on the field, or anything enclosing them) silences that id, {@code @SuppressWarnings("ShapeProof")}
 * every ShapeProof warning. javac ignores the strings it does not know, so the annotation costs nothing elsewhere.
 * Errors cannot be suppressed: the model would not be generated.
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
        } else if (isSuppressed(location.element(), message)) {
            return;
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

    /** The value of {@code @SuppressWarnings} that silences {@code message}: {@code ShapeProof/<id>}. */
    public static String suppressionKey(Message message) {
        return SUPPRESS_ALL + "/" + message.id();
    }

    /** {@code @SuppressWarnings("ShapeProof")}: every ShapeProof warning. */
    public static final String SUPPRESS_ALL = "ShapeProof";

    /** Whether {@code element} or an element enclosing it suppresses {@code message}, as javac scopes its own. */
    static boolean isSuppressed(Element element, Message message) {
        String key = suppressionKey(message);
        for (Element e = element; e != null; e = e.getEnclosingElement()) {
            SuppressWarnings suppress = e.getAnnotation(SuppressWarnings.class);
            if (suppress != null) {
                for (String value : suppress.value()) {
                    if (value.equals(SUPPRESS_ALL) || value.equals(key)) {
                        return true;
                    }
                }
            }
        }
        return false;
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
