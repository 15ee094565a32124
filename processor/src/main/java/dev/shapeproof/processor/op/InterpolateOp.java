package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * {@code interpolate(x, size=(h, w) | scale_factor=s, mode='nearest'|'bilinear', align_corners=False)} on images,
 * as {@code torch.nn.functional.interpolate}.
 */
final class InterpolateOp extends OpDefinition<InterpolateOp.Config> {

    /**
     * @param size the output size, or {@code null} when a scale factor is given
     * @param scale the scale factor, or 0 when a size is given (PyTorch maps coordinates with it when given)
     */
    record Config(Pair size, double scale, String mode, boolean alignCorners) {}

    /** The attribute names: the function's are PyTorch's, the {@code @Upsample} annotation's Java's. */
    private final String sizeName;
    private final String scaleName;
    private final String alignName;
    private final boolean module;

    InterpolateOp() {
        this("interpolate", "size", "scale_factor", "align_corners", false);
    }

    private InterpolateOp(String name, String sizeName, String scaleName, String alignName, boolean module) {
        super(name, List.of(
                AttributeSpec.positive(sizeName, sizeName + " is the output's (height, width)"),
                AttributeSpec.positive(scaleName, scaleName + " multiplies height and width, e.g. 2"),
                AttributeSpec.choice("mode", "ShapeProof supports 'nearest' and 'bilinear'", "nearest", "bilinear")));
        this.sizeName = sizeName;
        this.scaleName = scaleName;
        this.alignName = alignName;
        this.module = module;
    }

    /**
     * {@code @Upsample}: PyTorch's {@code nn.Upsample(size, scale_factor, mode, align_corners)}, the module form of
     * {@code interpolate}, with the same rules.
     */
    static InterpolateOp upsample() {
        return new InterpolateOp("Upsample", "size", "scaleFactor", "alignCorners", true);
    }

    @Override
    public boolean isModule() {
        return module;
    }

    @Override
    public FunctionSignature moduleSignature() {
        return !module ? null : FunctionSignature.of("Upsample",
                Param.optionalModule("size", sizeName, ParamKind.INTS, "None"),
                Param.optionalModule("scale_factor", scaleName, ParamKind.DOUBLE, "None"),
                Param.optionalModule("mode", "mode", ParamKind.STRING, "'nearest'"),
                Param.optionalModule("align_corners", alignName, ParamKind.BOOL, "None"),
                Param.unsupported("recompute_scale_factor"));
    }

    @Override
    public List<FunctionSignature> functions() {
        if (module) {
            return List.of();
        }
        return List.of(FunctionSignature.of("interpolate",
                Param.tensor("input"),
                Param.optional("size", "size", ParamKind.INTS, List.of(), "None"),
                Param.optional("scale_factor", "scale_factor", ParamKind.DOUBLE, 0.0, "None"),
                Param.optional("mode", "mode", ParamKind.STRING, "nearest", "'nearest'"),
                Param.optional("align_corners", "align_corners", ParamKind.BOOL, false, "None"),
                Param.unsupported("recompute_scale_factor"),
                Param.ignored("antialias", "False")).in(Namespace.F));
    }

