package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.op.OpDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.TypeElement;

/**
 * A model lowered to a graph: its inputs, its nodes in an order where every node comes after the producers of its
 * inputs, and its outputs.
 */
public final class ModelGraph {
    private final TypeElement type;
    private final List<GraphInput> inputs;
    private final List<Node> nodes;
    private final Map<Node, Value> outputsByNode;
    private final List<Value> outputs;
    private final List<String> outputNames;
    private final List<Statement> statements;
    private final List<String> modules;
    private final List<Node> uncalled;

    private ModelGraph(Builder builder) {
        this.type = builder.type;
        this.inputs = List.copyOf(builder.inputs);
        this.nodes = List.copyOf(builder.nodes);
        this.outputsByNode = Map.copyOf(builder.outputsByNode);
        this.outputs = List.copyOf(builder.outputs);
        this.outputNames = List.copyOf(builder.outputNames);
        this.statements = List.copyOf(builder.statements);
        this.modules = List.copyOf(builder.modules);
        this.uncalled = builder.uncalled.stream()
                .map(spec -> new Node(spec.name(), spec.module(), spec.op(), spec.attributes(), List.of(),
                        spec.location()))
                .toList();
    }

    /**
     * One line of the forward, for the generated code to mirror: the values it computes, in order, the last being
     * what it assigns to {@code target} (or returns, when {@code target} is {@code null}).
     *
     * @param source the DSL line, or {@code null} for a sequential model's implicit step
     * @param target the variable assigned, or {@code null} for the return statement
     * @param values the values the statement's expression produces, innermost first; a return's are its results
     */
    public record Statement(String source, String target, List<Value> values) {
        public Statement {
            values = List.copyOf(values);
        }
    }

    /** The annotated class. */
    public TypeElement type() {
        return type;
    }

    public List<GraphInput> inputs() {
        return inputs;
    }

    /** Every node, producers before consumers. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The value {@code node} produces. */
    public Value outputOf(Node node) {
        return outputsByNode.get(node);
    }

    public List<Value> outputs() {
        return outputs;
    }

    /** The outputs' names, for a multi-output model's record components. */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * The layer fields the forward calls, in declaration order: PyTorch registers modules in {@code __init__} order,
     * and that order is the {@code state_dict}'s.
     */
    public List<String> modules() {
        return modules;
    }

    /**
     * Layer fields the forward never calls, as nodes without inputs: their annotations are still checked, so a
     * mistake in one is not hidden by the warning that it is unused.
     */
    public List<Node> uncalledModules() {
        return uncalled;
    }

    /** The forward's statements, in order. */
    public List<Statement> statements() {
        return statements;
    }

    /** A chain: each field's layer reads the previous one's output, the first reads the single input. */
    public static ModelGraph sequential(TypeElement type, GraphInput input, List<NodeSpec> layers) {
        Builder builder = new Builder(type);
        Value current = builder.addInput(input);
        for (NodeSpec layer : layers) {
            current = builder.addNode(layer, List.of(current));
            builder.addStatement(new Statement(null, input.value().name(), List.of(current)));
        }
        builder.setOutputs(List.of(current), List.of("output"));
        builder.setModules(layers.stream().map(NodeSpec::module).toList());
        return builder.build();
    }

    /**
     * A node before it is wired: everything but its inputs.
     *
     * @param module the layer field it calls, or {@code null} for a function call
     */
    public record NodeSpec(String name, String module, OpDefinition<?> op, Attributes attributes, Location location) {
        /** A call of the layer field {@code module}, named after it. */
        public static NodeSpec module(String module, OpDefinition<?> op, Attributes attributes, Location location) {
            return new NodeSpec(module, module, op, attributes, location);
        }
    }

    /** Builds a graph node by node, producers first. */
    public static final class Builder {
        private final TypeElement type;
        private final List<GraphInput> inputs = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final Map<Node, Value> outputsByNode = new HashMap<>();
        private List<Value> outputs = List.of();
        private List<String> outputNames = List.of();
        private final List<Statement> statements = new ArrayList<>();
        private List<String> modules = List.of();
        private List<NodeSpec> uncalled = List.of();

        public Builder(TypeElement type) {
            this.type = type;
        }

        public Value addInput(GraphInput input) {
            inputs.add(input);
            return input.value();
        }

        /** Adds a node reading {@code inputs} and returns the value it produces. */
        public Value addNode(NodeSpec spec, List<Value> nodeInputs) {
            Node node = new Node(spec.name(), spec.module(), spec.op(), spec.attributes(), nodeInputs,
                    spec.location());
            Value output = new Value(spec.name(), node);
            nodes.add(node);
            outputsByNode.put(node, output);
            return output;
        }

        public void setOutputs(List<Value> values, List<String> names) {
            this.outputs = List.copyOf(values);
            this.outputNames = List.copyOf(names);
        }

        public void setModules(List<String> modules) {
            this.modules = List.copyOf(modules);
        }

        public void setUncalledModules(List<NodeSpec> uncalled) {
            this.uncalled = List.copyOf(uncalled);
        }

        public void addStatement(Statement statement) {
            statements.add(statement);
        }

        public ModelGraph build() {
            return new ModelGraph(this);
        }
    }
}
