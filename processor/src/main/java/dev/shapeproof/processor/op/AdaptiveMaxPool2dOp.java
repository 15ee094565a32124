package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** {@code @AdaptiveMaxPool2d}: PyTorch's {@code nn.AdaptiveMaxPool2d} to a fixed output size. */
final class AdaptiveMaxPool2dOp extends UnaryOp<Pair> {
    AdaptiveMaxPool2dOp() {
        super("AdaptiveMaxPool2d", List.of(
                AttributeSpec.positive("output", "output is the pooled size, e.g. 1 for global max pooling")));
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("adaptive_max_pool2d",
                Param.tensor("input"),
                Param.required("output_size", "output", ParamKind.INTS),
                Param.fixed("return_indices", false, "False")).in(Namespace.F));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("AdaptiveMaxPool2d",
                Param.requiredModule("output_size", "output", ParamKind.INTS),
                Param.fixed("return_indices", false, "False"));
    }

    @Override
    public Pair configure(NodeContext node) {
        return Pair.of(node.attribute("output"));
    }

    @Override
    TensorShape infer(Pair output, TensorShape input, NodeContext node) {
        if (!Shapes.requireImage(input, node, name())) {
            return null;
        }
        return Shapes.output(input, new long[] {input.dim(1), output.height(), output.width()}, node,
                node.attribute("output").location(), "output = " + output, "use a smaller output size");
    }

    /**
     * A window with kernel = stride = input/output when the sizes divide (the pooling is then exactly that window). When the sizes do not divide, PyTorch's bins
     * overlap and differ in size; the largest bin, ⌈input/output⌉ (+1 when bins straddle), bounds the field.
     */
    @Override
    ReceptiveField[] receptiveField(Pair output, TensorShape input, ReceptiveField height,
            ReceptiveField width) {
        return new ReceptiveField[] {
            through(height, input.dim(2), output.height()), through(width, input.dim(3), output.width())
        };
    }

    private static ReceptiveField through(ReceptiveField field, int in, int out) {
        int kernel = in % out == 0 ? in / out : in / out + 2;
        return field.through(Math.min(kernel, in), (double) in / out);
    }

    @Override
    public CodeBlock call(Pair size, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f("adaptiveMaxPool2d", arguments.get(0), size.height(), size.width());
    }

    @Override
    CodeBlock newLayer(String name, Pair output, TensorShape input) {
        return CodeBlock.of("new $T($S, $L, $L)", ClassName.bestGuess(layerClassName()), name, output.height(),
                output.width());
    }

    /** An image kernel: channels last in, channels last out. */
    @Override
    public Layout layout() {
        return Layout.MEMORY_FORMAT;
    }
}