    @Override
    public Config configure(NodeContext node) {
        Attribute size = node.attribute(sizeName);
        Attribute scale = node.attribute(scaleName);
        Attribute alignCorners = node.attribute(alignName);
        String mode = node.attribute("mode").asString();
        if (size.explicit() == scale.explicit()) {
            node.report(node.location(), Message.WRONG_ARGUMENTS, node.name(),
                    name() + " needs exactly one of " + sizeName + " and " + scaleName,
                    size.explicit() ? sizeName + " and " + scaleName : "neither " + sizeName + " nor " + scaleName,
                    sizeName + "=(h, w) or " + scaleName + "=s",
                    "give the output size, e.g. " + sizeName + "=(64, 64), or " + scaleName + "=2");
            return null;
        }
        if (alignCorners.explicit() && mode.equals("nearest")) {
            node.report(alignCorners.location(), Message.CONFLICTING_ATTRIBUTES, node.name(), alignName,
                    "mode='nearest'", alignName + "=" + (alignCorners.asBoolean() ? "True" : "False")
                            + " with mode='nearest'",
                    "remove " + alignName + ": PyTorch allows it only with the interpolating modes, such as "
                            + "bilinear");
            return null;
        }
        return new Config(size.explicit() ? Pair.of(size) : null, scale.explicit() ? scale.asDouble() : 0, mode,
                alignCorners.explicit() && alignCorners.asBoolean());
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        TensorShape input = inputs.get(0);
        if (!Shapes.requireImage(input, node, name())) {
            return null;
        }
        long height = outputSize(config, input, 0);
        long width = outputSize(config, input, 1);
        if (height <= 0 || width <= 0) {
            node.report(node.attribute(scaleName).location(), Message.NOT_POSITIVE, node.name(),
                    "the output size", height + "×" + width, "a scale factor this small leaves no pixel", "≥ 1");
            return null;
        }
        Attribute given = config.size() != null ? node.attribute(sizeName) : node.attribute(scaleName);
        return Shapes.output(input, new long[] {input.dim(1), height, width}, node, given.location(),
                given.name() + " = " + (config.size() != null ? config.size().toString() : scale(config.scale())),
                config.size() != null ? "use a smaller size" : "use a smaller scale_factor, or give the size");
    }

    /** {@code 1,000,000,000} for a whole scale, else Java's spelling ({@code 0.75}). */
    private static String scale(double scale) {
        return scale == Math.rint(scale) && scale < 1e18 ? Shapes.count((long) scale) : Double.toString(scale);
    }

    /**
     * The output size along {@code axis} (0 height, 1 width): the given size, or ⌊input·scale⌋ in doubles as PyTorch
     * computes it (Python's {@code math.floor(float(size) * scale)}), saturating at {@code Long.MAX_VALUE}.
     */
    private static long outputSize(Config config, TensorShape input, int axis) {
        if (config.size() != null) {
            return config.size().get(axis);
        }
        return (long) Math.floor(input.dim(2 + axis) * config.scale());
    }

    /** Resizing in → out scales the jump by in/out and widens the field by (taps − 1) output jumps. */
    @Override
    public ReceptiveField[] receptiveField(Config config, List<TensorShape> inputs, ReceptiveField height,
            ReceptiveField width) {
        // Output sizes are not in the config when a scale is given; recover them from the rule above.
        TensorShape input = inputs.get(0);
        long outH = outputSize(config, input, 0);
        long outW = outputSize(config, input, 1);
        int taps = config.mode().equals("bilinear") ? 2 : 1;
        return new ReceptiveField[] {resize(height, input.dim(2), outH, taps), resize(width, input.dim(3), outW, taps)};
    }

    private static ReceptiveField resize(ReceptiveField field, int in, long out, int taps) {
        double jump = field.jump() * in / out;
        return new ReceptiveField(field.size() + (taps - 1) * jump, jump);
    }

    /**
     * {@code new UpsampleLayer("up", null, 2.0, "bilinear", true)}: the layer computes its output size from each
     * input, as PyTorch's does, so a second call with another size is right too.
     */
    @Override
    public CodeBlock newLayer(String name, Config config, List<TensorShape> inputs) {
        CodeBlock size = config.size() == null ? CodeBlock.of("null")
                : CodeBlock.of("new int[] {$L, $L}", config.size().height(), config.size().width());
        return CodeBlock.of("new $T($S, $L, $L, $S, $L)", ClassName.bestGuess(layerClassName()), name, size,
                config.scale(), config.mode(), config.alignCorners());
    }

    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f("interpolate", arguments.get(0), output.dim(2), output.dim(3),
                config.scale(), config.scale(), CodeBlock.of("$S", config.mode()), config.alignCorners());
    }

    /** An image kernel: channels last in, channels last out. */
    @Override
    public Layout layout() {
        return Layout.MEMORY_FORMAT;
    }
}
