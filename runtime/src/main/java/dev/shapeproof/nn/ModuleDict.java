package dev.shapeproof.nn;

import java.util.Map;

/**
 * PyTorch's {@code nn.ModuleDict}: modules held by name in insertion order ({@code denseblock1.denselayer1}). It is
 * not called itself; a block that extends it (torchvision's {@code _DenseBlock}) gives it a forward text that
 * iterates over {@code self.items()}.
 */
public class ModuleDict extends NnModule {
    /** For a block that extends it: the generated subclass registers the entries. */
    protected ModuleDict() {}

    /** A dictionary called {@code name} holding {@code entries}, each keyed by the last part of its name. */
    public ModuleDict(String name, NnModule... entries) {
        initModule(name, entries);
    }

    @Override
    public String pytorchType() {
        return "ModuleDict";
    }

    /** The entry {@code key}, or {@code null}. */
    public final NnModule get(String key) {
        return child(key);
    }

    /** The entries by key, in insertion order. */
    public final Map<String, NnModule> entries() {
        return children();
    }
}
