package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.LayerMath;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.math.BigInteger;
import java.util.List;

/**
 * {@code @ConvTranspose2d}: PyTorch's {@code nn.ConvTranspose2d}, the upsampling convolution of FCN and UNet decoders,
 * with stride, padding, output padding, groups and dilation. Output size {@code (i − 1)·s − 2p + d·(k − 1) + op + 1}.
 */
final class ConvTranspose2dOp extends UnaryOp<ConvTranspose2dOp.Config> {

    /** @param in the declared input channels, or 0 when omitted (then inferred) */
    record Config(int in, int out, Pair kernel, Pair stride, Pair padding, Pair outputPadding, Pair dilation,
            int groups, boolean bias) {
        int inFor(TensorShape input) {
            return in > 0 ? in : input.dim(1);
        }
    }

    ConvTranspose2dOp() {
        super("ConvTranspose2d", List.of(
                AttributeSpec.positive("in", "in counts the input channels; omit it to infer them"),
                AttributeSpec.positive("out", "out counts the output channels"),
                AttributeSpec.positive("kernel", "a kernel has at least one tap"),
                AttributeSpec.positive("stride", "stride 2 doubles the size, as a decoder's upsampling does"),
                AttributeSpec.nonNegative("padding"),
                AttributeSpec.nonNegative("outputPadding"),
                AttributeSpec.positive("dilation", "dilation 1 is an ordinary, undilated kernel"),
                AttributeSpec.positive("groups", "groups = 1 is an ordinary transposed convolution")));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("ConvTranspose2d",
                Param.requiredModule("in_channels", "in", ParamKind.INT),
                Param.requiredModule("out_channels", "out", ParamKind.INT),
                Param.requiredModule("kernel_size", "kernel", ParamKind.INTS),
                Param.optionalModule("stride", "stride", ParamKind.INTS, "1"),
                Param.optionalModule("padding", "padding", ParamKind.INTS, "0"),
                Param.optionalModule("output_padding", "outputPadding", ParamKind.INTS, "0"),
                Param.optionalModule("groups", "groups", ParamKind.INT, "1"),
                Param.optionalModule("bias", "bias", ParamKind.BOOL, "True"),
                Param.optionalModule("dilation", "dilation", ParamKind.INTS, "1"),
                Param.fixed("padding_mode", "zeros", "'zeros'"),
                Param.unsupported("device"),
                Param.unsupported("dtype"));
    }

    /** {@code forward(input, output_size=None)}: the output size follows from the attributes alone here. */
    @Override
    public FunctionSignature callSignature() {
        return FunctionSignature.of("forward", Param.tensor("input"), Param.unsupported("output_size"));
    }

    @Override
    public Config configure(NodeContext node) {
        int out = node.attribute("out").asInt();
        int groups = node.attribute("groups").asInt();
        Attribute in = node.attribute("in");
        if (out % groups != 0) {
            reportGroups(node, "out", out, groups, in.explicit() ? in.asInt() : 0);
            return null;
        }
        if (in.explicit() && in.asInt() % groups != 0) {
            reportGroups(node, "in", in.asInt(), groups, out);
            return null;
        }
        Pair stride = Pair.of(node.attribute("stride"));
        Pair dilation = Pair.of(node.attribute("dilation"));
        Pair outputPadding = Pair.of(node.attribute("outputPadding"));
        for (int axis = 0; axis < 2; axis++) {
            int op = outputPadding.get(axis);
            if (op >= stride.get(axis) && op >= dilation.get(axis)) {
                int largest = Math.max(stride.get(axis), dilation.get(axis)) - 1;
                node.report(node.attribute("outputPadding").location(), Message.OUTPUT_PADDING_TOO_LARGE,
                        node.name(), op, stride.get(axis), dilation.get(axis), Pair.AXIS_NAMES[axis],
                        "set outputPadding = " + largest + (largest == 0 ? "" : " at most")
                                + ": it only picks one of the " + stride.get(axis)
                                + " output sizes a stride-" + stride.get(axis) + " input maps to");
                return null;
            }
        }
        return new Config(in.explicit() ? in.asInt() : 0, out, Pair.of(node.attribute("kernel")), stride,
                Pair.of(node.attribute("padding")), outputPadding, dilation, groups,
                node.attribute("bias").asBoolean());
    }

