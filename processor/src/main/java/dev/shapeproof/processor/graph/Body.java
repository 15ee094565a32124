package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.op.OpDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a forward: the model's, or a block's or container's for one call. It holds the nodes in execution order
 * (producers before consumers), the statements the generated code mirrors, and the outputs. A block's body reads its
 * caller's values themselves: its parameters are bound to them.
 */
public final class Body {
    private final Instance owner;
    private final List<Parameter> parameters;
    private Node caller;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Node, Integer> indexOf = new IdentityHashMap<>();
    private final Map<Node, Value> outputOf = new IdentityHashMap<>();
    private final List<Statement> statements = new ArrayList<>();
    private List<Value> outputs = List.of();
    private List<String> outputNames = List.of();
    private boolean named;

    /**
     * A forward parameter and what it is bound to.
     *
     * @param value a {@link Value} or a {@link TensorList}
     */
    public record Parameter(String name, Object value) {}

    /**
     * @param owner the module whose forward this is
     * @param parameters its parameters, bound to the caller's tensors (the model's inputs for the model)
     * @param caller the node that calls it, or {@code null} for the model's forward
     */
    public Body(Instance owner, List<Parameter> parameters, Node caller) {
        this.owner = owner;
        this.parameters = List.copyOf(parameters);
        this.caller = caller;
    }

    /** The model, block or container whose forward this is. */
    public Instance owner() {
        return owner;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The node that runs this body, or {@code null} for the model's forward. */
    public Node caller() {
        return caller;
    }

    /** Links this body to the node that calls it, once that node exists (it is added after the body ran). */
    public void setCaller(Node caller) {
        this.caller = caller;
    }

    /** Adds a node that reads {@code inputs} and returns the value it produces. */
    public Value add(String name, Instance module, OpDefinition<?> op, Attributes attributes, List<Object> arguments,
            List<Value> inputs, Location location) {
        Node node = new Node(name, module, op, attributes, arguments, inputs, location, this);
        indexOf.put(node, nodes.size());
        nodes.add(node);
        Value output = new Value(module != null ? module.path() : name, node);
        outputOf.put(node, output);
        return output;
    }

    /** Adds the call of a block or container whose forward is {@code callee}; returns its output. */
    public Value addCall(Instance module, OpDefinition<?> op, List<Object> arguments, List<Value> inputs,
            Location location, Body callee) {
        Value output = add(module.path(), module, op, new Attributes(List.of()), arguments, inputs, location);
        output.producer().setCallee(callee);
        return output;
    }

    /** The nodes in execution order. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** The value {@code node} produces. */
    public Value outputOf(Node node) {
        return outputOf.get(node);
    }

    /** The position of {@code node} in this body, or -1 when it belongs to another. */
    public int indexOf(Node node) {
        Integer index = indexOf.get(node);
        return index == null ? -1 : index;
    }

    /** Whether {@code value} comes from outside this body: a parameter's tensor, or the model's input. */
    public boolean isExternal(Value value) {
        return value.producer() == null || indexOf(value.producer()) < 0;
    }

    public void addStatement(Statement statement) {
        statements.add(statement);
    }

    public List<Statement> statements() {
        return Collections.unmodifiableList(statements);
    }

    public void setOutputs(List<Value> values, List<String> names) {
        setOutputs(values, names, values.size() > 1);
    }

    /**
     * @param named whether the forward returns its outputs by name (several values, or a dict such as
     *     {@code {"out": x}}), which the generated code returns as a record
     */
    public void setOutputs(List<Value> values, List<String> names, boolean named) {
        this.outputs = List.copyOf(values);
        this.outputNames = List.copyOf(names);
        this.named = named;
    }

    /** Whether the outputs are returned by name: several values, or a dict. */
    public boolean hasNamedOutputs() {
        return named;
    }

    public List<Value> outputs() {
        return outputs;
    }

    /** The outputs' names, for a multi-output model's record components. */
    public List<String> outputNames() {
        return outputNames;
    }
}
