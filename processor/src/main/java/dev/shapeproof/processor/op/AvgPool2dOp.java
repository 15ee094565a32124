package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import java.util.List;

/** {@code @AvgPool2d}: PyTorch's {@code nn.AvgPool2d}, with ceil mode and {@code count_include_pad}. */
final class AvgPool2dOp extends UnaryOp<AvgPool2dOp.Config> {

    record Config(Window[] windows, boolean countIncludePad) {}

    AvgPool2dOp() {
        super("AvgPool2d", List.of(
                AttributeSpec.positive("kernel", "a pooling window has at least one pixel"),
                AttributeSpec.positive("stride", "omit stride to move by the kernel size, as PyTorch does"),
                AttributeSpec.nonNegative("padding")));
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("avg_pool2d",
                Param.tensor("input"),
                Param.required("kernel_size", "kernel", ParamKind.INTS),
                Param.optional("stride", "stride", ParamKind.INTS, List.of(), "None"),
                Param.optional("padding", "padding", ParamKind.INTS, List.of(0), "0"),
                Param.optional("ceil_mode", "ceilMode", ParamKind.BOOL, false, "False"),
                Param.optional("count_include_pad", "countIncludePad", ParamKind.BOOL, true, "True"),
                Param.unsupported("divisor_override")).in(Namespace.F));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("AvgPool2d",
                Param.requiredModule("kernel_size", "kernel", ParamKind.INTS),
                Param.optionalModule("stride", "stride", ParamKind.INTS, "None"),
                Param.optionalModule("padding", "padding", ParamKind.INTS, "0"),
                Param.optionalModule("ceil_mode", "ceilMode", ParamKind.BOOL, "False"),
                Param.optionalModule("count_include_pad", "countIncludePad", ParamKind.BOOL, "True"),
                Param.unsupported("divisor_override"));
    }

    @Override
    public Config configure(NodeContext node) {
        Pair kernel = Pair.of(node.attribute("kernel"));
        Pair stride = Windows.strideOrKernel(node, kernel);
        Pair padding = Pair.of(node.attribute("padding"));
        if (!Windows.checkPoolPadding(kernel, padding, node)) {
            return null;
        }
        boolean ceil = node.attribute("ceilMode").asBoolean();
        Window[] windows = new Window[2];
        for (int axis = 0; axis < 2; axis++) {
            windows[axis] = new Window(kernel.get(axis), stride.get(axis), padding.get(axis), padding.get(axis), 1,
                    ceil);
        }
        return new Config(windows, node.attribute("countIncludePad").asBoolean());
    }

    @Override
    TensorShape infer(Config config, TensorShape input, NodeContext node) {
        if (!Shapes.requireImage(input, node, name())) {
            return null;
        }
        Window[] windows = config.windows();
        int[] size = Windows.outputSize(windows, input, node,
                Windows.halfKernel(new Pair(windows[0].kernel(), windows[1].kernel())));
        return size == null ? null : input.withSample(input.dim(1), size[0], size[1]);
    }

    @Override
    public Window[] windows(Config config) {
        return config.windows();
    }

    @Override
    ReceptiveField[] receptiveField(Config config, TensorShape input, ReceptiveField height,
            ReceptiveField width) {
        return Windows.receptiveField(config.windows(), height, width);
    }

    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f("avgPool2d", arguments.get(0), Windows.code(config.windows()[0]),
                Windows.code(config.windows()[1]), config.countIncludePad());
    }

    @Override
    CodeBlock newLayer(String name, Config config, TensorShape input) {
        return CodeBlock.of("new $T($S, $L, $L, $L)", ClassName.bestGuess(layerClassName()), name,
                Windows.code(config.windows()[0]), Windows.code(config.windows()[1]), config.countIncludePad());
    }

    /** An image kernel: channels last in, channels last out. */
    @Override
    public Layout layout() {
        return Layout.MEMORY_FORMAT;
    }
}
