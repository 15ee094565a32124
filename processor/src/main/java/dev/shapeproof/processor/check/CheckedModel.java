package dev.shapeproof.processor.check;

import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.Liveness;
import dev.shapeproof.processor.graph.ModelGraph;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model whose every shape is proven, ready to be emitted: its graph, the checked form of every node in every body,
 * and each body's liveness, which in-place decisions, buffer reuse and the summary's memory figure all read.
 */
public final class CheckedModel {
    private final ModelGraph graph;
    private final Map<Node, CheckedNode<?>> checked;
    private final List<TensorShape> outputs;
    private final Map<Body, Liveness> liveness = new IdentityHashMap<>();
    private final List<ShapeChecker.ShapeRead> shapeReads;
    /** Nodes whose output keeps its input's shape at this size but not at every size the model admits. */
    private final java.util.Set<Node> outOfPlace = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    public CheckedModel(ModelGraph graph, Map<Node, CheckedNode<?>> checked, List<TensorShape> outputs) {
        this(graph, checked, outputs, List.of());
    }

    /** @param shapeReads the forward texts' reads of tensor sizes, which a free-size model must not depend on */
    public CheckedModel(ModelGraph graph, Map<Node, CheckedNode<?>> checked, List<TensorShape> outputs,
            List<ShapeChecker.ShapeRead> shapeReads) {
        this.graph = graph;
        this.checked = new IdentityHashMap<>(checked);
        this.outputs = List.copyOf(outputs);
        this.shapeReads = List.copyOf(shapeReads);
    }

    /** Every read of a tensor's sizes by a forward text ({@code x.shape}, {@code x.size(2)}), in order. */
    public List<ShapeChecker.ShapeRead> shapeReads() {
        return shapeReads;
    }

    public ModelGraph graph() {
        return graph;
    }

    /** The output shapes, in order. */
    public List<TensorShape> outputs() {
        return outputs;
    }

    /** The model's forward's nodes, checked, in order. */
    public List<CheckedNode<?>> nodes() {
        return nodes(graph.body());
    }

    /** The checked nodes of {@code body}, in order. */
    public List<CheckedNode<?>> nodes(Body body) {
        List<CheckedNode<?>> nodes = new ArrayList<>();
        for (Node node : body.nodes()) {
            CheckedNode<?> result = checked.get(node);
            if (result != null) {
                nodes.add(result);
            }
        }
        return nodes;
    }

    /** The checked form of {@code node}. */
    public CheckedNode<?> checked(Node node) {
        return checked.get(node);
    }

    /**
     * Keeps {@code node} out of place: a model with free sizes runs one code at every size, and where a broadcast
     * makes the output larger than the input at some of them, the output cannot reuse the input's storage.
     */
    public void keepOutOfPlace(Node node) {
        outOfPlace.add(node);
    }

    /** The liveness of {@code body}'s values, computed once. */
    public Liveness liveness(Body body) {
        return liveness.computeIfAbsent(body, Liveness::of);
    }

    /**
     * Whether the generated forward computes {@code node} in its first input's storage: the op can, liveness proves
     * nothing reads that input afterwards (and it is not the caller's array), and the output has the input's shape.
     * The forward writer and the memory estimate both ask here.
     */
    public boolean runsInPlace(CheckedNode<?> node) {
        Body body = node.node().body();
        // A tensor without the batch axis is a parameter's (or computed from one): never overwritten.
        return node.op().runsInPlace() && !outOfPlace.contains(node.node())
                && liveness(body).isDeadAfter(node.node().inputs().get(0), node.node())
                && node.output().equals(node.input()) && node.input().isBatched();
    }
}
