package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Liveness;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.sizes.SizePolynomial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inference memory estimate of a free-size model as formulas: the check stage's estimate (the peak, over the
 * forward's steps, of the bytes of values still to be read) step for step, with each value's bytes a polynomial in
 * the free sizes. The peak is the largest of the steps' totals; the totals no other one exceeds everywhere are kept.
 */
final class SymbolicMemory {
    private static final long BYTES_PER_ELEMENT = 4;

    private final CheckedModel model;
    private final SymbolicShapes shapes;
    private final List<SizePolynomial> totals = new ArrayList<>();

    private SymbolicMemory(CheckedModel model, SymbolicShapes shapes) {
        this.model = model;
        this.shapes = shapes;
    }

    /** The candidates of the peak, none below another everywhere. */
    static List<SizePolynomial> peakCandidates(CheckedModel model, SymbolicShapes shapes) {
        SymbolicMemory memory = new SymbolicMemory(model, shapes);
        SizePolynomial inputs = SizePolynomial.ZERO;
        for (GraphInput input : model.graph().inputs()) {
            inputs = inputs.plus(bytes(shapes, input.value()));
        }
        memory.peak(model.graph().body(), inputs);
        return prune(memory.totals);
    }

    private static SizePolynomial bytes(SymbolicShapes shapes, Value value) {
        return SizePolynomial.of(shapes.of(value).sampleSize()).times(BYTES_PER_ELEMENT);
    }

    /** As the check stage's estimate: {@code body} runs on top of {@code baseline}. */
    private void peak(Body body, SizePolynomial baseline) {
        Liveness liveness = model.liveness(body);
        Map<Value, SizePolynomial> bytes = new IdentityHashMap<>();
        Set<Value> live = Collections.newSetFromMap(new IdentityHashMap<>());
        SizePolynomial current = baseline;
        totals.add(current);
        List<Node> nodes = body.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            CheckedNode<?> checked = model.checked(node);
            if (checked == null) {
                continue;
            }
            Value output = body.outputOf(node);
            Value storage = liveness.storageOf(output);
            if (node.callee() != null) {
                peak(node.callee(), current);
            }
            boolean inPlace = node.callee() == null && model.runsInPlace(checked);
            if (storage == output && !inPlace) {
                SizePolynomial size = bytes(shapes, output);
                bytes.put(output, size);
                live.add(output);
                current = current.plus(size);
            } else if (inPlace) {
                Value input = liveness.storageOf(node.inputs().get(0));
                bytes.put(output, bytes.getOrDefault(input, SizePolynomial.ZERO));
                live.remove(input);
                live.add(output);
            }
            totals.add(current);
            List<Value> freed = new ArrayList<>();
            for (Value value : live) {
                if (liveness.lastUse(value) <= i) {
                    freed.add(value);
                }
            }
            for (Value value : freed) {
                live.remove(value);
                current = current.plus(bytes.get(value).times(-1));
            }
        }
    }

    /** Drops every candidate another one is at least everywhere, and duplicates. */
    private static List<SizePolynomial> prune(List<SizePolynomial> candidates) {
        List<SizePolynomial> kept = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            SizePolynomial candidate = candidates.get(i);
            boolean dominated = false;
            for (int j = 0; j < candidates.size() && !dominated; j++) {
                SizePolynomial other = candidates.get(j);
                if (j != i && other.dominates(candidate) && (!other.equals(candidate) || j < i)) {
                    dominated = true;
                }
            }
            if (!dominated) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
