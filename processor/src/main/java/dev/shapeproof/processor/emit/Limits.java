package dev.shapeproof.processor.emit;

/** The bounds the generated code keeps, whatever the model: javac must see ordinary code. */
public final class Limits {
    /**
     * Calls nest at most this deep in one generated Java expression; a deeper forward expression is split over locals.
     * javac attributes nested calls recursively (javac 17 crashed on 500), so a forward text's nesting must not become
     * javac's stack depth.
     */
    public static final int MAX_NESTED_CALLS = 8;

    private Limits() {}
}
