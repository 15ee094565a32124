package dev.shapeproof.processor.graph;

/**
 * A tensor flowing through a forward: a model input, or the output of a node. Compared by identity: two values are
 * the same tensor only if they are the same object. A block's forward reads its caller's values themselves.
 */
public final class Value {
    private final String name;
    private final Node producer;

    Value(String name, Node producer) {
        this.name = name;
        this.producer = producer;
    }

    /** A readable name: the input's name, or the producing module's. */
    public String name() {
        return name;
    }

    /** The node that computes this value, or {@code null} for a model input. */
    public Node producer() {
        return producer;
    }

    public boolean isInput() {
        return producer == null;
    }

    /** A model input called {@code name}. */
    public static Value input(String name) {
        return new Value(name, null);
    }

    @Override
    public String toString() {
        return name;
    }
}
