package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.diag.DslSite;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.dsl.Span;

/**
 * A DSL text and where it lives: the annotation value that holds it, so that every message about a place in the
 * text points at that value and quotes the line. The text is split into lines once: every node of a forward has a
 * location in it.
 */
final class Source {
    private final String text;
    private final Location location;
    private final String kind;
    private final String subject;
    private String[] lines;

    /**
     * @param kind what the text is, for the message: {@code forward}, {@code init}, {@code params}, {@code children}
     * @param subject how messages about it start: the model's name, or the block instance ({@code layer1.0 =
     *     BasicBlock(64, 64)})
     */
    Source(String text, Location location, String kind, String subject) {
        this.text = text;
        this.location = location;
        this.kind = kind;
        this.subject = subject;
    }

    String text() {
        return text;
    }

    Location location() {
        return location;
    }

    String kind() {
        return kind;
    }

    String subject() {
        return subject;
    }

    /** The location of {@code span} in this text. */
    Location at(Span span) {
        String[] all = lines();
        String line = span.line() - 1 < all.length ? all[span.line() - 1] : "";
        return location.at(new DslSite(span.line(), span.column(), Math.max(1, span.length()), line, kind));
    }

    /** The text's lines from {@code from} to {@code to}, stripped, for the generated code's comments. */
    String lines(int from, int to) {
        String[] all = lines();
        StringBuilder result = new StringBuilder();
        for (int line = from; line <= to && line - 1 < all.length; line++) {
            if (result.length() > 0) {
                result.append('\n');
            }
            result.append(all[line - 1].strip());
        }
        return result.toString();
    }

    private String[] lines() {
        if (lines == null) {
            lines = text.split("\n", -1);
        }
        return lines;
    }
}
