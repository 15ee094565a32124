package dev.shapeproof.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Matches a loaded weight file against the parameters a model expects, as PyTorch's
 * {@code load_state_dict(strict=...)} does, and reports every difference at once.
 *
 * <pre>{@code
 * Map<String, long[]> expected = new LinkedHashMap<>();   // state_dict order
 * expected.put("conv1.weight", new long[] {10, 1, 5, 5});
 * expected.put("bn1.num_batches_tracked", new long[0]);   // 0-d
 * StateDictCheck.Result weights = StateDictCheck.check(expected, StateDictFiles.read(path), true,
 *         KeyMap.prefix("features.0.", "conv1.").asMap());
 * }</pre>
 *
 * <p>A failed strict check throws one {@link WeightFileException} that lists every missing key, every unexpected
 * key and every shape mismatch:
 *
 * <pre>
 * /w/net.npz: the weights do not match the model (1 missing, 1 unexpected, 1 mismatched)
 *   missing: fc2.bias
 *   unexpected: fc3.bias
 *   mismatched: conv1.weight: expected [10, 1, 5, 5], found [10, 1, 3, 3]
 * </pre>
 */
public final class StateDictCheck {
    private StateDictCheck() {}

    /** A key whose tensor has another shape than the model's. */
    public record Mismatch(String key, String fileKey, long[] expected, long[] found) {
        public Mismatch {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(fileKey, "fileKey");
            expected = expected.clone();
            found = found.clone();
        }

        @Override
        public long[] expected() {
            return expected.clone();
        }

        @Override
        public long[] found() {
            return found.clone();
        }

        /** {@code conv1.weight: expected [10, 1, 5, 5], found [10, 1, 3, 3]}. */
        public String describe() {
            return key + renamedFrom(key, fileKey) + ": expected " + Shapes.list(expected) + ", found "
                    + Shapes.list(found);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Mismatch that && key.equals(that.key) && fileKey.equals(that.fileKey)
                    && Arrays.equals(expected, that.expected) && Arrays.equals(found, that.found);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, fileKey, Arrays.hashCode(expected), Arrays.hashCode(found));
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /**
     * What a check found and loaded.
     *
     * @param tensors    the tensors that match, by model key in the expected order: float32, c order, owning their
     *                   buffer; {@code *num_batches_tracked} as int64 (LONG)
     * @param missing    model keys the file lacks, in the expected order
     * @param unexpected model keys (after renaming) the model does not have, in the file's order
     * @param mismatched keys present on both sides with different shapes, in the expected order
     * @param notes      the file's conversion notes ({@link LoadedState#notes()})
     */
    public record Result(Map<String, INDArray> tensors, List<String> missing, List<String> unexpected,
                         List<Mismatch> mismatched, List<String> notes) {
        public Result {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            missing = List.copyOf(missing);
            unexpected = List.copyOf(unexpected);
            mismatched = List.copyOf(mismatched);
            notes = List.copyOf(notes);
        }

        /** True when every expected key was loaded and nothing was left over. */
        public boolean isComplete() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }

        /** One line per skipped key, as a strict check would have listed them; empty when complete. */
        public List<String> skipped() {
            List<String> lines = new ArrayList<>();
            missing.forEach(key -> lines.add("missing: " + key));
            unexpected.forEach(key -> lines.add("unexpected: " + key));
            mismatched.forEach(mismatch -> lines.add("mismatched: " + mismatch.describe()));
            return lines;
        }
    }

    /**
     * Renames the file's keys, then compares them with the model's.
     *
     * @param expected model key to shape ({@code long[0]}: a 0-d scalar), in state_dict order
     * @param loaded   the file's tensors
     * @param strict   true: any missing, unexpected or mis-shaped key fails the check; false: load what matches
     *                 and report the rest in the result
     * @param rename   file key prefix to model key prefix, applied first (see {@link KeyMap}); may be empty
     * @throws WeightFileException if strict and anything differs, listing everything; in either mode, if two file
     *                             keys rename to the same model key
     */
    public static Result check(Map<String, long[]> expected, LoadedState loaded, boolean strict,
                               Map<String, String> rename) throws WeightFileException {
        Objects.requireNonNull(rename, "rename");
        return check(expected, loaded, strict, KeyMap.of(rename));
    }

