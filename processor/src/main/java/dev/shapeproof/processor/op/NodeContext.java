package dev.shapeproof.processor.op;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.TensorShape;

/** What an op definition sees of the node it checks: its attributes, its input's origin, and the reporter. */
public interface NodeContext {
    /** The module's name, which starts every message about it. */
    String name();

    Attribute attribute(String name);

    /** The attribute {@code name}, when the node has it: function calls have only their signature's attributes. */
    java.util.Optional<Attribute> findAttribute(String name);

    /** The field and its annotation: where diagnostics about the whole layer go. */
    Location location();

    void report(Location location, Message message, Object... arguments);

    /** Where the (first) input comes from, for messages: {@code conv2 (Conv2d)} or {@code the input x}. */
    String inputOrigin();

    /** Where input {@code index} comes from. */
    String inputOrigin(int index);

    /**
     * The shape a Flatten flattened, when this node's input is a Flatten's output (possibly through shape-preserving
     * ops such as dropout); otherwise {@code null}.
     */
    TensorShape flattenedFrom();

    /**
     * Where the first input's elements lie in memory, for a view that cannot copy; {@code null} when not tracked (a
     * replay of the forward at other free sizes).
     */
    Strides inputStrides();
}
