package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.LayerMath;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import java.math.BigInteger;
import java.util.List;

/** {@code @Conv2d}: PyTorch's {@code nn.Conv2d}, dilation, groups and {@code padding='same'} included. */
final class Conv2dOp extends UnaryOp<Conv2dOp.Config> {

    /**
     * @param in the declared input channels, or 0 when omitted (then inferred)
     * @param windows height and width
     */
    record Config(int in, int out, Window[] windows, int groups, boolean bias, String paddingMode) {
        int inFor(TensorShape input) {
            return in > 0 ? in : input.dim(1);
        }
    }

    Conv2dOp() {
        super("Conv2d", List.of(
                AttributeSpec.positive("in", "in counts the input channels; omit it to infer them"),
                AttributeSpec.positive("out", "out counts the output channels"),
                AttributeSpec.positive("kernel", "a kernel has at least one tap"),
                AttributeSpec.positive("stride", "stride 1 moves the kernel one pixel at a time"),
                AttributeSpec.nonNegative("padding"),
                AttributeSpec.positive("dilation", "dilation 1 is an ordinary, undilated kernel"),
                AttributeSpec.positive("groups", "groups = 1 is an ordinary convolution"),
                AttributeSpec.choice("paddingMode", "PyTorch pads with 'zeros' (the default), 'reflect', 'replicate' "
                        + "or 'circular'", "zeros", "reflect", "replicate", "circular")));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("Conv2d",
                Param.requiredModule("in_channels", "in", ParamKind.INT),
                Param.requiredModule("out_channels", "out", ParamKind.INT),
                Param.requiredModule("kernel_size", "kernel", ParamKind.INTS),
                Param.optionalModule("stride", "stride", ParamKind.INTS, "1"),
                Param.optionalModule("padding", "padding", ParamKind.PADDING, "0"),
                Param.optionalModule("dilation", "dilation", ParamKind.INTS, "1"),
                Param.optionalModule("groups", "groups", ParamKind.INT, "1"),
                Param.optionalModule("bias", "bias", ParamKind.BOOL, "True"),
                Param.optionalModule("padding_mode", "paddingMode", ParamKind.STRING, "'zeros'"),
                Param.unsupported("device"),
                Param.unsupported("dtype"));
    }

    @Override
    public Config configure(NodeContext node) {
        Pair kernel = Pair.of(node.attribute("kernel"));
        Pair stride = Pair.of(node.attribute("stride"));
        Pair dilation = Pair.of(node.attribute("dilation"));
        Attribute autoPad = node.attribute("autoPad");
        Attribute padding = node.attribute("padding");
        int out = node.attribute("out").asInt();
        int groups = node.attribute("groups").asInt();
        Attribute in = node.attribute("in");

        String mode = autoPad.asString();
        boolean zeroPadding = padding.asInts().stream().allMatch(p -> p == 0);
        if (!mode.equals("EXPLICIT") && padding.explicit() && !(mode.equals("VALID") && zeroPadding)) {
            node.report(autoPad.location(), Message.CONFLICTING_ATTRIBUTES, node.name(), "padding", "autoPad",
                    "padding = " + padding.sourceText() + " and autoPad = Padding." + mode,
                    "remove padding to pad automatically, or remove autoPad to keep padding = "
                            + padding.sourceText());
            return null;
        }
        if (mode.equals("SAME") && (stride.height() != 1 || stride.width() != 1)) {
            node.report(node.attribute("stride").location(), Message.SAME_PADDING_STRIDE, node.name(), stride,
                    "use stride = 1, or replace autoPad with padding = " + halfEffective(kernel, dilation)
                            + " (the output is then ⌈input / stride⌉ for odd kernels)");
            return null;
        }
        if (out % groups != 0) {
            reportGroups(node, "out", out, groups, in.explicit() ? in.asInt() : 0);
            return null;
        }
        if (in.explicit() && in.asInt() % groups != 0) {
            reportGroups(node, "in", in.asInt(), groups, out);
            return null;
        }

        Window[] windows = new Window[2];
        for (int axis = 0; axis < 2; axis++) {
            int k = kernel.get(axis);
            int d = dilation.get(axis);
            if (mode.equals("SAME") && (long) d * (k - 1) > Shapes.MAX_DIM) {
                // 'same' pads d·(k−1) in all: no input is that large
                Attribute blamed = node.attribute("dilation").explicit() ? node.attribute("dilation")
                        : node.attribute("kernel");
                node.report(blamed.location(), Message.SIZE_OVERFLOW, node.name(),
                        blamed.name() + " = " + Shapes.count(blamed == node.attribute("dilation") ? d : k),
                        "the 'same' padding", "padding d·(k−1) = " + Shapes.count(d) + "·(" + k + "−1) = "
                                + Shapes.count((long) d * (k - 1)) + " in all (" + Pair.AXIS_NAMES[axis] + " axis)",
                        "d·(k−1) ≤ " + Shapes.count(Shapes.MAX_DIM), "use a smaller dilation");
                return null;
            }
            windows[axis] = switch (mode) {
                case "SAME" -> Window.same(k, d);
                case "VALID" -> Window.of(k, stride.get(axis), 0, d);
                default -> Window.of(k, stride.get(axis), Pair.of(padding).get(axis), d);
            };
        }
        return new Config(in.explicit() ? in.asInt() : 0, out, windows, groups,
                node.attribute("bias").asBoolean(), node.attribute("paddingMode").asString());
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
        if (!checkPaddingMode(config, input, node)) {
            return null;
        }
        int[] size = Windows.outputSize(config.windows(), input, node,
                new Pair(Integer.MAX_VALUE, Integer.MAX_VALUE));
        if (size == null) {
            return null;
        }
        Attribute out = node.attribute("out");
        TensorShape output = Shapes.output(input, new long[] {config.out(), size[0], size[1]}, node, out.location(),
                "out = " + Shapes.count(config.out()),
                "use fewer output channels, or downsample before " + node.name());
        if (output == null) {
            return null;
        }
        long taps = Shapes.times(Shapes.times(channels / config.groups(), config.windows()[0].kernel()),
                config.windows()[1].kernel());
        boolean withinLimits = Shapes.checkCost(Shapes.times(config.out(), taps),
                Shapes.times(output.sampleSize(), taps), node, out.location(), "out = " + Shapes.count(config.out()),
                "use fewer channels or a smaller kernel");
        return withinLimits ? output : null;
    }

