package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise layers (activations, dropout): the output has the input's shape, there are no parameters and the
 * receptive field does not change. The layer is constructed from its name and the listed attributes, in order.
 */
final class PointwiseOp extends UnaryOp<PointwiseOp.Config> {

    /**
     * @param arguments the layer's constructor arguments after its name, in order
     * @param training for a dropout called with a literal {@code training=True/False}, that value; otherwise
     *     {@code null}, and the dropout follows the model's mode
     */
    record Config(List<Object> arguments, Boolean training) {}

    private final String kernel;
    private final List<FunctionSignature> functions;
    private final FunctionSignature module;
    private final List<String> constructorArguments;
    private final boolean imagesOnly;
    private final boolean isDropout;

    private PointwiseOp(String name, String kernel, List<FunctionSignature> functions, FunctionSignature module,
            List<AttributeSpec> attributes, List<String> constructorArguments, boolean imagesOnly, boolean isDropout) {
        super(name, attributes);
        this.kernel = kernel;
        this.functions = List.copyOf(functions);
        this.module = module;
        this.constructorArguments = List.copyOf(constructorArguments);
        this.imagesOnly = imagesOnly;
        this.isDropout = isDropout;
    }

    /**
     * {@code relu(x, inplace=False)}, run by the runtime function {@code relu}: {@code F.relu} takes {@code inplace},
     * {@code torch.relu} does not.
     */
    static PointwiseOp relu() {
        FunctionSignature function = FunctionSignature.of("relu", Param.tensor("input"),
                Param.ignored("inplace", "False"));
        return new PointwiseOp("ReLU", "relu",
                List.of(function.in(Namespace.F), function.without("inplace").in(Namespace.TORCH)),
                FunctionSignature.of("ReLU", inplace()), List.of(), List.of(), false, false);
    }

    /**
     * An activation without attributes or {@code inplace} ({@code sigmoid}, {@code tanh}), run by the runtime
     * function {@code kernel}, called {@code function} in the forward DSL, in {@code torch} and in {@code F}.
     */
    static PointwiseOp of(String name, String kernel, String function) {
        return new PointwiseOp(name, kernel,
                List.of(FunctionSignature.of(function, Param.tensor("input")).in(Namespace.F, Namespace.TORCH)),
                FunctionSignature.of(name), List.of(), List.of(), false, false);
    }

    /**
     * An activation whose module takes {@code inplace} ({@code nn.ReLU6(inplace=True)}): the attribute the
     * annotation has too, so a module declared in place aliases its input as PyTorch's does.
     */
    static PointwiseOp inplaceActivation(String name, String kernel, String function) {
        return new PointwiseOp(name, kernel,
                List.of(FunctionSignature.of(function, Param.tensor("input"), Param.ignored("inplace", "False"))
                        .in(Namespace.F)),
                FunctionSignature.of(name, inplace()), List.of(), List.of(), false, false);
    }

    /** {@code nn.ELU(alpha=1.0, inplace=False)}: {@code x} where positive, else {@code alpha·(eˣ − 1)}. */
    static PointwiseOp elu() {
        return new PointwiseOp("ELU", "elu",
                List.of(FunctionSignature.of("elu", Param.tensor("input"),
                        Param.optional("alpha", "alpha", ParamKind.DOUBLE, 1.0, "1.0"),
                        Param.ignored("inplace", "False")).in(Namespace.F)),
                FunctionSignature.of("ELU", Param.optionalModule("alpha", "alpha", ParamKind.DOUBLE, "1.0"),
                        inplace()),
                List.of(), List.of("alpha"), false, false);
    }

