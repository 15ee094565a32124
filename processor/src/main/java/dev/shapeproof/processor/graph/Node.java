package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.op.OpDefinition;
import java.util.List;

/**
 * One operation of a forward: a call of a layer, of a function, or of a block or container, whose own forward is
 * the callee body. Compared by identity, so a graph of any depth hashes in constant time.
 */
public final class Node {
    private final String name;
    private final Instance module;
    private final OpDefinition<?> op;
    private final Attributes attributes;
    private final List<Object> arguments;
    private final List<Value> inputs;
    private final Location location;
    private final Body body;
    private Body callee;
    private List<String> writtenNames = List.of();

    Node(String name, Instance module, OpDefinition<?> op, Attributes attributes, List<Object> arguments,
            List<Value> inputs, Location location, Body body) {
        this.name = name;
        this.module = module;
        this.op = op;
        this.attributes = attributes;
        this.arguments = List.copyOf(arguments);
        this.inputs = List.copyOf(inputs);
        this.location = location;
        this.body = body;
    }

    /**
     * A node for a layer no forward calls, so that its attributes can still be checked: it reads nothing and belongs to
     * no body.
     */
    public static Node uncalled(Instance layer) {
        return new Node(layer.path(), layer, layer.op(), layer.attributes(), List.of(), List.of(), layer.location(),
                null);
    }

    /**
     * The name messages use: the module's path ({@code conv1}, {@code layer1.0.conv1}) for a module call, the
     * function's for a function call ({@code max_pool2d}).
     */
    public String name() {
        return name;
    }

    /** The path of the module this node calls ({@code conv1}), or {@code null} for a function call. */
    public String module() {
        return module == null ? null : module.path();
    }

    /** The module this node calls, or {@code null} for a function call. */
    public Instance instance() {
        return module;
    }

    public boolean isModuleCall() {
        return module != null;
    }

    /** Whether it calls a block or container, whose forward is {@link #callee()}. */
    public boolean isBodyCall() {
        return module != null && module.kind() != Instance.Kind.LAYER;
    }

    public OpDefinition<?> op() {
        return op;
    }

    /** The attributes, each with its location: the annotation's for a module, the call's for a function. */
    public Attributes attributes() {
        return attributes;
    }

    /** The tensors it reads, in order, with the items of a list argument in place of the list. */
    public List<Value> inputs() {
        return inputs;
    }

    /**
     * Its arguments as the forward text passed them, for the generated call: each a {@link Value} or a
     * {@link TensorList}.
     */
    public List<Object> arguments() {
        return arguments;
    }

    /** The field and its layer annotation, or the call in the forward DSL: where whole-node diagnostics go. */
    public Location location() {
        return location;
    }

    /** The forward this node is part of. */
    public Body body() {
        return body;
    }

    /** The forward of the block or container it calls; {@code null} for other nodes. */
    public Body callee() {
        return callee;
    }

    void setCallee(Body callee) {
        this.callee = callee;
    }

    /**
     * The variable names the forward text read its arguments by ({@code null} where it did not read one by name),
     * which the generated call prefers, so it says what the DSL line says.
     */
    public List<String> writtenNames() {
        return writtenNames;
    }

    public void setWrittenNames(List<String> names) {
        this.writtenNames = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(names));
    }

    /**
     * Whether its output may share storage with its first input: a view, an identity, or a block whose forward
     * returns its input.
     */
    public boolean aliasesInput() {
        if (callee != null) {
            return !callee.outputs().isEmpty() && callee.isExternal(callee.outputs().get(0))
                    && callee.outputs().get(0) == inputs.get(0);
        }
        return op.aliasesInput();
    }

    @Override
    public String toString() {
        return name + " (" + op.name() + ")";
    }
}
