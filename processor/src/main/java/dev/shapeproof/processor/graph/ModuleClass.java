package dev.shapeproof.processor.graph;

import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * A Java class that declares modules: a {@code @Model}, or a {@code @Block} (the counterpart of a PyTorch
 * {@code nn.Module} subclass). Read once per class; each use instantiates it with its own arguments.
 *
 * @param base the PyTorch base class it extends, which decides whether it is a torchsummary row and what its forward
 *     does without a forward text
 * @param pytorchName the class name PyTorch and torchsummary show ({@code BasicBlock}, {@code _DenseLayer})
 * @param params the {@code @Block(params)} attribute, or {@code null} for a model
 * @param forward the forward text's attribute; blank when it has none
 * @param children the {@code @Block(children)} attribute (modules registered after the fields), or {@code null}
 * @param fields its module fields, in declaration order
 * @param init the {@code @Block(init)} attribute (what {@code __init__} computes before its modules), or {@code null}
 */
public record ModuleClass(TypeElement type, Base base, String pytorchName, Attribute params, Attribute forward,
        Attribute children, List<ModuleField> fields, Attribute init) {
    public ModuleClass {
        fields = List.copyOf(fields);
    }

    /** A class without an {@code init} text: a model, or a block that computes nothing before its modules. */
    public ModuleClass(TypeElement type, Base base, String pytorchName, Attribute params, Attribute forward,
            Attribute children, List<ModuleField> fields) {
        this(type, base, pytorchName, params, forward, children, fields, null);
    }

    /** The PyTorch class a block extends, named by its Java superclass. */
    public enum Base {
        /** {@code nn.Module}: a torchsummary row; it needs a forward text to be called. */
        MODULE("dev.shapeproof.nn.NnModule"),
        /** {@code nn.Sequential}: not a row; without a forward text it runs its children in order. */
        SEQUENTIAL("dev.shapeproof.nn.Sequential"),
        /** {@code nn.ModuleList}: not a row; called only through a forward text of its own. */
        MODULE_LIST("dev.shapeproof.nn.ModuleList"),
        /** {@code nn.ModuleDict}: a row when called (torchsummary hooks its subclasses); needs a forward text. */
        MODULE_DICT("dev.shapeproof.nn.ModuleDict");

        private final String javaClass;

        Base(String javaClass) {
            this.javaClass = javaClass;
        }

        /** The runtime class a block with this base extends. */
        public String javaClass() {
            return javaClass;
        }

        /** Whether torchsummary 1.5.1 prints a row for a call of such a module (it skips Sequential and ModuleList). */
        public boolean isSummaryRow() {
            return this == MODULE || this == MODULE_DICT;
        }

        /** The base whose runtime class is {@code qualifiedName}, or {@code null}. */
        public static Base ofJavaClass(String qualifiedName) {
            for (Base base : values()) {
                if (base.javaClass.equals(qualifiedName)) {
                    return base;
                }
            }
            return null;
        }
    }

    /** Whether this is a {@code @Model} (the root of a module tree) rather than a block. */
    public boolean isModel() {
        return params == null;
    }

    /** Whether it has a forward text of its own. */
    public boolean hasForward() {
        return forward != null && !forward.asString().isBlank();
    }

    /** Whether it computes values before its modules ({@code @Block(init)}). */
    public boolean hasInit() {
        return init != null && !init.asString().isBlank();
    }

    /** Whether it registers modules after its fields ({@code @Block(children)}). */
    public boolean hasChildren() {
        return children != null && !children.asString().isBlank();
    }

    /** The simple name users know it by. */
    public String simpleName() {
        return type.getSimpleName().toString();
    }
}