    /** {@link #check(Map, LoadedState, boolean, Map)} with the renames as a {@link KeyMap}. */
    public static Result check(Map<String, long[]> expected, LoadedState loaded, boolean strict, KeyMap rename)
            throws WeightFileException {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(loaded, "loaded");
        Objects.requireNonNull(rename, "rename");
        expected.forEach((key, shape) -> {
            Objects.requireNonNull(shape, () -> "the expected shape of '" + key + "' is null");
            for (long dim : shape) {
                if (dim < 0) {
                    throw new IllegalArgumentException("the expected shape of '" + key + "' has a negative dimension: "
                            + Shapes.list(shape));
                }
            }
        });

        // File key -> model key, refusing two file keys that become one model key.
        Map<String, String> fileKeyOf = new LinkedHashMap<>();
        Map<String, INDArray> byModelKey = new LinkedHashMap<>();
        List<String> collisions = new ArrayList<>();
        for (Map.Entry<String, INDArray> entry : loaded.tensors().entrySet()) {
            String modelKey = rename.apply(entry.getKey());
            String earlier = fileKeyOf.putIfAbsent(modelKey, entry.getKey());
            if (earlier != null) {
                collisions.add("renamed twice: file keys '" + earlier + "' and '" + entry.getKey()
                        + "' both become '" + modelKey + "'");
                continue;
            }
            byModelKey.put(modelKey, entry.getValue());
        }
        if (!collisions.isEmpty()) {
            throw WeightFileException.listing(loaded.file(), "the key renames " + rename.asMap()
                    + " map several file keys to one model key", collisions);
        }

        Map<String, INDArray> tensors = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<Mismatch> mismatched = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : expected.entrySet()) {
            String key = entry.getKey();
            INDArray tensor = byModelKey.get(key);
            if (tensor == null) {
                missing.add(key);
            } else if (!Arrays.equals(entry.getValue(), tensor.shape())) {
                mismatched.add(new Mismatch(key, fileKeyOf.get(key), entry.getValue(), tensor.shape()));
            } else {
                tensors.put(key, normalized(key, tensor));
            }
        }
        List<String> unexpected = new ArrayList<>();
        List<String> unexpectedLines = new ArrayList<>();
        for (String modelKey : byModelKey.keySet()) {
            if (!expected.containsKey(modelKey)) {
                unexpected.add(modelKey);
                unexpectedLines.add("unexpected: " + modelKey + renamedFrom(modelKey, fileKeyOf.get(modelKey)));
            }
        }

        if (strict && !(missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty())) {
            List<String> problems = new ArrayList<>();
            missing.forEach(key -> problems.add("missing: " + key));
            problems.addAll(unexpectedLines);
            mismatched.forEach(mismatch -> problems.add("mismatched: " + mismatch.describe()));
            String summary = "the weights do not match the model (" + missing.size() + " missing, "
                    + unexpected.size() + " unexpected, " + mismatched.size() + " mismatched"
                    + (rename.asMap().isEmpty() ? "" : "; keys renamed by " + rename.asMap()) + ")";
            throw WeightFileException.listing(loaded.file(), summary, problems);
        }
        return new Result(tensors, missing, unexpected, mismatched, loaded.notes());
    }

    /** Float tensors as float32 and the counter as int64, c order, never a view of someone else's buffer. */
    private static INDArray normalized(String key, INDArray tensor) {
        DataType wanted = StoredType.isCounterKey(key) ? DataType.LONG : DataType.FLOAT;
        INDArray out = tensor.dataType() == wanted ? tensor : tensor.castTo(wanted);
        if (out.ordering() != 'c' || out.isView()) {
            out = out.dup('c');
        }
        return out;
    }

    private static String renamedFrom(String modelKey, String fileKey) {
        return fileKey == null || fileKey.equals(modelKey) ? "" : " (file key '" + fileKey + "')";
    }
}
