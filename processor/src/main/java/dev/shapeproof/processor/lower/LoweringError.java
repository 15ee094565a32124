package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;

/**
 * A mistake found while evaluating a DSL text (a forward, an {@code @Init} expression, a block's parameters):
 * reported once, at {@link #location()}, and lowering of the model stops.
 */
final class LoweringError extends Exception {
    private final transient Location location;
    private final transient Message diagnostic;
    private final transient Object[] arguments;

    LoweringError(Location location, Message diagnostic, Object... arguments) {
        super(diagnostic == null ? "reported" : diagnostic.id(), null, false, false);
        this.location = location;
        this.diagnostic = diagnostic;
        this.arguments = arguments;
    }

    /** Stops lowering after a mistake that was already reported (a block's declaration, read once). */
    static LoweringError reported(Location location) {
        return new LoweringError(location, null);
    }

    /** Whether the mistake still has to be reported; false when it already was. */
    boolean isNew() {
        return diagnostic != null;
    }

    Location location() {
        return location;
    }

    Message diagnostic() {
        return diagnostic;
    }

    Object[] arguments() {
        return arguments;
    }
}
