package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.op.OpDefinition;
import java.util.List;

/**
 * One operation of the model: a call of a module (a layer field) or of a function. Compared by identity, so a graph
 * of any depth hashes in constant time.
 */
public final class Node {
    private final String name;
    private final String module;
    private final OpDefinition<?> op;
    private final Attributes attributes;
    private final List<Value> inputs;
    private final Location location;

    Node(String name, String module, OpDefinition<?> op, Attributes attributes, List<Value> inputs,
            Location location) {
        this.name = name;
        this.module = module;
        this.op = op;
        this.attributes = attributes;
        this.inputs = List.copyOf(inputs);
        this.location = location;
    }

    /**
     * The name messages use: the module's name ({@code conv1}) for a module call, the function's for a function
     * call ({@code max_pool2d}).
     */
    public String name() {
        return name;
    }

    /** The layer field this node calls ({@code conv1}), or {@code null} for a function call. */
    public String module() {
        return module;
    }

    public boolean isModuleCall() {
        return module != null;
    }

    public OpDefinition<?> op() {
        return op;
    }

    /** The attributes, each with its location: the annotation's for a module, the call's for a function. */
    public Attributes attributes() {
        return attributes;
    }

    /** The values it reads, in order. */
    public List<Value> inputs() {
        return inputs;
    }

    /** The field and its layer annotation, or the call in the forward DSL: where whole-node diagnostics go. */
    public Location location() {
        return location;
    }

    @Override
    public String toString() {
        return name + " (" + op.name() + ")";
    }
}
