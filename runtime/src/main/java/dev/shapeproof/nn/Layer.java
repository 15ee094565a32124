package dev.shapeproof.nn;

import java.util.Objects;

/**
 * A module of a model: its field name, which is also the prefix of its parameters' names ({@code conv1.weight}).
 */
public abstract class Layer {
    private final String name;

    protected Layer(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The field name, as in a PyTorch {@code state_dict}. */
    public final String name() {
        return name;
    }

    /** PyTorch's class name for this module ({@code Conv2d}), as torchsummary prints it. */
    public abstract String pytorchType();

    /** {@code conv1: Conv2d(...)}, the configuration in PyTorch's words. */
    @Override
    public String toString() {
        String arguments = describe();
        return name + ": " + pytorchType() + "(" + arguments + ")";
    }

    /** The configuration as PyTorch's module repr lists it; empty when there is none. */
    protected String describe() {
        return "";
    }
}
