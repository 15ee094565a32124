package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.diag.DslSite;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.dsl.Span;

/**
 * A DSL text and where it lives: the annotation value that holds it, so that every message about a place in the
 * text points at that value and quotes the line.
 *
 * @param kind what the text is, for the message: {@code forward}, {@code init}, {@code params}, {@code children}
 * @param subject how messages about it start: the model's name, or the block instance ({@code layer1.0 =
 *     BasicBlock(64, 64)})
 */
record Source(String text, Location location, String kind, String subject) {
    /** The location of {@code span} in this text. */
    Location at(Span span) {
        return location.at(DslSite.in(kind, text, span.line(), span.column(), span.length()));
    }

    /** The text's lines from {@code from} to {@code to}, stripped, for the generated code's comments. */
    String lines(int from, int to) {
        String[] lines = text.split("\n", -1);
        StringBuilder result = new StringBuilder();
        for (int line = from; line <= to && line - 1 < lines.length; line++) {
            if (result.length() > 0) {
                result.append('\n');
            }
            result.append(lines[line - 1].strip());
        }
        return result.toString();
    }

    /** The same text, with messages about it starting with {@code subject}. */
    Source withSubject(String subject) {
        return new Source(text, location, kind, subject);
    }
}
