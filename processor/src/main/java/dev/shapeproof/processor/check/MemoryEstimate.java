package dev.shapeproof.processor.check;

import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Liveness;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The memory the generated forward really needs for its activations, per sample: the peak, over the forward's
 * steps, of the bytes held by values still to be read, counting the caller's inputs. An op that runs in place or
 * returns a view allocates nothing; every other value is freed after its last use. It reads the same liveness and
 * in-place decisions as the forward writer, so the figure describes the code that runs.
 */
public final class MemoryEstimate {
    /** float32. */
    static final long BYTES_PER_ELEMENT = 4;

    private MemoryEstimate() {}

    /** Peak live activation bytes for one sample. */
    public static long peakBytesPerSample(CheckedModel model) {
        Liveness liveness = model.liveness();
        Map<Value, Long> bytes = new java.util.IdentityHashMap<>();
        Set<Value> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long current = 0;
        for (GraphInput input : model.graph().inputs()) {
            long size = input.shape().sampleSize() * BYTES_PER_ELEMENT;
            bytes.put(input.value(), size);
            live.add(input.value());
            current += size;
        }
        long peak = current;
        List<CheckedNode<?>> nodes = model.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            CheckedNode<?> checked = nodes.get(i);
            Node node = checked.node();
            Value output = model.graph().outputOf(node);
            Value storage = liveness.storageOf(output);
            if (storage == output && !model.runsInPlace(checked)) {
                long size = checked.output().sampleSize() * BYTES_PER_ELEMENT;
                bytes.put(output, size);
                live.add(output);
                current += size;
            } else if (model.runsInPlace(checked)) {
                // The output takes over its input's storage: the same bytes, now live as long as the output is.
                Value input = liveness.storageOf(node.inputs().get(0));
                bytes.put(output, bytes.getOrDefault(input, 0L));
                live.remove(input);
                live.add(output);
            }
            peak = Math.max(peak, current);
            Set<Value> freed = new HashSet<>();
            for (Value value : live) {
                if (liveness.lastUse(value) <= i) {
                    freed.add(value);
                }
            }
            for (Value value : freed) {
                live.remove(value);
                current -= bytes.get(value);
            }
        }
        return peak;
    }
}
