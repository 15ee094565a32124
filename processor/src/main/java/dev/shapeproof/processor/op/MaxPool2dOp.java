package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import java.util.List;

/** {@code @MaxPool2d}: PyTorch's {@code nn.MaxPool2d}, with dilation and ceil mode. */
final class MaxPool2dOp extends UnaryOp<Window[]> {
    MaxPool2dOp() {
        super("MaxPool2d", List.of(
                AttributeSpec.positive("kernel", "a pooling window has at least one pixel"),
                AttributeSpec.positive("stride", "omit stride to move by the kernel size, as PyTorch does"),
                AttributeSpec.nonNegative("padding"),
                AttributeSpec.positive("dilation", "dilation 1 is an ordinary, undilated window")));
    }

    @Override
    public List<FunctionSignature> functions() {
        FunctionSignature function = FunctionSignature.of("max_pool2d",
                Param.tensor("input"),
                Param.required("kernel_size", "kernel", ParamKind.INTS),
                Param.optional("stride", "stride", ParamKind.INTS, List.of(), "None"),
                Param.optional("padding", "padding", ParamKind.INTS, List.of(0), "0"),
                Param.optional("dilation", "dilation", ParamKind.INTS, List.of(1), "1"),
                Param.optional("ceil_mode", "ceilMode", ParamKind.BOOL, false, "False"),
                Param.unsupported("return_indices"));
        // torch.max_pool2d is ATen's operator, which never returns indices
        return List.of(function.in(Namespace.F), function.without("return_indices").in(Namespace.TORCH));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("MaxPool2d",
                Param.requiredModule("kernel_size", "kernel", ParamKind.INTS),
                Param.optionalModule("stride", "stride", ParamKind.INTS, "None"),
                Param.optionalModule("padding", "padding", ParamKind.INTS, "0"),
                Param.optionalModule("dilation", "dilation", ParamKind.INTS, "1"),
                Param.fixed("return_indices", false, "False"),
                Param.optionalModule("ceil_mode", "ceilMode", ParamKind.BOOL, "False"));
    }

    @Override
    public Window[] configure(NodeContext node) {
        Pair kernel = Pair.of(node.attribute("kernel"));
        Pair stride = Windows.strideOrKernel(node, kernel);
        Pair padding = Pair.of(node.attribute("padding"));
        Pair dilation = Pair.of(node.attribute("dilation"));
        if (!Windows.checkPoolPadding(kernel, padding, node)) {
            return null;
        }
        boolean ceil = node.attribute("ceilMode").asBoolean();
        Window[] windows = new Window[2];
        for (int axis = 0; axis < 2; axis++) {
            windows[axis] = new Window(kernel.get(axis), stride.get(axis), padding.get(axis), padding.get(axis),
                    dilation.get(axis), ceil);
        }
        return windows;
    }

    @Override
    TensorShape infer(Window[] windows, TensorShape input, NodeContext node) {
        if (!Shapes.requireImage(input, node, name())) {
            return null;
        }
        int[] size = Windows.outputSize(windows, input, node,
                Windows.halfKernel(new Pair(windows[0].kernel(), windows[1].kernel())));
        return size == null ? null : input.withSample(input.dim(1), size[0], size[1]);
    }

    @Override
    public Window[] windows(Window[] windows) {
        return windows;
    }

    @Override
    ReceptiveField[] receptiveField(Window[] windows, TensorShape input, ReceptiveField height,
            ReceptiveField width) {
        return Windows.receptiveField(windows, height, width);
    }

    @Override
    public CodeBlock call(Window[] windows, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f("maxPool2d", arguments.get(0), Windows.code(windows[0]), Windows.code(windows[1]));
    }

    @Override
    CodeBlock newLayer(String name, Window[] windows, TensorShape input) {
        return CodeBlock.of("new $T($S, $L, $L)", ClassName.bestGuess(layerClassName()), name,
                Windows.code(windows[0]), Windows.code(windows[1]));
    }

    /** An image kernel: channels last in, channels last out. */
    @Override
    public Layout layout() {
        return Layout.MEMORY_FORMAT;
    }
}
