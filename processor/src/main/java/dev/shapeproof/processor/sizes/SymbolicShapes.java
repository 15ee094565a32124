package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.sizes.SizeValues;
import dev.shapeproof.sizes.SymbolicShape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every value's shape in symbols ({@code [-1, 64, ⌈H/2⌉, ⌈W/2⌉]}), from the inputs' declared dims through each op's
 * {@link SizeRules size rule}, in the order the forward runs; and each node's rule.
 */
final class SymbolicShapes {
    private final Map<Value, SymbolicShape> shapes = new IdentityHashMap<>();
    private final Map<Node, SizeRules.Rule> rules = new IdentityHashMap<>();
    /** The nodes that are ops (not calls of blocks), in the order they run. */
    private final List<Node> ops = new ArrayList<>();
    private final CheckedModel model;
    /** In a model checked past a wrong shape, the first node whose check failed; otherwise {@code null}. */
    private Node failed;

    private SymbolicShapes(CheckedModel model) {
        this.model = model;
    }

    static SymbolicShapes of(CheckedModel model, FreeSizeDeclaration declaration) {
        SymbolicShapes result = new SymbolicShapes(model);
        List<GraphInput> inputs = model.graph().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            result.shapes.put(inputs.get(i).value(), declaration.symbolicShape(i));
        }
        result.body(model.graph().body());
        return result;
    }

    private void body(Body body) {
        for (Node node : body.nodes()) {
            if (failed != null) {
                return;
            }
            Value output = body.outputOf(node);
            if (node.callee() != null) {
                body(node.callee());
                Value result = node.callee().outputs().isEmpty() ? null : node.callee().outputs().get(0);
                if (failed == null && result != null && shapes.containsKey(result)) {
                    shapes.put(output, shapes.get(result));
                }
                continue;
            }
            List<SymbolicShape> inputs = new ArrayList<>();
            for (Value input : node.inputs()) {
                inputs.add(shapes.get(input));
            }
            CheckedNode<?> checked = model.checked(node);
            if (checked == null) {
                failed = node;
                return;
            }
            SizeRules.Rule rule = SizeRules.rule(checked, inputs);
            rules.put(node, rule);
            ops.add(node);
            shapes.put(output, rule.output());
        }
    }

    /** The node whose check failed, in a model checked past a wrong shape. */
    Node failed() {
        return failed;
    }

    SymbolicShape of(Value value) {
        return shapes.get(value);
    }

    SizeRules.Rule rule(Node node) {
        return rules.get(node);
    }

    /** The op nodes in the order they run, blocks' included. */
    List<Node> ops() {
        return ops;
    }

    /** Every value with its symbolic shape. */
    Map<Value, SymbolicShape> all() {
        return shapes;
    }

    /**
     * The first value whose symbolic shape at {@code sizes} is not its shape in {@code replayed}, or {@code null}:
     * where a size rule (most likely the general one) does not describe what the op does.
     */
    Value mismatch(SizeValues sizes, Map<Value, TensorShape> replayed) {
        for (Map.Entry<Value, SymbolicShape> entry : shapes.entrySet()) {
            TensorShape actual = replayed.get(entry.getKey());
            if (actual == null) {
                continue;
            }
            SymbolicShape symbolic = entry.getValue();
            if (symbolic.rank() != actual.rank()) {
                return entry.getKey();
            }
            for (int axis = 1; axis < actual.rank(); axis++) {
                if (symbolic.dim(axis).at(sizes) != actual.dim(axis)) {
                    return entry.getKey();
                }
            }
        }
        return null;
    }
}
