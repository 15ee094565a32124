package dev.shapeproof.processor.op;

/**
 * A Python module where PyTorch 1.13 defines functions the forward DSL calls. A forward may call a function under a
 * namespace only where PyTorch has it, with the signature PyTorch gives it there: {@code torch.gelu} is PyTorch's
 * AttributeError, so it is an error here too. A name written bare ({@code gelu(x)}) is the DSL's own and needs no
 * namespace.
 *
 * <p>Each function's namespaces are checked against PyTorch itself by {@code PyTorchNamespacesTest}, which reads what
 * {@code tools/golden/pytorch_functions.py} recorded from PyTorch 1.13.
 */
public enum Namespace {
    /** {@code torch.nn.functional}, written {@code F.}, {@code nn.functional.} or {@code torch.nn.functional.}. */
    F("F", "torch.nn.functional"),
    /** {@code torch}. */
    TORCH("torch", "torch"),
    /** {@code torch.functional}, which holds a few functions of {@code torch} ({@code split}) and none of F's. */
    TORCH_FUNCTIONAL("torch.functional", "torch.functional");

    private final String prefix;
    private final String module;

    Namespace(String prefix, String module) {
        this.prefix = prefix;
        this.module = module;
    }

    /** How a forward usually writes it: {@code F}, {@code torch}. */
    public String prefix() {
        return prefix;
    }

    /** The Python module's full name, as PyTorch's AttributeError names it: {@code torch.nn.functional}. */
    public String module() {
        return module;
    }

    /** The namespace written as {@code prefix} ({@code F}, {@code torch}, {@code torch.functional}), or {@code null}. */
    public static Namespace of(String prefix) {
        for (Namespace namespace : values()) {
            if (namespace.prefix.equals(prefix)) {
                return namespace;
            }
        }
        return null;
    }
}
