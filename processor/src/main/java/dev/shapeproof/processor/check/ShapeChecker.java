package dev.shapeproof.processor.check;

import dev.shapeproof.processor.diag.DslSite;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.op.NodeContext;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.processor.op.Strides;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Infers every value's shape as the forward is lowered, node by node, and checks each node against its inputs: a
 * forward's conditions and loops may read shapes, so each node is checked the moment it is added.
 *
 * <p>A value whose producer failed has no shape; nodes reading it still have their attributes checked (a wrong
 * attribute is its own mistake) but not their shapes, which would only repeat the first error. A module called
 * several times is configured once: its declaration is one, and one mistake in it is one error. A value several ops
 * fail on is one error too, reported when the forward is checked ({@link Cascades}, {@link #reportHeldErrors}).
 */
public final class ShapeChecker {
    private final Reporter reporter;
    private final Map<Value, TensorShape> shapes = new IdentityHashMap<>();
    private final Map<Value, ReceptiveField[]> fields = new IdentityHashMap<>();
    private final Map<Value, Strides> strides = new IdentityHashMap<>();
    private final Map<String, Optional<Object>> configuredModules = new HashMap<>();
    private final Set<String> rejectedModules = new HashSet<>();
    private final Map<Node, CheckedNode<?>> checked = new IdentityHashMap<>();
    private final List<ShapeRead> shapeReads = new ArrayList<>();
    private final Cascades cascades = new Cascades();

    /**
     * A forward text's read of a tensor's sizes ({@code x.shape}, {@code x.size(2)}): a model with free sizes must not
     * depend on them.
     *
     * @param axis the axis read, or -1 for all of them
     */
    public record ShapeRead(Value value, int axis, Location location) {}

    public ShapeChecker(Reporter reporter) {
        this.reporter = reporter;
    }

    /** Declares a model input of {@code shape}. */
    public void input(Value value, TensorShape shape) {
        shapes.put(value, shape);
        fields.put(value, new ReceptiveField[] {ReceptiveField.INPUT, ReceptiveField.INPUT});
        strides.put(value, Strides.contiguous(shape));
    }

    /** The proven shape of {@code value}, or {@code null} when a mistake above it left it unknown. */
    public TensorShape shapeOf(Value value) {
        return shapes.get(value);
    }

    /** Where {@code value}'s elements lie in memory, or {@code null} when it has no shape. */
    public Strides stridesOf(Value value) {
        return strides.get(value);
    }

    /** Records that a forward text read {@code value}'s sizes ({@code axis}, or -1 for all) at {@code location}. */
    public void readShape(Value value, int axis, Location location) {
        shapeReads.add(new ShapeRead(value, axis, location));
    }

    /** Every read of a tensor's sizes by a forward text, in order. */
    public List<ShapeRead> shapeReads() {
        return shapeReads;
    }

    /** The checked form of {@code node}, or {@code null} when it failed or was not checked. */
    public CheckedNode<?> checked(Node node) {
        return checked.get(node);
    }

    /** Every node checked so far, by node. */
    public Map<Node, CheckedNode<?>> checkedNodes() {
        return checked;
    }

    /** Checks a layer or function node producing {@code output}; returns its shape, or {@code null}. */
    public TensorShape check(Node node, Value output) {
        return check(node, node.op(), output);
    }

    private <C> TensorShape check(Node node, OpDefinition<C> op, Value output) {
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
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).isBatched() && !op.acceptsUnbatched(i)) {
                // A parameter such as a class token goes through arithmetic or expand to the batch first.
                context.report(node.location(), Message.UNBATCHED_INPUT, context.name(), i,
                        context.inputOrigin(i), inputs.get(i), "give it the batch first, as ViT does: "
                                + "p.expand(x.shape[0], -1, ...), or add or multiply it with a batched tensor");
                if (node.isModuleCall()) {
                    rejectedModules.add(node.module());
                }
                return null;
            }
        }
        List<Cascades.Held> errors = new ArrayList<>();
        context.holdErrors(errors);
        TensorShape shape = op.infer(config, inputs, context);
        context.holdErrors(null);
        if (shape == null) {
            if (node.isModuleCall()) {
                rejectedModules.add(node.module());
            }
            cascades.failed(node, errors);
            return null;
        }
        errors.forEach(held -> reporter.report(held.location(), held.message(), held.arguments()));
        cascades.accepted(node);
        ReceptiveField[] field = mergedField(node, inputs, shape);
        CheckedNode<C> result = CheckedNode.of(node, op, config, inputs, shape, field[0], field[1]);
        checked.put(node, result);
        shapes.put(output, shape);
        fields.put(output, new ReceptiveField[] {result.height(), result.width()});
        List<Strides> inputStrides = new ArrayList<>();
        for (Value input : node.inputs()) {
            inputStrides.add(strides.get(input));
        }
        strides.put(output, op.strides(config, inputs, inputStrides, shape));
        return shape;
    }

    /**
     * Records the call of a block or container, whose forward produced {@code result}: its output has the result's
     * shape and receptive field.
     */
    public TensorShape checkCall(Node node, Value output, Value result) {
        TensorShape shape = result == null ? null : shapes.get(result);
        List<TensorShape> inputs = new ArrayList<>();
        for (Value input : node.inputs()) {
            inputs.add(shapes.get(input));
        }
        if (shape == null || inputs.contains(null)) {
            return null;
        }
        ReceptiveField[] field = fields.get(result);
        @SuppressWarnings("unchecked")
        OpDefinition<Object> op = (OpDefinition<Object>) node.op();
        Object config = op.configure(new Context(node));
        checked.put(node, new CheckedNode<>(node, op, config, inputs, shape, op.parameters(config, inputs), 0,
                field[0], field[1]));
        shapes.put(output, shape);
        fields.put(output, field);
        strides.put(output, strides.get(result));
        return shape;
    }

    /**
     * Prints the shape errors held while the forward was checked, one per wrong value: call once the forward is
     * lowered, or stopped by an error of its own.
     */
    public void reportHeldErrors() {
        cascades.report(reporter, shapes::get, ShapeChecker::subject);
    }

    /** Checks the attributes of a layer no forward calls: a mistake in one is not hidden by its being unused. */
    public void checkUncalled(Instance layer) {
        Node node = Node.uncalled(layer);
        configure(node, node.op(), new Context(node));
    }

    /**
     * Where paths merge, the field is the largest of theirs (the receptive field a max over paths, as the summary reports it). An input broadcast over the output's map (a
     * squeeze-and-excitation scale [N, C, 1, 1] times [N, C, H, W]) widens the field but does not set the grid: its
     * jump, a whole map's, is not the output pixels'.
     */
    private ReceptiveField[] mergedField(Node node, List<TensorShape> inputs, TensorShape output) {
        if (node.inputs().isEmpty()) {
            return new ReceptiveField[] {ReceptiveField.INPUT, ReceptiveField.INPUT}; // a parameter's read
        }
        ReceptiveField[] field = null;
        for (int i = 0; i < node.inputs().size(); i++) {
            ReceptiveField[] other = fields.get(node.inputs().get(i));
            if (node.inputs().size() > 1 && broadcastOver(inputs.get(i), output)) {
                other = new ReceptiveField[] {new ReceptiveField(other[0].size(), 0),
                    new ReceptiveField(other[1].size(), 0)};
            }
            field = field == null ? other : new ReceptiveField[] {field[0].merge(other[0]), field[1].merge(other[1])};
        }
        return field;
    }

    /** Whether {@code input}'s last two axes are 1 where {@code output}'s are not: it is broadcast over the map. */
    private static boolean broadcastOver(TensorShape input, TensorShape output) {
        if (input.rank() < 2 || output.rank() < 3 || !input.isBatched()) {
            return false;
        }
        return input.dim(-1) == 1 && input.dim(-2) == 1 && (output.dim(-1) > 1 || output.dim(-2) > 1);
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
        C config = AttributeRules.check(node, context.name(), reporter) ? op.configure(context) : null;
        if (node.isModuleCall()) {
            configuredModules.put(node.module(), Optional.ofNullable(config));
        }
        return config;
    }

    /**
     * How messages name a node: its module path or function name, and the block instance it belongs to, with the
     * arguments that made it ({@code layer3.1.conv2 in BasicBlock(256, 256)}).
     */
    static String subject(Node node) {
        Instance owner = node.isModuleCall() ? node.instance().owner()
                : node.body() == null ? null : node.body().owner();
        while (owner != null && owner.kind() != Instance.Kind.BLOCK && owner.kind() != Instance.Kind.MODEL) {
            owner = owner.parent();
        }
        if (owner == null || owner.kind() == Instance.Kind.MODEL) {
            return node.name();
        }
        return node.isModuleCall() ? node.name() + " in " + owner.description()
                : node.name() + " in " + owner.path() + " = " + owner.description();
    }

    /** The view of one node an op definition works with. */
    private final class Context implements NodeContext {
        private final Node node;
        private List<Cascades.Held> heldErrors;

        Context(Node node) {
            this.node = node;
        }

        @Override
        public String name() {
            return subject(node);
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

        /** Reports at {@code location}, quoting the DSL call site when the node comes from a forward text. */
        @Override
        public void report(Location location, Message message, Object... arguments) {
            DslSite site = node.location().site();
            Location located = location.site() == null && site != null ? location.at(site) : location;
            if (heldErrors != null && message.kind() == javax.tools.Diagnostic.Kind.ERROR) {
                heldErrors.add(new Cascades.Held(located, message, arguments));
            } else {
                reporter.report(located, message, arguments);
            }
        }

        /** Holds the errors reported from now on in {@code errors} instead of printing them; {@code null} stops. */
        void holdErrors(List<Cascades.Held> errors) {
            heldErrors = errors;
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
        public Strides inputStrides() {
            return strides.get(node.inputs().get(0));
        }

        @Override
        public TensorShape flattenedFrom() {
            Value value = node.inputs().get(0);
            while (!value.isInput()) {
                Node producer = value.producer();
                if (producer.inputs().isEmpty()) {
                    return null;
                }
                Value producerInput = producer.inputs().get(0);
                TensorShape shape = shapes.get(value);
                if (producer.op().flattens(shape)) {
                    return shapes.get(producerInput);
                }
                if (shape == null || !shape.equals(shapes.get(producerInput))) {
                    return null;
                }
                value = producerInput;
            }
            return null;
        }
    }
}
