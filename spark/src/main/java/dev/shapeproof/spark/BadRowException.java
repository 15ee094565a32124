package dev.shapeproof.spark;

/**
 * A row the model cannot score: a value of the wrong length or shape, a null, an image that did not decode. The
 * message names the row (its index in its partition, and the {@code idCol} value or the image's origin), the input's
 * expected shape and what the row holds. With {@code handleInvalid = "skip"} the same message goes to the error
 * column instead and the row is not scored.
 */
public final class BadRowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadRowException(String message) {
        super(message);
    }
}
