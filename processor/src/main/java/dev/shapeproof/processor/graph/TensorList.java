package dev.shapeproof.processor.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python list of tensors in a forward ({@code features = [x]}, {@code features.append(y)}): the generated code keeps
 * a {@code List<INDArray>} in step with it. Its items are known at every point of the forward, so an op that reads
 * the list ({@code torch.cat(features, 1)}) reads exactly those tensors.
 */
public final class TensorList {
    private final List<Value> items = new ArrayList<>();

    public TensorList(List<Value> items) {
        this.items.addAll(items);
    }

    /** The tensors it holds now. */
    public List<Value> items() {
        return Collections.unmodifiableList(items);
    }

    public void append(Value value) {
        items.add(value);
    }

    /** A copy of what it holds now, for a node that reads it here. */
    public List<Value> snapshot() {
        return List.copyOf(items);
    }
}