    /**
     * torchvision's {@code StochasticDepth(p, mode)} and {@code stochastic_depth(input, p, mode, training)}: in
     * training, zeroes whole samples ({@code "row"}) or the whole batch ({@code "batch"}) with probability {@code p}
     * and scales the rest by {@code 1/(1−p)}; the identity in eval. Like dropout, the function follows the model's
     * mode unless {@code training} is a literal.
     */
    static PointwiseOp stochasticDepth() {
        return new PointwiseOp("StochasticDepth", "stochasticDepth",
                // torchvision.ops.stochastic_depth: PyTorch has it in no namespace, so it is written bare
                List.of(FunctionSignature.of("stochastic_depth", Param.tensor("input"),
                        Param.required("p", "p", ParamKind.DOUBLE),
                        Param.required("mode", "mode", ParamKind.STRING),
                        Param.optional("training", "training", ParamKind.MODE, "self.training", "True"))),
                FunctionSignature.of("StochasticDepth",
                        Param.requiredModule("p", "p", ParamKind.DOUBLE),
                        Param.requiredModule("mode", "mode", ParamKind.STRING)),
                List.of(AttributeSpec.probability("p", "p is the probability of dropping a residual branch"),
                        AttributeSpec.choice("mode", "\"row\" drops each sample's branch, \"batch\" the whole batch's",
                                "row", "batch")),
                List.of("p", "mode"), false, true);
    }

    /** A module's {@code inplace}, which sets the annotation's attribute of that name. */
    private static Param inplace() {
        return Param.optionalModule("inplace", "inplace", ParamKind.BOOL, "False");
    }

    static PointwiseOp leakyReLU() {
        return new PointwiseOp("LeakyReLU", "leakyRelu",
                List.of(FunctionSignature.of("leaky_relu", Param.tensor("input"),
                        Param.optional("negative_slope", "slope", ParamKind.DOUBLE, 0.01, "0.01"),
                        Param.ignored("inplace", "False")).in(Namespace.F)),
                FunctionSignature.of("LeakyReLU",
                        Param.optionalModule("negative_slope", "slope", ParamKind.DOUBLE, "0.01"),
                        Param.ignored("inplace", "False")),
                List.of(), List.of("slope"), false, false);
    }

    static PointwiseOp gelu() {
        return new PointwiseOp("GELU", "gelu",
                List.of(FunctionSignature.of("gelu", Param.tensor("input"),
                        Param.optional("approximate", "approximate", ParamKind.STRING, "none", "'none'").byKeyword())
                        .in(Namespace.F)),
                FunctionSignature.of("GELU",
                        Param.optionalModule("approximate", "approximate", ParamKind.STRING, "'none'")),
                List.of(AttributeSpec.choice("approximate",
                        "approximate = \"none\" is the exact erf form, \"tanh\" PyTorch's tanh approximation",
                        "none", "tanh")),
                List.of("approximate"), false, false);
    }

    /**
     * Dropout follows the model's mode unless {@code training} is a literal ({@code training=self.training} is the
     * default). {@code torch.dropout(input, p, train)}, ATen's operator, takes no default and names the mode
     * {@code train}; {@code torch} has no {@code dropout2d}.
     */
    static PointwiseOp dropout(String name, String kernel, String function, boolean imagesOnly) {
        List<FunctionSignature> functions = new ArrayList<>();
        functions.add(FunctionSignature.of(function, Param.tensor("input"),
                Param.optional("p", "p", ParamKind.DOUBLE, 0.5, "0.5"),
                Param.optional("training", "training", ParamKind.MODE, "self.training", "self.training"),
                Param.ignored("inplace", "False")).in(Namespace.F));
        if (!imagesOnly) {
            functions.add(FunctionSignature.of(function, Param.tensor("input"),
                    Param.required("p", "p", ParamKind.DOUBLE),
                    Param.required("train", "training", ParamKind.MODE)).in(Namespace.TORCH));
        }
        return new PointwiseOp(name, kernel, functions,
                FunctionSignature.of(name,
                        Param.optionalModule("p", "p", ParamKind.DOUBLE, "0.5"),
                        Param.ignored("inplace", "False")),
                List.of(AttributeSpec.probability("p",
                        "p is the probability of zeroing in training, e.g. 0.5 (PyTorch's default)")),
                List.of("p"), imagesOnly, true);
    }

