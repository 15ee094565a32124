package dev.shapeproof.processor.graph;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last use of every value, computed once on the graph: in-place decisions, buffer reuse and the summary's memory
 * figure all read it, so they can never disagree.
 *
 * <p>Values that may share storage form one alias group: a flatten returns a view of its input, and an eval-mode
 * dropout returns its input itself. A group is dead after the last use of any of its members; overwriting one member
 * overwrites them all. A group rooted at a model input is never dead: the caller's array is not ours to overwrite.
 */
public final class Liveness {
    /** Larger than any node index: graph inputs and outputs live past the last node. */
    private static final int FOREVER = Integer.MAX_VALUE;

    private final Map<Node, Integer> indexOf = new IdentityHashMap<>();
    private final Map<Value, Value> aliasRoot = new IdentityHashMap<>();
    private final Map<Value, Integer> groupLastUse = new IdentityHashMap<>();

    private Liveness(ModelGraph graph) {
        List<Node> nodes = graph.nodes();
        for (GraphInput input : graph.inputs()) {
            aliasRoot.put(input.value(), input.value());
            groupLastUse.put(input.value(), FOREVER);
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            indexOf.put(node, i);
            Value output = graph.outputOf(node);
            Value root = node.op().aliasesInput() ? aliasRoot.get(node.inputs().get(0)) : output;
            aliasRoot.put(output, root);
            groupLastUse.merge(root, i, Math::max);
            for (Value input : node.inputs()) {
                groupLastUse.merge(aliasRoot.get(input), i, Math::max);
            }
        }
        for (Value output : graph.outputs()) {
            groupLastUse.put(aliasRoot.get(output), FOREVER);
        }
    }

    public static Liveness of(ModelGraph graph) {
        return new Liveness(graph);
    }

    /**
     * Whether {@code node} may overwrite its input {@code value}: nothing after {@code node} reads it or any value
     * sharing its storage, and it is not (a view of) a model input.
     */
    public boolean isDeadAfter(Value value, Node node) {
        return groupLastUse.get(aliasRoot.get(value)) == indexOf.get(node).intValue();
    }

    /** The index of the last node that reads {@code value}'s storage; {@link Integer#MAX_VALUE} for inputs and outputs. */
    public int lastUse(Value value) {
        return groupLastUse.get(aliasRoot.get(value));
    }

    /** The value whose storage {@code value} shares (itself unless it is a view or an identity). */
    public Value storageOf(Value value) {
        return aliasRoot.get(value);
    }
}
