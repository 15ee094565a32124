package dev.shapeproof.processor.check;

import dev.shapeproof.processor.diag.DslSite;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Liveness;
import dev.shapeproof.processor.graph.ModelGraph;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.op.NodeContext;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Infers every value's shape in graph order and checks each node against its input.
 *
 * <p>A value whose producer failed has no shape; nodes reading it still have their attributes checked (a wrong
 * attribute is its own mistake) but not their shapes, which would only repeat the first error.
 */
public final class ShapeChecker {
    private final Reporter reporter;
    private final Map<Value, TensorShape> shapes = new HashMap<>();
    private final Map<Value, ReceptiveField[]> fields = new HashMap<>();
    private final Map<String, Optional<Object>> configuredModules = new HashMap<>();
    private final java.util.Set<String> rejectedModules = new java.util.HashSet<>();

    private ShapeChecker(Reporter reporter) {
        this.reporter = reporter;
    }

    /** The checked model, or empty when any error was reported. */
    public static Optional<CheckedModel> check(ModelGraph graph, Reporter reporter) {
        return new ShapeChecker(reporter).run(graph);
    }

    private Optional<CheckedModel> run(ModelGraph graph) {
        int errorsBefore = reporter.errorCount();
        for (GraphInput input : graph.inputs()) {
            shapes.put(input.value(), input.shape());
            fields.put(input.value(), new ReceptiveField[] {ReceptiveField.INPUT, ReceptiveField.INPUT});
        }
        List<CheckedNode<?>> checked = new ArrayList<>();
        for (Node node : graph.nodes()) {
            CheckedNode<?> result = check(node, node.op(), graph.outputOf(node));
            if (result != null) {
                checked.add(result);
            }
        }
        for (Node uncalled : graph.uncalledModules()) {
            configure(uncalled, uncalled.op(), new Context(uncalled));
        }
        if (reporter.errorCount() > errorsBefore) {
            return Optional.empty();
        }
        List<TensorShape> outputs = graph.outputs().stream().map(shapes::get).toList();
        return Optional.of(new CheckedModel(graph, checked, outputs, Liveness.of(graph)));
    }

    private <C> CheckedNode<C> check(Node node, OpDefinition<C> op, Value output) {
        Context context = new Context(node);
        C config = configure(node, op, context);
        List<TensorShape> inputs = new ArrayList<>();
        for (Value input : node.inputs()) {
            inputs.add(shapes.get(input));
        }
        if (config == null || inputs.contains(null)) {
            return null;
        }
        if (node.isModuleCall() && rejectedModules.contains(node.module())) {
            // One call already showed this module's declaration wrong (say its `in`): one mistake, one error.
            return null;
        }
        TensorShape shape = op.infer(config, inputs, context);
        if (shape == null) {
            if (node.isModuleCall()) {
                rejectedModules.add(node.module());
            }
            return null;
        }
        // Where paths merge, the field is the largest of theirs (DESIGN.md §4).
        ReceptiveField[] field = fields.get(node.inputs().get(0));
        for (Value input : node.inputs()) {
            ReceptiveField[] other = fields.get(input);
            field = new ReceptiveField[] {field[0].merge(other[0]), field[1].merge(other[1])};
        }
        CheckedNode<C> checked = CheckedNode.of(node, op, config, inputs, shape, field[0], field[1]);
        shapes.put(output, shape);
        fields.put(output, new ReceptiveField[] {checked.height(), checked.width()});
        return checked;
    }

    /**
     * The node's configuration, or {@code null} after reporting its attributes' mistakes. A module called several
     * times is configured once: its annotation is one declaration, and one mistake in it is one error.
     */
    @SuppressWarnings("unchecked")
    private <C> C configure(Node node, OpDefinition<C> op, Context context) {
        if (node.isModuleCall() && configuredModules.containsKey(node.module())) {
            return (C) configuredModules.get(node.module()).orElse(null);
        }
        C config = AttributeRules.check(node, reporter) ? op.configure(context) : null;
        if (node.isModuleCall()) {
            configuredModules.put(node.module(), Optional.ofNullable(config));
        }
        return config;
    }

    /** The view of one node an op definition works with. */
    private final class Context implements NodeContext {
        private final Node node;

        Context(Node node) {
            this.node = node;
        }

        @Override
        public String name() {
            return node.name();
        }

        @Override
        public Attribute attribute(String name) {
            return node.attributes().get(name);
        }

        @Override
        public Optional<Attribute> findAttribute(String name) {
            return node.attributes().find(name);
        }

        @Override
        public Location location() {
            return node.location();
        }

        /** Reports at {@code location}, quoting the DSL call site when the node comes from the forward text. */
        @Override
        public void report(Location location, Message message, Object... arguments) {
            DslSite site = node.location().site();
            reporter.report(location.site() == null && site != null ? location.at(site) : location, message,
                    arguments);
        }

        @Override
        public String inputOrigin() {
            return inputOrigin(0);
        }

        @Override
        public String inputOrigin(int index) {
            Value input = node.inputs().get(index);
            Node producer = input.producer();
            return producer == null ? "the input " + input.name() : producer.toString();
        }

        @Override
        public TensorShape flattenedFrom() {
            Value value = node.inputs().get(0);
            while (!value.isInput()) {
                Node producer = value.producer();
                Value producerInput = producer.inputs().get(0);
                if (producer.op().flattens(shapes.get(value))) {
                    return shapes.get(producerInput);
                }
                if (!shapes.get(producerInput).equals(shapes.get(value))) {
                    return null;
                }
                value = producerInput;
            }
            return null;
        }
    }
}