    /**
     * PyTorch pads {@code reflect} only by less than the axis and {@code circular} by at most the axis, before the
     * convolution, which then runs unpadded.
     */
    private static boolean checkPaddingMode(Config config, TensorShape input, NodeContext node) {
        String mode = config.paddingMode();
        if (!mode.equals("reflect") && !mode.equals("circular")) {
            return true;
        }
        for (int axis = 0; axis < 2; axis++) {
            Window window = config.windows()[axis];
            int size = input.dim(2 + axis);
            int padding = Math.max(window.padBefore(), window.padAfter());
            boolean fits = mode.equals("reflect") ? padding < size : padding <= size;
            if (!fits) {
                node.report(node.attribute("paddingMode").location(), Message.WRONG_ARGUMENTS, node.name(),
                        "paddingMode = \"" + mode + "\" pads " + padding + " on an axis of " + size + " ("
                                + Pair.AXIS_NAMES[axis] + "), which " + mode + " padding cannot",
                        "padding " + padding + " on input " + input,
                        mode.equals("reflect") ? "padding < " + size : "padding ≤ " + size,
                        "use paddingMode = \"replicate\" or \"zeros\", or less padding");
                return false;
            }
        }
        return true;
    }

    @Override
    List<ParameterShape> parameters(Config config, TensorShape input) {
        return LayerMath.conv2dParameters(config.inFor(input), config.out(), config.groups(),
                config.windows()[0].kernel(), config.windows()[1].kernel(), config.bias());
    }

    @Override
    long macs(Config config, TensorShape input, TensorShape output) {
        return LayerMath.conv2dMacs(output, config.inFor(input), config.groups(), config.windows()[0].kernel(),
                config.windows()[1].kernel());
    }

    @Override
    public Window[] windows(Config config) {
        return config.windows();
    }

    @Override
    public int groups(Config config) {
        return config.groups();
    }

    @Override
    public long biasAdds(Config config, TensorShape output) {
        return config.bias() ? output.sampleSize() : 0;
    }

    @Override
    ReceptiveField[] receptiveField(Config config, TensorShape input, ReceptiveField height,
            ReceptiveField width) {
        return Windows.receptiveField(config.windows(), height, width);
    }

    @Override
    CodeBlock newLayer(String name, Config config, TensorShape input) {
        CodeBlock layer = CodeBlock.of("new $T($S, $L, $L, $L, $L, $L, $L", ClassName.bestGuess(layerClassName()),
                name, config.inFor(input), config.out(), Windows.code(config.windows()[0]),
                Windows.code(config.windows()[1]), config.groups(), config.bias());
        return config.paddingMode().equals("zeros") ? CodeBlock.of("$L)", layer)
                : CodeBlock.of("$L, $S)", layer, config.paddingMode());
    }

    /** Reports that {@code attribute} is not a multiple of groups, suggesting a groups that divides both counts. */
    private static void reportGroups(NodeContext node, String attribute, int value, int groups, int other) {
        int common = other > 0 ? BigInteger.valueOf(value).gcd(BigInteger.valueOf(other)).intValue() : value;
        String hint = "use a groups that divides both in and out"
                + (other > 0 ? " (their greatest common divisor is " + common + ")" : "");
        node.report(node.attribute("groups").location(), Message.GROUPS_MISMATCH, node.name(), attribute, value,
                groups, value % groups, hint);
    }

    /** The symmetric padding {@code d·(k−1)/2} that keeps odd kernels centred, for the SAME-with-stride hint. */
    private static Pair halfEffective(Pair kernel, Pair dilation) {
        return new Pair(dilation.height() * (kernel.height() - 1) / 2, dilation.width() * (kernel.width() - 1) / 2);
    }

    /** An image kernel: channels last in, channels last out. */
    @Override
    public Layout layout() {
        return Layout.MEMORY_FORMAT;
    }
}
