package dev.shapeproof.processor.graph;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last use of every value of one body, computed once: in-place decisions, buffer reuse and the summary's memory
 * figure all read it, so they can never disagree.
 *
 * <p>Values that may share storage form one alias group: a flatten returns a view of its input, and an eval-mode
 * dropout returns its input itself. A group is dead after the last use of any of its members; overwriting one member
 * overwrites them all. A group rooted outside the body (a model input, a block's caller's tensor) is never dead: the
 * caller's array is not ours to overwrite.
 */
public final class Liveness {
    /** Larger than any node index: external values and outputs live past the last node. */
    private static final int FOREVER = Integer.MAX_VALUE;

    private final Body body;
    private final Map<Value, Value> aliasRoot = new IdentityHashMap<>();
    private final Map<Value, Integer> groupLastUse = new IdentityHashMap<>();

    private Liveness(Body body) {
        this.body = body;
        List<Node> nodes = body.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            for (Value input : node.inputs()) {
                Value root = rootOf(input);
                groupLastUse.merge(root, i, Math::max);
            }
            Value output = body.outputOf(node);
            Value root = node.aliasesInput() ? rootOf(node.inputs().get(0)) : output;
            aliasRoot.put(output, root);
            groupLastUse.merge(root, i, Math::max);
        }
        for (Value output : body.outputs()) {
            groupLastUse.put(rootOf(output), FOREVER);
        }
    }

    public static Liveness of(Body body) {
        return new Liveness(body);
    }

    /** The alias root of {@code value}; an external value is its own root and lives forever. */
    private Value rootOf(Value value) {
        Value root = aliasRoot.get(value);
        if (root == null) {
            aliasRoot.put(value, value);
            groupLastUse.put(value, FOREVER);
            return value;
        }
        return root;
    }

    /**
     * Whether {@code node} may overwrite its input {@code value}: nothing after {@code node} reads it or any value
     * sharing its storage, and it is not (a view of) a tensor from outside the body.
     */
    public boolean isDeadAfter(Value value, Node node) {
        return groupLastUse.get(rootOf(value)) == body.indexOf(node);
    }

    /** The index of the last node that reads {@code value}'s storage; {@link Integer#MAX_VALUE} for external values and outputs. */
    public int lastUse(Value value) {
        return groupLastUse.get(rootOf(value));
    }

    /** The value whose storage {@code value} shares (itself unless it is a view or an identity). */
    public Value storageOf(Value value) {
        return rootOf(value);
    }
}