    @Override
    TensorShape infer(Config config, TensorShape input, NodeContext node) {
        if (!Shapes.requireImage(input, node, name())) {
            return null;
        }
        int channels = input.dim(1);
        if (config.in() > 0 && config.in() != channels) {
            node.report(node.attribute("in").location(), Message.CHANNEL_MISMATCH, node.name(), "in", config.in(),
                    channels, input, node.inputOrigin());
            return null;
        }
        if (channels % config.groups() != 0) {
            reportGroups(node, "in", channels, config.groups(), config.out());
            return null;
        }
        long[] size = new long[2];
        for (int axis = 0; axis < 2; axis++) {
            int i = input.dim(2 + axis);
            int s = config.stride().get(axis);
            int p = config.padding().get(axis);
            int d = config.dilation().get(axis);
            int k = config.kernel().get(axis);
            int op = config.outputPadding().get(axis);
            long out = (long) (i - 1) * s - 2L * p + (long) d * (k - 1) + op + 1;
            if (out < 1) {
                node.report(node.attribute("padding").location(), Message.NOT_POSITIVE, node.name(),
                        "the output size (" + Pair.AXIS_NAMES[axis] + " axis)",
                        "(i−1)·s − 2p + d·(k−1) + op + 1 = (" + i + "−1)·" + s + " − 2·" + p + " + " + d + "·(" + k
                                + "−1) + " + op + " + 1 = " + out,
                        "padding crops the output; it cannot remove all of it: set padding ≤ "
                                + Math.max(0, ((long) (i - 1) * s + (long) d * (k - 1) + op) / 2),
                        "≥ 1");
                return null;
            }
            size[axis] = out;
        }
        Attribute out = node.attribute("out");
        TensorShape output = Shapes.output(input, new long[] {config.out(), size[0], size[1]}, node,
                out.location(), "out = " + Shapes.count(config.out()), "use fewer output channels");
        if (output == null) {
            return null;
        }
        long taps = Shapes.times(Shapes.times(config.out() / config.groups(), config.kernel().height()),
                config.kernel().width());
        return Shapes.checkCost(Shapes.times(channels, taps), Shapes.times(input.sampleSize(), taps), node,
                out.location(), "out = " + Shapes.count(config.out()), "use fewer channels or a smaller kernel")
                ? output : null;
    }

    @Override
    List<ParameterShape> parameters(Config config, TensorShape input) {
        return LayerMath.convTranspose2dParameters(config.inFor(input), config.out(), config.groups(),
                config.kernel().height(), config.kernel().width(), config.bias());
    }

    /** Each input element meets {@code (out/groups)·kH·kW} weights. */
    @Override
    long macs(Config config, TensorShape input, TensorShape output) {
        return Math.multiplyExact(input.sampleSize(), (long) config.out() / config.groups()
                * config.kernel().height() * config.kernel().width());
    }

    @Override
    public int groups(Config config) {
        return config.groups();
    }

    @Override
    public long biasAdds(Config config, TensorShape output) {
        return config.bias() ? output.sampleSize() : 0;
    }

    /**
     * An output pixel sees the input pixels whose dilated kernel reaches it, about {@code ⌈(d·(k−1)+1)/s⌉} of them,
     * and the jump shrinks by the stride.
     */
    @Override
    ReceptiveField[] receptiveField(Config config, TensorShape input, ReceptiveField height, ReceptiveField width) {
        return new ReceptiveField[] {through(height, config, 0), through(width, config, 1)};
    }

    private static ReceptiveField through(ReceptiveField field, Config config, int axis) {
        long effective = (long) config.dilation().get(axis) * (config.kernel().get(axis) - 1) + 1;
        int stride = config.stride().get(axis);
        return field.through(Math.max(1, (effective + stride - 1) / stride), 1.0 / stride);
    }

    @Override
    CodeBlock newLayer(String name, Config config, TensorShape input) {
        return CodeBlock.of("new $T($S, $L, $L, $L, $L, $L, $L, $L, $L, $L)", ClassName.bestGuess(layerClassName()),
                name, config.inFor(input), config.out(), pair(config.kernel()), pair(config.stride()),
                pair(config.padding()), pair(config.outputPadding()), pair(config.dilation()), config.groups(),
                config.bias());
    }

    private static CodeBlock pair(Pair pair) {
        return CodeBlock.of("new int[] {$L, $L}", pair.height(), pair.width());
    }

    private static void reportGroups(NodeContext node, String attribute, int value, int groups, int other) {
        int common = other > 0 ? BigInteger.valueOf(value).gcd(BigInteger.valueOf(other)).intValue() : value;
        node.report(node.attribute("groups").location(), Message.GROUPS_MISMATCH, node.name(), attribute, value,
                groups, value % groups, "use a groups that divides both in and out"
                        + (other > 0 ? " (their greatest common divisor is " + common + ")" : ""));
    }
}
