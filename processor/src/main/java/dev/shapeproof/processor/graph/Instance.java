package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.op.OpDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A module placed in a model's tree: the model itself, a layer, a block instance with its arguments, or a container.
 * Its path is the prefix of its {@code state_dict} keys ({@code layer2.0.downsample.0}); its children are in
 * registration order, which is PyTorch's {@code state_dict} order.
 */
public final class Instance {
    /** What kind of module it is. */
    public enum Kind {
        /** The {@code @Model} class: the root. */
        MODEL,
        /** A layer: one op with its attributes. */
        LAYER,
        /** An instance of a {@code @Block} class. */
        BLOCK,
        /** {@code nn.Sequential(...)}. */
        SEQUENTIAL,
        /** {@code nn.ModuleList([...])}. */
        MODULE_LIST,
        /** {@code nn.ModuleDict({...})}. */
        MODULE_DICT,
        /**
         * A learned parameter that is not a layer's ({@code nn.Parameter(torch.zeros(1, 1, D))}): state of the module
         * that holds it, read by its forward as a tensor; not a module PyTorch would call.
         */
        PARAMETER
    }

    private final String path;
    private final Kind kind;
    private final OpDefinition<?> op;
    private final Attributes attributes;
    private final ModuleClass moduleClass;
    private final String description;
    private final Map<String, Object> arguments;
    private final Location location;
    private final String field;
    private final ParameterInit parameterInit;
    private final Map<String, Instance> children = new LinkedHashMap<>();
    private Instance parent;

    private Instance(String path, Kind kind, OpDefinition<?> op, Attributes attributes, ModuleClass moduleClass,
            String description, Map<String, Object> arguments, Location location, String field) {
        this(path, kind, op, attributes, moduleClass, description, arguments, location, field, null);
    }

    private Instance(String path, Kind kind, OpDefinition<?> op, Attributes attributes, ModuleClass moduleClass,
            String description, Map<String, Object> arguments, Location location, String field,
            ParameterInit parameterInit) {
        this.parameterInit = parameterInit;
        this.path = Objects.requireNonNull(path, "path");
        this.kind = kind;
        this.op = op;
        this.attributes = attributes;
        this.moduleClass = moduleClass;
        this.description = description;
        this.arguments = arguments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        this.location = location;
        this.field = field;
    }

    /** The model: the root, with path "". */
    public static Instance model(ModuleClass modelClass, Location location) {
        return model(modelClass, Map.of(), location);
    }

    /** The model, with the values its {@code init} text computed, which its forward reads as {@code self.<name>}. */
    public static Instance model(ModuleClass modelClass, Map<String, Object> arguments, Location location) {
        return new Instance("", Kind.MODEL, null, null, modelClass, modelClass.simpleName(), arguments, location,
                null);
    }

    /** A layer at {@code path}, held by the Java field {@code field} of its parent's class (or {@code null}). */
    public static Instance layer(String path, OpDefinition<?> op, Attributes attributes, Location location,
            String field) {
        return new Instance(path, Kind.LAYER, op, attributes, null, op.name(), null, location, field);
    }

    /**
     * A block instance.
     *
     * @param description how messages show it, with its arguments: {@code BasicBlock(64, 128, stride=2)}
     * @param arguments its parameters' values, which its forward text reads as {@code self.<name>}
     */
    public static Instance block(String path, ModuleClass blockClass, String description,
            Map<String, Object> arguments, Location location, String field) {
        return new Instance(path, Kind.BLOCK, null, null, blockClass, description, arguments, location, field);
    }

    /** A parameter at {@code path}, held by the field {@code field} of its parent's class. */
    public static Instance parameter(String path, ParameterInit init, Location location, String field) {
        return new Instance(path, Kind.PARAMETER, null, null, null, init.toString(), null, location, field, init);
    }

