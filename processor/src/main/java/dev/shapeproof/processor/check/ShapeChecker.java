package dev.shapeproof.processor.check;

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
        if (reporter.errorCount() > errorsBefore) {
            return Optional.empty();
        }
        TensorShape input = graph.inputs().get(0).shape();
        TensorShape output = shapes.get(graph.outputs().get(0));
        return Optional.of(new CheckedModel(graph, input, checked, output, Liveness.of(graph)));
    }

    private <C> CheckedNode<C> check(Node node, OpDefinition<C> op, Value output) {
        if (!AttributeRules.check(node, reporter)) {
            return null;
        }
        Context context = new Context(node);
        C config = op.configure(context);
        Value inputValue = node.inputs().get(0);
        TensorShape input = shapes.get(inputValue);
        if (config == null || input == null) {
            return null;
        }
        TensorShape shape = op.infer(config, input, context);
        if (shape == null) {
            return null;
        }
        ReceptiveField[] field = fields.get(inputValue);
        CheckedNode<C> checked = CheckedNode.of(node, op, config, input, shape, field[0], field[1]);
        shapes.put(output, shape);
        fields.put(output, new ReceptiveField[] {checked.height(), checked.width()});
        return checked;
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
        public Location location() {
            return node.location();
        }

        @Override
        public void report(Location location, Message message, Object... arguments) {
            reporter.report(location, message, arguments);
        }

        @Override
        public String inputOrigin() {
            Node producer = node.inputs().get(0).producer();
            return producer == null ? "the model input" : producer.toString();
        }

        @Override
        public TensorShape flattenedFrom() {
            Value value = node.inputs().get(0);
            while (!value.isInput()) {
                Node producer = value.producer();
                Value producerInput = producer.inputs().get(0);
                if (producer.op().flattens()) {
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
