package dev.shapeproof.processor.dsl;

/**
 * A position in the forward text: 1-based line and column of the first character, and the length of the piece.
 */
public record Span(int line, int column, int length) {
    /** A span from the start of {@code first} to the end of {@code last}, when both are on one line. */
    public static Span between(Span first, Span last) {
        if (first.line != last.line) {
            return first;
        }
        return new Span(first.line, first.column, last.column + last.length - first.column);
    }
}
