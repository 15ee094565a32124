package dev.shapeproof.processor.graph;

import java.util.List;

/**
 * One line of a forward, for the generated code to mirror: each statement is written under its DSL line as a
 * comment.
 */
public sealed interface Statement {
    /** The DSL line(s), or {@code null} for a sequential model's implicit step. */
    String source();

    /** {@code target = value}: the value's producing calls nest in one Java statement. */
    record Assign(String source, String target, Value value) implements Statement {}

    /**
     * {@code target = [a, b]} (a new list of {@code items}) or {@code target = other} (the same list under a second
     * name).
     */
    record AssignList(String source, String target, TensorList list, List<Value> items, boolean isNew)
            implements Statement {
        public AssignList {
            items = List.copyOf(items);
        }
    }

    /** {@code list.append(value)}. */
    record Append(String source, TensorList list, Value value) implements Statement {}

    /** {@code return a} or {@code return a, b}. */
    record Return(String source, List<Value> values) implements Statement {
        public Return {
            values = List.copyOf(values);
        }
    }

    /**
     * A line that generates no code of its own: an {@code if} or {@code for} header, whose condition and loop the
     * processor resolved for this module, and the body of the branch taken or each pass of the loop follow it.
     */
    record Comment(String source) implements Statement {}
}
