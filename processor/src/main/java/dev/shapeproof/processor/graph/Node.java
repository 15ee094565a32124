package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.op.OpDefinition;
import java.util.List;

/**
 * One operation of the model: a call of a module (a layer field). Compared by identity, so a graph of any depth
 * hashes in constant time.
 */
public final class Node {
    private final String name;
    private final OpDefinition<?> op;
    private final Attributes attributes;
    private final List<Value> inputs;
    private final Location location;

    Node(String name, OpDefinition<?> op, Attributes attributes, List<Value> inputs, Location location) {
        this.name = name;
        this.op = op;
        this.attributes = attributes;
        this.inputs = List.copyOf(inputs);
        this.location = location;
    }

    /** The module's name: the field's name and its parameters' prefix ({@code conv1}). */
    public String name() {
        return name;
    }

    public OpDefinition<?> op() {
        return op;
    }

    /** The annotation's attributes, each with its location. */
    public Attributes attributes() {
        return attributes;
    }

    /** The values it reads, in order. */
    public List<Value> inputs() {
        return inputs;
    }

    /** The field and its layer annotation: where diagnostics about the whole layer go. */
    public Location location() {
        return location;
    }

    @Override
    public String toString() {
        return name + " (" + op.name() + ")";
    }
}
