package dev.shapeproof.processor.graph;

import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * A model lowered to its forward: the module tree, the model's inputs, and the model's body, whose block and
 * container calls hold their own bodies.
 */
public final class ModelGraph {
    private final TypeElement type;
    private final List<GraphInput> inputs;
    private final Instance root;
    private final Body body;
    private final List<String> modules;
    private final List<Instance> uncalled;

    /**
     * @param modules the model's own modules that the forward uses, in declaration order
     * @param uncalled the layers no forward calls, anywhere in the tree: their annotations are still checked
     */
    public ModelGraph(TypeElement type, List<GraphInput> inputs, Instance root, Body body, List<String> modules,
            List<Instance> uncalled) {
        this.type = type;
        this.inputs = List.copyOf(inputs);
        this.root = root;
        this.body = body;
        this.modules = List.copyOf(modules);
        this.uncalled = List.copyOf(uncalled);
    }

    /** The annotated class. */
    public TypeElement type() {
        return type;
    }

    public List<GraphInput> inputs() {
        return inputs;
    }

    /** The model's module tree. */
    public Instance root() {
        return root;
    }

    /** The model's forward. */
    public Body body() {
        return body;
    }

    /** The model's forward's nodes, producers before consumers; calls of blocks hold their own. */
    public List<Node> nodes() {
        return body.nodes();
    }

    public List<Value> outputs() {
        return body.outputs();
    }

    public List<String> outputNames() {
        return body.outputNames();
    }

    public List<Statement> statements() {
        return body.statements();
    }

    /**
     * The model's own modules (its fields) that the forward uses, in declaration order: PyTorch registers modules in
     * {@code __init__} order, and that order is the {@code state_dict}'s.
     */
    public List<String> modules() {
        return modules;
    }

    /** Layers no forward calls: their annotations are checked, but they are not constructed. */
    public List<Instance> uncalled() {
        return uncalled;
    }
}
