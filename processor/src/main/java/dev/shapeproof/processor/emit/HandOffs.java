package dev.shapeproof.processor.emit;

import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Statement;
import dev.shapeproof.processor.graph.Value;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The convolution results a forward text hands on in the layout oneDNN wrote them: a value that a convolution
 * computes (a {@code Conv2d} layer alone, or the last node of a fused chain, {@link ConvFusions}) and that only the
 * next convolution reads, as the input it convolves, or, in a model's forward, only the return. Its producer calls
 * {@code Conv2dLayer.forwardKept}, and its reader takes the {@code ConvActivation} as it is (a convolution's
 * {@code forwardFused}/{@code forwardKept}, or {@code ForwardWorkspace.result}): a chain of convolutions is reordered
 * once, where it leaves the chain, instead of at every convolution, as a sequential model's chain is.
 *
 * <p>Decided at compile time, from who reads what: a value that anything else reads (another op, a list, a second
 * convolution, a residual add, a block's return) stays an array. So does a value the text assigns to two names, which
 * would both have to be handed-on activations.
 */
final class HandOffs {
    private final Set<Value> handedOn = Collections.newSetFromMap(new IdentityHashMap<>());

    private HandOffs(Body body, ConvFusions fusions, boolean returnsThroughWorkspace) {
        Map<Value, Integer> assignments = new IdentityHashMap<>();
        Map<Value, Integer> returns = new IdentityHashMap<>();
        Set<Value> listed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Statement statement : body.statements()) {
            if (statement instanceof Statement.Assign assign) {
                assignments.merge(assign.value(), 1, Integer::sum);
            } else if (statement instanceof Statement.Return ret) {
                ret.values().forEach(value -> returns.merge(value, 1, Integer::sum));
            } else if (statement instanceof Statement.Append append) {
                listed.add(append.value());
            } else if (statement instanceof Statement.AssignList assign && assign.isNew()) {
                listed.addAll(assign.items());
            }
        }
        for (Node node : body.nodes()) {
            Value result = body.outputOf(node);
            if (!computesConvolution(node, result, fusions) || assignments.getOrDefault(result, 0) > 1
                    || listed.contains(result)) {
                continue;
            }
            Node reader = fusions.soleReader(result);
            boolean returnedOnly = reader == null && returnsThroughWorkspace && !fusions.isRead(result)
                    && returns.getOrDefault(result, 0) == 1;
            if (returnedOnly || (reader != null && convolves(reader, result, fusions))) {
                handedOn.add(result);
            }
        }
    }

    /**
     * The hand-offs of {@code body}.
     *
     * @param returnsThroughWorkspace whether the forward returns through {@code ForwardWorkspace.result} (a model's),
     *     which reads a handed-on activation as it is
     */
    static HandOffs of(Body body, ConvFusions fusions, boolean returnsThroughWorkspace) {
        return new HandOffs(body, fusions, returnsThroughWorkspace);
    }

    /** Whether {@code value} is a {@code ConvActivation} handed on rather than an array. */
    boolean isHandedOn(Value value) {
        return handedOn.contains(value);
    }

    /** Whether {@code node} is a convolution's last node: a lone {@code Conv2d} layer, or a fused chain's end. */
    private static boolean computesConvolution(Node node, Value result, ConvFusions fusions) {
        return fusions.endingAt(result) != null || isLoneConvolution(node, fusions);
    }

    /** Whether {@code reader} is a convolution that reads {@code value} as the input it convolves. */
    private static boolean convolves(Node reader, Value value, ConvFusions fusions) {
        ConvFusions.Fusion fusion = fusions.startingAt(reader);
        if (fusion != null) {
            return fusion.input() == value;
        }
        return isLoneConvolution(reader, fusions) && reader.inputs().size() == 1 && reader.inputs().get(0) == value;
    }

    /** A {@code Conv2d} layer that no fused chain starts with. */
    static boolean isLoneConvolution(Node node, ConvFusions fusions) {
        return ConvFusions.isLayer(node, "Conv2d") && fusions.startingAt(node) == null;
    }
}
