package dev.shapeproof.processor.dsl;

import dev.shapeproof.processor.diag.Message;

/** A mistake found while lowering the forward text: reported once, at {@link #span()}, and lowering stops. */
final class LoweringError extends Exception {
    private final transient Message diagnostic;
    private final transient Object[] arguments;
    private final Span span;

    LoweringError(Span span, Message diagnostic, Object... arguments) {
        super(diagnostic.id(), null, false, false);
        this.diagnostic = diagnostic;
        this.arguments = arguments;
        this.span = span;
    }

    Message diagnostic() {
        return diagnostic;
    }

    Object[] arguments() {
        return arguments;
    }

    Span span() {
        return span;
    }
}