    /** A container of {@code kind} ({@code SEQUENTIAL}, {@code MODULE_LIST} or {@code MODULE_DICT}). */
    public static Instance container(String path, Kind kind, Location location, String field) {
        String type = switch (kind) {
            case SEQUENTIAL -> "Sequential";
            case MODULE_LIST -> "ModuleList";
            case MODULE_DICT -> "ModuleDict";
            default -> throw new IllegalArgumentException(kind + " is not a container");
        };
        return new Instance(path, kind, null, null, null, type, null, location, field);
    }

    /** Registers {@code child} under {@code key}, in order. */
    public void addChild(String key, Instance child) {
        if (children.putIfAbsent(key, child) != null) {
            throw new IllegalStateException(path + " already has a child " + key);
        }
        child.parent = this;
    }

    public String path() {
        return path;
    }

    /** The last part of the path: the key in its parent ({@code conv1}, {@code 0}); "" for the model. */
    public String key() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    public Kind kind() {
        return kind;
    }

    /** The op of a layer; {@code null} otherwise. */
    public OpDefinition<?> op() {
        return op;
    }

    /** The attributes of a layer; {@code null} otherwise. */
    public Attributes attributes() {
        return attributes;
    }

    /** A parameter's shape and initial values; {@code null} for modules. */
    public ParameterInit parameterInit() {
        return parameterInit;
    }

    /** The class of a block or of the model; {@code null} otherwise. */
    public ModuleClass moduleClass() {
        return moduleClass;
    }

    /** The block's parameters' values, by name; empty for other kinds. */
    public Map<String, Object> arguments() {
        return arguments;
    }

    /** {@code BasicBlock(64, 128, stride=2)}, {@code Conv2d}, {@code Sequential}: how messages show it. */
    public String description() {
        return description;
    }

    /** Where it was declared: its layer annotation or the {@code @Init} expression that made it. */
    public Location location() {
        return location;
    }

    /** The Java field of the parent's class that holds it, or {@code null} for an entry of a container. */
    public String field() {
        return field;
    }

    public Instance parent() {
        return parent;
    }

    /** The children in registration order, by key. */
    public Map<String, Instance> children() {
        return Collections.unmodifiableMap(children);
    }

    /** The child {@code key}, or {@code null}. */
    public Instance child(String key) {
        return children.get(key);
    }

    /** The PyTorch base class of a block, or the container kind's; {@code null} for layers and the model. */
    public ModuleClass.Base base() {
        return switch (kind) {
            case BLOCK -> moduleClass.base();
            case SEQUENTIAL -> ModuleClass.Base.SEQUENTIAL;
            case MODULE_LIST -> ModuleClass.Base.MODULE_LIST;
            case MODULE_DICT -> ModuleClass.Base.MODULE_DICT;
            default -> null;
        };
    }

    /** The PyTorch class name torchsummary prints for a call of it. */
    public String pytorchType() {
        return switch (kind) {
            case LAYER -> op.name();
            case BLOCK, MODEL -> moduleClass.pytorchName();
            case PARAMETER -> "Parameter";
            default -> description;
        };
    }

    /** Whether a call of it is a torchsummary row (layers, blocks that are not Sequential or ModuleList). */
    public boolean isSummaryRow() {
        return kind == Kind.LAYER || (kind == Kind.BLOCK || kind == Kind.MODULE_DICT) && base().isSummaryRow();
    }

    /** The innermost block (or the model) above this instance: whose class declares it or its container. */
    public Instance owner() {
        Instance owner = parent;
        while (owner != null && owner.kind != Kind.BLOCK && owner.kind != Kind.MODEL) {
            owner = owner.parent;
        }
        return owner;
    }

    /** This instance and every one below it, depth first in registration order. */
    public List<Instance> all() {
        List<Instance> all = new ArrayList<>();
        all.add(this);
        for (Instance child : children.values()) {
            all.addAll(child.all());
        }
        return all;
    }

    @Override
    public String toString() {
        return (path.isEmpty() ? "" : path + " = ") + description;
    }
}
