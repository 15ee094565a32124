package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.diag.DslSite;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.op.NodeContext;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.processor.read.ModelDeclaration;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.sizes.SizeValues;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a model's shape checks again at other sizes: the graph the compile-time interpreter built at the reference size,
 * each node checked by its op's own {@code infer} with its configuration, exactly as the shape checker checked it. A
 * forward that reads no free size builds the same graph at every size, so this is the checker at that size, without
 * interpreting the forward text again.
 *
 * <p>It also runs a model checked past a wrong shape, configuring the nodes that came after; such a graph may lack
 * nodes a failing lowering never reached, so there a size that passes is only a candidate, which the checker confirms.
 */
final class Replay {
    private final CheckedModel reference;
    private final ModelDeclaration declaration;

    /**
     * The outcome at one size. The failing op's message is formatted only when asked for: a sweep over thousands of
     * sizes mostly wants to know whether they pass.
     *
     * @param failed the first node whose check failed, or {@code null} when every node passed
     * @param message the first error that node reported, with {@code arguments}
     * @param shapes every value's shape, when they were asked for and every node passed
     */
    record Verdict(SizeValues sizes, Node failed, Message message, Object[] arguments, String why,
            Location location, Map<Value, TensorShape> shapes) {
        boolean passed() {
            return failed == null;
        }

        /** The error's first line, without its tag; {@code null} when it passed. */
        String text() {
            return why != null ? why : message == null ? null : firstLine(message, arguments);
        }

        /** The error's {@code found} line, or {@code null}. */
        String found() {
            return message == null || why != null ? null : foundLine(message, arguments);
        }
    }

    Replay(CheckedModel reference, ModelDeclaration declaration) {
        this.reference = reference;
        this.declaration = declaration;
    }

    CheckedModel reference() {
        return reference;
    }

    /** Whether the model passes at {@code sizes}. */
    boolean passes(SizeValues sizes) {
        return run(sizes, false).passed();
    }

    /** The verdict at {@code sizes}; with {@code keepShapes}, every value's shape as well. */
    Verdict run(SizeValues sizes, boolean keepShapes) {
        Map<Value, TensorShape> shapes = new IdentityHashMap<>();
        List<Value> inputs = reference.graph().inputs().stream().map(input -> input.value()).toList();
        for (int i = 0; i < inputs.size(); i++) {
            shapes.put(inputs.get(i), declaration.freeSizes().shapeAt(i, sizes));
        }
        Run run = new Run(shapes);
        Node failed = run.body(reference.graph().body());
        return new Verdict(sizes, failed, run.message, run.arguments, run.text,
                failed == null ? null : run.location != null ? run.location : failed.location(),
                keepShapes && failed == null ? shapes : null);
    }

    /** One replay: the shapes so far, and the first error. */
    private final class Run {
        private final Map<Value, TensorShape> shapes;
        private final Map<Instance, List<TensorShape>> firstCalls = new IdentityHashMap<>();
        private Message message;
        private Object[] arguments;
        /** A reason the replay itself gives, where no op reported one. */
        private String text;
        private Location location;

        Run(Map<Value, TensorShape> shapes) {
            this.shapes = shapes;
        }

        /** Checks {@code body}'s nodes in order; the first that fails, or {@code null}. */
        Node body(Body body) {
            for (Node node : body.nodes()) {
                Node failed = node(node, body.outputOf(node));
                if (failed != null) {
                    return failed;
                }
            }
            return null;
        }

        private Node node(Node node, Value output) {
            List<TensorShape> inputs = new ArrayList<>(node.inputs().size());
            for (Value input : node.inputs()) {
                inputs.add(shapes.get(input));
            }
            if (node.callee() != null) {
                // As the lowering does: a block's generated class serves the shapes of its first call only.
                List<TensorShape> first = firstCalls.putIfAbsent(node.instance(), inputs);
                if (first != null && !first.equals(inputs)) {
                    message = Message.WRONG_ARGUMENTS;
                    text = node.name() + " is called again with inputs of other shapes: " + inputs + " after "
                            + first;
                    return node;
                }
                Node failed = body(node.callee());
                if (failed != null) {
                    return failed;
                }
                shapes.put(output, shapes.get(node.callee().outputs().get(0)));
                return null;
            }
            CheckedNode<?> checked = reference.checked(node);
            Context context = new Context(node, shapes);
            TensorShape shape = checked != null ? inferChecked(checked, inputs, context)
                    : configureAndInfer(node.op(), inputs, context);
            if (shape == null) {
                if (message == null) {
                    message = Message.INTERNAL;
                    text = node + " failed without a message";
                }
                return node;
            }
            shapes.put(output, shape);
            return null;
        }

        /**
         * A node the reference model did not check (it was checked past a wrong shape, and this node came after):
         * configured here, as the checker would. Its attributes do not depend on the size.
         */
        private <C> TensorShape configureAndInfer(OpDefinition<C> op, List<TensorShape> inputs, Context context) {
            if (inputs.contains(null)) {
                return null;
            }
            C config = op.configure(context);
            return config == null ? null : infer(op, config, inputs, context);
        }

        private <C> TensorShape inferChecked(CheckedNode<C> checked, List<TensorShape> inputs, Context context) {
            return infer(checked.op(), checked.config(), inputs, context);
        }

        private <C> TensorShape infer(OpDefinition<C> op, C config, List<TensorShape> inputs, Context context) {
            try {
                return op.infer(config, inputs, context);
            } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
                // A size no tensor holds, or a shape the op's rule cannot even form: that size is not admissible.
                if (message == null) {
                    message = Message.SIZE_OVERFLOW;
                    text = e.toString();
                }
                return null;
            }
        }

        /** What an op sees of its node during a replay; errors are kept, not printed. */
        private final class Context implements NodeContext {
            private final Node node;
            private final Map<Value, TensorShape> shapes;

            Context(Node node, Map<Value, TensorShape> shapes) {
                this.node = node;
                this.shapes = shapes;
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

            @Override
            public void report(Location location, Message reported, Object... arguments) {
                if (reported.kind() == javax.tools.Diagnostic.Kind.ERROR && message == null) {
                    message = reported;
                    Replay.Run.this.arguments = arguments;
                    DslSite site = node.location().site();
                    Location at = location.site() == null && site != null ? location.at(site) : location;
                    Replay.Run.this.location = at;
                }
            }

            /** Not tracked in a replay at other sizes: views are checked against strides at the declared sizes only. */
            @Override
            public dev.shapeproof.processor.op.Strides inputStrides() {
                return null;
            }

            @Override
            public String inputOrigin() {
                return inputOrigin(0);
            }

            @Override
            public String inputOrigin(int index) {
                Value input = node.inputs().get(index);
                return input.producer() == null ? "the input " + input.name() : input.producer().toString();
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

    /** The message's {@code found} line, without its label, or {@code null}. */
    static String foundLine(Message message, Object... arguments) {
        try {
            for (String line : message.format(arguments).split("\n")) {
                if (line.trim().startsWith("found")) {
                    return line.trim().replaceFirst("^found\\s*:\\s*", "");
                }
            }
        } catch (java.util.IllegalFormatException e) {
            return null;
        }
        return null;
    }

    /** The message's first line, without its tag: what a summary of several failures quotes. */
    static String firstLine(Message message, Object... arguments) {
        String text;
        try {
            text = message.format(arguments);
        } catch (java.util.IllegalFormatException e) {
            return message.id();
        }
        int newline = text.indexOf('\n');
        String first = newline < 0 ? text : text.substring(0, newline);
        return first.substring(message.tag().length()).trim();
    }
}
