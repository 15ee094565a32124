package dev.shapeproof.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tensors of one weight file, as {@link StateDictFiles#read} found them.
 *
 * @param file    the file they came from
 * @param tensors by key, in the file's order (an {@code .npz}'s entry order, which {@code np.savez} takes from the
 *                state_dict; a {@code .safetensors} header's order). Float tensors are {@code FLOAT} (float32),
 *                c-order and own their buffer; a {@code *num_batches_tracked} counter stored as int64 is
 *                {@code LONG}, with the file's shape (0-d in PyTorch)
 * @param notes   what was converted on the way (float64, float16 or bfloat16 to float32; values that overflowed);
 *                empty when every tensor was stored as float32 or int64
 */
public record LoadedState(Path file, Map<String, INDArray> tensors, List<String> notes) {

    public LoadedState {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(notes, "notes");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        notes = List.copyOf(notes);
    }

    /** The keys in the file's order. */
    public List<String> keys() {
        return List.copyOf(tensors.keySet());
    }
}
