package dev.shapeproof.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A module of a model, as PyTorch's {@code nn.Module}: its dotted name, which is the prefix of its {@code state_dict}
 * keys ({@code layer1.0.conv1}), its children in registration order, its mode, and its forward computation.
 *
 * <p>Layers ({@code Conv2dLayer}…) extend {@link Layer}. A block, a class annotated {@code @Block}, extends this class
 * or one of the containers {@link Sequential}, {@link ModuleList} and {@link ModuleDict}, as its PyTorch class extends
 * {@code nn.Module} or a container; the processor generates its subclass, which names it and registers its children
 * once, in its constructor. Every module knows its full name, so a parent keys each child by the last part of it.
 */
public abstract class NnModule {
    private String name;
    private Map<String, NnModule> children = Map.of();
    private Map<String, Parameter> parameters = Map.of();
    private volatile boolean training;

    /** A module whose name and children the generated subclass sets with {@link #initModule}. */
    protected NnModule() {
        this.name = "";
    }

    /** A module without children, named {@code name}. */
    protected NnModule(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Names this module and registers its children, in order; {@code null} children (an optional submodule left out,
     * {@code downsample = None}) are not registered, as PyTorch registers none. Called once, by the constructor of the
     * generated subclass or of a container.
     *
     * @throws IllegalArgumentException if a child's name is not this module's name followed by one more part, or two
     *     children share a name
     */
    protected final void initModule(String name, NnModule... children) {
        this.name = Objects.requireNonNull(name, "name");
        Map<String, NnModule> registered = new LinkedHashMap<>();
        for (NnModule child : children) {
            if (child == null) {
                continue;
            }
            String key = childKey(name, child.name());
            if (registered.put(key, child) != null) {
                throw new IllegalArgumentException(name + " has two children called " + key);
            }
        }
        this.children = Collections.unmodifiableMap(registered);
    }

    /**
     * Names this module and registers its children and its own parameters ({@link Parameter}), in declaration order;
     * {@code null} members are left out. A block whose fields include parameters (ViT's {@code Encoder} with its
     * {@code pos_embedding}, ConvNeXt's {@code CNBlock} with its {@code layer_scale}) is registered through this.
     *
     * @throws IllegalArgumentException if a member is neither a module nor a parameter, its name is not this
     *     module's name followed by one more part, or two members share a name
     */
    protected final void initModule(String name, Object... members) {
        List<NnModule> modules = new ArrayList<>();
        Map<String, Parameter> own = new LinkedHashMap<>();
        for (Object member : members) {
            if (member instanceof NnModule module) {
                modules.add(module);
            } else if (member instanceof Parameter parameter) {
                String key = childKey(name, parameter.name());
                if (own.put(key, parameter) != null) {
                    throw new IllegalArgumentException(name + " has two parameters called " + key);
                }
            } else if (member != null) {
                throw new IllegalArgumentException(name + ": " + member + " is neither a module nor a parameter");
            }
        }
        initModule(name, modules.toArray(new NnModule[0]));
        for (String key : own.keySet()) {
            if (children.containsKey(key)) {
                throw new IllegalArgumentException(name + " has a parameter and a child called " + key);
            }
        }
        this.parameters = Collections.unmodifiableMap(own);
    }

    /** This module's own parameters by attribute name, in declaration order; its children's are theirs. */
    public final Map<String, Parameter> ownParameters() {
        return parameters;
    }

    /** {@code conv1} for the child {@code layer1.0.conv1} of {@code layer1.0}. */
    private static String childKey(String parent, String child) {
        String prefix = parent.isEmpty() ? "" : parent + ".";
        String key = child.startsWith(prefix) ? child.substring(prefix.length()) : "";
        if (key.isEmpty() || key.contains(".")) {
            throw new IllegalArgumentException("the child " + child + " of " + (parent.isEmpty() ? "the model" : parent)
                    + " must be named " + prefix + "<name>");
        }
        return key;
    }

    /** The dotted name, as in a PyTorch {@code state_dict} ({@code layer1.0.conv1}). */
    public final String name() {
        return name;
    }

    /** The children by name ({@code conv1}, or {@code 0} in a {@code Sequential}), in registration order. */
    public final Map<String, NnModule> children() {
        return children;
    }

    /** The child called {@code key}, or {@code null}. */
    public final NnModule child(String key) {
        return children.get(key);
    }

    /** PyTorch's class name for this module ({@code Conv2d}, {@code BasicBlock}), as torchsummary prints it. */
    public abstract String pytorchType();

    /**
     * The output for {@code input}, which is never modified. The result may be {@code input} itself or a view of it
     * (an eval-mode dropout, a flatten; see {@link #mayReturnInput()}).
     *
     * @throws UnsupportedOperationException for a module PyTorch cannot call with one tensor either (a
     *     {@code ModuleList}, a block whose forward takes a list)
     */
    public INDArray forward(INDArray input) {
        throw new UnsupportedOperationException(describeName() + " (" + pytorchType()
                + ") cannot be called with one tensor");
    }

    /**
     * The output for {@code input}, which may be overwritten with it. Called only when nothing reads {@code input}
     * afterwards and it is not the caller's array; only element-wise layers use it.
     */
    public INDArray forwardInPlace(INDArray input) {
        return forward(input);
    }

    /**
     * Whether {@link #forward} may return its input or a view of it, so that writing into the result writes into the
     * input: a flatten, an eval-mode dropout. A container asks before it lets the next module run in place.
     */
    public boolean mayReturnInput() {
        return false;
    }

    /** Training mode on or off, for this module and every module below it, as PyTorch's {@code train(mode)}. */
    public void train(boolean training) {
        this.training = training;
        for (NnModule child : children.values()) {
            child.train(training);
        }
    }

    /** Whether training behaviour (dropout) is on. */
    public final boolean isTraining() {
        return training;
    }

    /** Every module below this one, depth first in registration order, this one excluded. */
    public final List<NnModule> descendants() {
        List<NnModule> all = new ArrayList<>();
        for (NnModule child : children.values()) {
            all.add(child);
            all.addAll(child.descendants());
        }
        return all;
    }

    /** How messages name this module: its dotted name, or its type for an unnamed root. */
    final String describeName() {
        return name.isEmpty() ? pytorchType() : name;
    }

    /** {@code layer1.0: BasicBlock}; layers add their configuration. */
    @Override
    public String toString() {
        return describeName() + ": " + pytorchType();
    }
}
