package dev.shapeproof.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prefix renames from a file's keys to a model's keys, for state_dicts saved from differently nested modules.
 *
 * <p>A PyTorch {@code nn.Sequential} names its children by index, so the same convolution is {@code features.0.weight}
 * in one model and {@code conv1.weight} in another; {@code nn.DataParallel} adds {@code module.} in front of every
 * key. A rename replaces a key's prefix:
 *
 * <pre>{@code
 * KeyMap renames = KeyMap.prefix("features.0.", "conv1.")
 *         .and("features.1.", "bn1.")
 *         .and("classifier.", "fc1.");
 * KeyMap.prefix("module.", "")        // strip DataParallel's prefix
 * }</pre>
 *
 * <p>Where several prefixes match, the longest wins, so {@code features.1.} and {@code features.10.} never
 * collide; a key no prefix matches keeps its name. A whole key is a prefix of itself, so an exact rename is a prefix
 * rename too ({@code "fc.weight" -> "fc1.weight"}). End prefixes with the dot: {@code features.1} would also match
 * {@code features.10.weight}.
 *
 * <p>{@link #asMap()} gives the same renames as the {@code Map<String, String>} that
 * {@link StateDictCheck#check(Map, LoadedState, boolean, Map)} takes; that map is read the same way.
 */
public final class KeyMap {
    private static final KeyMap NONE = new KeyMap(Map.of());

    private final Map<String, String> prefixes;

    private KeyMap(Map<String, String> prefixes) {
        this.prefixes = Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
    }

    /** No renames: every key keeps its name. */
    public static KeyMap none() {
        return NONE;
    }

    /** Renames keys starting with {@code filePrefix} to start with {@code modelPrefix} instead. */
    public static KeyMap prefix(String filePrefix, String modelPrefix) {
        return NONE.and(filePrefix, modelPrefix);
    }

    /** The renames of a map: each entry is a file prefix and its model prefix. */
    public static KeyMap of(Map<String, String> prefixes) {
        KeyMap map = NONE;
        for (Map.Entry<String, String> entry : prefixes.entrySet()) {
            map = map.and(entry.getKey(), entry.getValue());
        }
        return map;
    }

    /** These renames and one more. */
    public KeyMap and(String filePrefix, String modelPrefix) {
        Objects.requireNonNull(filePrefix, "filePrefix");
        Objects.requireNonNull(modelPrefix, "modelPrefix");
        if (prefixes.containsKey(filePrefix)) {
            throw new IllegalArgumentException("the prefix '" + filePrefix + "' is renamed twice");
        }
        Map<String, String> more = new LinkedHashMap<>(prefixes);
        more.put(filePrefix, modelPrefix);
        return new KeyMap(more);
    }

    /** The model key for a file key: its longest matching prefix replaced, or the key itself. */
    public String apply(String fileKey) {
        String best = null;
        for (String prefix : prefixes.keySet()) {
            if (fileKey.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? fileKey : prefixes.get(best) + fileKey.substring(best.length());
    }

    /** File prefix to model prefix, in the order they were added. */
    public Map<String, String> asMap() {
        return prefixes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyMap that && prefixes.equals(that.prefixes);
    }

    @Override
    public int hashCode() {
        return prefixes.hashCode();
    }

    @Override
    public String toString() {
        return "KeyMap" + prefixes;
    }
}
