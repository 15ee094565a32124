package dev.shapeproof.processor.emit;

/** The bounds the generated code keeps, whatever the model: javac must see ordinary code. */
public final class Limits {
    /**
     * Calls nest at most this deep in one generated Java expression; a deeper forward expression is split over locals.
     * javac attributes nested calls recursively (javac 17 crashed on 500), so a forward text's nesting must not become
     * javac's stack depth.
     */
    public static final int MAX_NESTED_CALLS = 8;

    /**
     * A forward text pairs at most this many statements into a {@code BlockWorkspace} of their own; the rest run in
     * the forward's. Each pair's try-with-resources costs bytecode and exception-table entries, and a forward of the
     * longest text allowed (2,000 ops, one method) would pass the JVM's 64 KB per method with a pair every two lines.
     * Real forward texts are short (torchvision's resnet: five pairs), their blocks having their own workspaces.
     */
    public static final int MAX_STATEMENT_PAIRS = 64;

    private Limits() {}
}
