package dev.shapeproof.processor.read;

/**
 * A model refers to a type javac has not resolved yet, perhaps one another processor generates in a later round.
 * The model is retried by name next round and reported once at the end if the type never appears.
 */
public final class DeferredTypeException extends Exception {
    private final String typeName;

    public DeferredTypeException(String typeName) {
        super(typeName, null, false, false);
        this.typeName = typeName;
    }

    /** The unresolved type as javac spells it. */
    public String typeName() {
        return typeName;
    }
}
