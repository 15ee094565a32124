package dev.shapeproof.processor.dsl;

/** A mistake in the forward text at {@link #span()}; the processor reports it with the line quoted. */
public final class DslException extends Exception {
    private final Span span;

    public DslException(String message, Span span) {
        super(message, null, false, false);
        this.span = span;
    }

    public Span span() {
        return span;
    }
}
