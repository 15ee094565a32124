package dev.shapeproof.io;

import java.util.Objects;

/**
 * How a model loads a weight file: strictly (the default: every key present, none extra, every shape right) or
 * leniently (load what matches and report the rest), and how the file's keys map to the model's.
 *
 * <pre>{@code
 * // A checkpoint of nn.Sequential(...) features: features.0.weight → conv1.weight
 * new NetModel(path, LoadOptions.strict().renaming("features.0.", "conv1.").renaming("features.3.", "conv2."));
 * }</pre>
 */
public final class LoadOptions {
    private final boolean strict;
    private final KeyMap keys;

    private LoadOptions(boolean strict, KeyMap keys) {
        this.strict = strict;
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Every expected key present with its shape, no unexpected key: PyTorch's {@code strict=True}. */
    public static LoadOptions strict() {
        return new LoadOptions(true, KeyMap.none());
    }

    /** Loads the keys that match; the result lists what was missing, unexpected or mis-shaped. */
    public static LoadOptions lenient() {
        return new LoadOptions(false, KeyMap.none());
    }

    /** These options, also renaming file keys that start with {@code filePrefix} to start with {@code modelPrefix}. */
    public LoadOptions renaming(String filePrefix, String modelPrefix) {
        return new LoadOptions(strict, keys.and(filePrefix, modelPrefix));
    }

    /** These options with {@code keys} as the whole key map. */
    public LoadOptions withKeys(KeyMap keys) {
        return new LoadOptions(strict, keys);
    }

    public boolean isStrict() {
        return strict;
    }

    public KeyMap keys() {
        return keys;
    }

    @Override
    public String toString() {
        return (strict ? "strict" : "lenient") + (keys.asMap().isEmpty() ? "" : ", keys " + keys);
    }
}
