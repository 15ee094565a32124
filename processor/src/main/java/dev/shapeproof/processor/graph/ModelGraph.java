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

    private ModelGraph(TypeElement type, List<GraphInput> inputs, List<Node> nodes, Map<Node, Value> outputsByNode,
            List<Value> outputs) {
        this.type = type;
        this.inputs = List.copyOf(inputs);
        this.nodes = List.copyOf(nodes);
        this.outputsByNode = Map.copyOf(outputsByNode);
        this.outputs = List.copyOf(outputs);
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

    /** A chain: each field's layer reads the previous one's output, the first reads the single input. */
    public static ModelGraph sequential(TypeElement type, GraphInput input, List<NodeSpec> layers) {
        Builder builder = new Builder(type);
        Value current = builder.addInput(input);
        for (NodeSpec layer : layers) {
            current = builder.addNode(layer, List.of(current));
        }
        builder.setOutputs(List.of(current));
        return builder.build();
    }

    /** A node before it is wired: everything but its inputs. */
    public record NodeSpec(String name, OpDefinition<?> op, Attributes attributes, Location location) {}

    /** Builds a graph node by node, producers first. */
    public static final class Builder {
        private final TypeElement type;
        private final List<GraphInput> inputs = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final Map<Node, Value> outputsByNode = new HashMap<>();
        private List<Value> outputs = List.of();

        public Builder(TypeElement type) {
            this.type = type;
        }

        public Value addInput(GraphInput input) {
            inputs.add(input);
            return input.value();
        }

        /** Adds a node reading {@code inputs} and returns the value it produces. */
        public Value addNode(NodeSpec spec, List<Value> nodeInputs) {
            Node node = new Node(spec.name(), spec.op(), spec.attributes(), nodeInputs, spec.location());
            Value output = new Value(spec.name(), node);
            nodes.add(node);
            outputsByNode.put(node, output);
            return output;
        }

        public void setOutputs(List<Value> values) {
            this.outputs = List.copyOf(values);
        }

        public ModelGraph build() {
            return new ModelGraph(type, inputs, nodes, outputsByNode, outputs);
        }
    }
}
