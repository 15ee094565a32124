package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** {@code -x}: unary minus, also {@code torch.neg(x)} and {@code x.neg()}. */
final class NegOp extends UnaryOp<Object> {
    private static final Object NOTHING = new Object();

    NegOp() {
        super("neg", List.of());
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<String> operators() {
        return List.of("neg");
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("neg", Param.tensor("input")).in(Namespace.TORCH));
    }

    @Override
    public List<FunctionSignature> methods() {
        return functions();
    }

    @Override
    public boolean acceptsUnbatched(int index) {
        return true;
    }

    @Override
    public Object configure(NodeContext node) {
        return NOTHING;
    }

    @Override
    TensorShape infer(Object config, TensorShape input, NodeContext node) {
        return input;
    }

    @Override
    public boolean runsInPlace() {
        return true;
    }

    @Override
    public CodeBlock call(Object config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f("neg", arguments.get(0), inPlace);
    }

    /** Element-wise: PyTorch lays the output out as the input. */
    @Override
    public Layout layout() {
        return Layout.LIKE_INPUT;
    }
}