    /** Activations compute each element from itself alone, so they can overwrite a dead input. */
    @Override
    public List<FunctionSignature> functions() {
        return functions;
    }

    /** The activations torch.Tensor has as methods: {@code s.sigmoid()}, as squeeze-and-excitation gates write. */
    private static final java.util.Set<String> TENSOR_METHODS = java.util.Set.of("relu", "sigmoid", "tanh");

    @Override
    public List<FunctionSignature> methods() {
        String function = functions.get(0).name();
        return TENSOR_METHODS.contains(function)
                ? List.of(FunctionSignature.of(function, Param.tensor("input")))
                : List.of();
    }

    @Override
    public FunctionSignature moduleSignature() {
        return module;
    }

    @Override
    public boolean runsInPlace() {
        return !isDropout;
    }

    /** Dropout in eval mode is the identity and returns its input itself. */
    @Override
    public boolean aliasesInput() {
        return isDropout;
    }

    @Override
    public Config configure(NodeContext node) {
        List<Object> values = new ArrayList<>();
        for (String attribute : constructorArguments) {
            Attribute value = node.attribute(attribute);
            // GELU's approximate is a string in the annotation and a flag on the layer.
            values.add(attribute.equals("approximate") ? value.asString().equals("tanh") : value.value());
        }
        Boolean training = node.findAttribute("training")
                .filter(Attribute::explicit)
                .map(Attribute::value)
                .filter(Boolean.class::isInstance)
                .map(Boolean.class::cast)
                .orElse(null);
        return new Config(values, training);
    }

    /**
     * The shape is the input's. Dropout2d is meant for images; PyTorch 1.13 runs it on other ranks with a deprecation
     * warning (on [N, F] as plain dropout, on [N, C, L] dropping rows of L), so that is a lint here, not an error.
     */
    @Override
    TensorShape infer(Config config, TensorShape input, NodeContext node) {
        if (imagesOnly && input.rank() != 4) {
            boolean function = node.findAttribute("training").isPresent();
            String drops = input.rank() == 2 ? "single features, as Dropout does"
                    : input.rank() == 3 ? "whole rows of the last axis (channel-wise 1-D dropout)"
                    : "whole slices of axis 1";
            String hint = input.rank() == 2
                    ? (function ? "use dropout(x) for features" : "use @Dropout (DropoutLayer) for features")
                    : (function ? "use dropout(x), or dropout2d on the 4-D map before it was reshaped"
                            : "use @Dropout, or put " + node.name() + " on the 4-D map before it was reshaped");
            node.report(node.location(), Message.DROPOUT2D_NOT_IMAGE, node.name(), input.rank(), input,
                    node.inputOrigin(), drops, hint);
        }
        return input;
    }

    /**
     * {@code F.relu(x, inPlace)}; dropout follows the model's mode, {@code F.dropout(x, p, training)}, unless the
     * forward text fixed it with a literal {@code training=False}.
     */
    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        List<Object> rest = new java.util.ArrayList<>();
        for (Object value : config.arguments()) {
            rest.add(value instanceof String ? CodeBlock.of("$S", value) : value);
        }
        rest.add(isDropout ? (config.training() != null ? config.training() : training) : inPlace);
        // dropout2d on [N, F] is PyTorch's feature dropout with one draw per element: plain dropout
        String function = imagesOnly && output.rank() == 2 ? "dropout" : kernel;
        return RuntimeCalls.f(function, arguments.get(0), rest.toArray());
    }

    @Override
    CodeBlock newLayer(String name, Config config, TensorShape input) {
        CodeBlock.Builder arguments = CodeBlock.builder().add("$S", name);
        for (Object value : config.arguments()) {
            arguments.add(value instanceof String ? ", $S" : ", $L", value);
        }
        return CodeBlock.of("new $T($L)", ClassName.bestGuess(layerClassName()), arguments.build());
    }

    /** Element-wise: PyTorch lays the output out as the input. */
    @Override
    public Layout layout() {
        return Layout.LIKE_INPUT;
    }
}
