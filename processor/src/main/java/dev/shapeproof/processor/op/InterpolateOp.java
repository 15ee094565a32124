package dev.shapeproof.processor.op;

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

    InterpolateOp() {
        super("interpolate", List.of(
                AttributeSpec.positive("size", "size is the output's (height, width)"),
                AttributeSpec.positive("scale_factor", "scale_factor multiplies height and width, e.g. 2"),
                AttributeSpec.choice("mode", "ShapeProof supports 'nearest' and 'bilinear'", "nearest", "bilinear")));
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("interpolate",
                Param.tensor("input"),
                Param.optional("size", "size", ParamKind.INTS, List.of(), "None"),
                Param.optional("scale_factor", "scale_factor", ParamKind.DOUBLE, 0.0, "None"),
                Param.optional("mode", "mode", ParamKind.STRING, "nearest", "'nearest'"),
                Param.optional("align_corners", "align_corners", ParamKind.BOOL, false, "None"),
                Param.unsupported("recompute_scale_factor"),
                Param.ignored("antialias", "False")));
    }

    @Override
    public Config configure(NodeContext node) {
        Attribute size = node.attribute("size");
        Attribute scale = node.attribute("scale_factor");
        Attribute alignCorners = node.attribute("align_corners");
        String mode = node.attribute("mode").asString();
        if (size.explicit() == scale.explicit()) {
            node.report(node.location(), Message.WRONG_ARGUMENTS, node.name(),
                    "interpolate needs exactly one of size and scale_factor",
                    size.explicit() ? "size and scale_factor" : "neither size nor scale_factor",
                    "size=(h, w) or scale_factor=s", "give the output size, e.g. size=(64, 64), or scale_factor=2");
            return null;
        }
        if (alignCorners.explicit() && mode.equals("nearest")) {
            node.report(alignCorners.location(), Message.CONFLICTING_ATTRIBUTES, node.name(), "align_corners",
                    "mode='nearest'", "align_corners=" + (alignCorners.asBoolean() ? "True" : "False")
                            + " with mode='nearest'",
                    "remove align_corners: PyTorch allows it only with the interpolating modes, such as bilinear");
            return null;
        }
        return new Config(size.explicit() ? Pair.of(size) : null, scale.explicit() ? scale.asDouble() : 0, mode,
                alignCorners.explicit() && alignCorners.asBoolean());
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        TensorShape input = inputs.get(0);
        if (!Shapes.requireImage(input, node, "interpolate")) {
            return null;
        }
        long height = outputSize(config, input, 0);
        long width = outputSize(config, input, 1);
        if (height <= 0 || width <= 0) {
            node.report(node.attribute("scale_factor").location(), Message.NOT_POSITIVE, node.name(),
                    "the output size", height + "×" + width, "a scale factor this small leaves no pixel", "≥ 1");
            return null;
        }
        Attribute given = config.size() != null ? node.attribute("size") : node.attribute("scale_factor");
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

    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f("interpolate", arguments.get(0), output.dim(2), output.dim(3),
                config.scale(), config.scale(), CodeBlock.of("$S", config.mode()), config.alignCorners());
    }
}
