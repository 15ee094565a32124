package dev.shapeproof.processor.check;

import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Liveness;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The memory the generated forward really needs for its activations, per sample: the peak, over the forward's
 * steps, of the bytes held by values still to be read, counting the caller's inputs. An op that runs in place or
 * returns a view allocates nothing; every other value is freed after its last use. A block's forward runs on top of
 * what its caller holds at the call. It reads the same liveness and in-place decisions as the forward writer, so the
 * figure describes the code that runs.
 */
public final class MemoryEstimate {
    /** float32. */
    static final long BYTES_PER_ELEMENT = 4;

    private MemoryEstimate() {}

    /** Peak live activation bytes for one sample. */
    public static long peakBytesPerSample(CheckedModel model) {
        long inputs = 0;
        for (GraphInput input : model.graph().inputs()) {
            inputs += input.shape().sampleSize() * BYTES_PER_ELEMENT;
        }
        return peak(model, model.graph().body(), inputs);
    }

    /** The peak while {@code body} runs, on top of {@code baseline} bytes its caller holds (its inputs included). */
    private static long peak(CheckedModel model, Body body, long baseline) {
        Liveness liveness = model.liveness(body);
        Map<Value, Long> bytes = new IdentityHashMap<>();
        Set<Value> live = Collections.newSetFromMap(new IdentityHashMap<>());
        long current = baseline;
        long peak = current;
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
                peak = Math.max(peak, peak(model, node.callee(), current));
            }
            boolean inPlace = node.callee() == null && model.runsInPlace(checked);
            if (storage == output && !inPlace) {
                // A parameter's value is the model's, not an activation; whatever is computed from it alone is too
                // small to matter and does not grow with the batch.
                long size = checked.output().isBatched() ? checked.output().sampleSize() * BYTES_PER_ELEMENT : 0;
                bytes.put(output, size);
                live.add(output);
                current += size;
            } else if (inPlace) {
                // The output takes over its input's storage: the same bytes, now live as long as the output is.
                Value input = liveness.storageOf(node.inputs().get(0));
                bytes.put(output, bytes.getOrDefault(input, 0L));
                live.remove(input);
                live.add(output);
            }
            peak = Math.max(peak, current);
            List<Value> freed = new ArrayList<>();
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
