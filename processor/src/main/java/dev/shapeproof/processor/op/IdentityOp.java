package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * {@code @Identity}: PyTorch's {@code nn.Identity()}, a placeholder module (a removed classifier head, an optional
 * branch) that returns its input itself.
 */
final class IdentityOp extends UnaryOp<Object> {
    private static final Object NOTHING = new Object();

    IdentityOp() {
        super("Identity", List.of());
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("Identity");
    }

    @Override
    public Object configure(NodeContext node) {
        return NOTHING;
    }

    @Override
    TensorShape infer(Object config, TensorShape input, NodeContext node) {
        return input;
    }

    /** It returns its input: one storage, as liveness must know. */
    @Override
    public boolean aliasesInput() {
        return true;
    }

    /** Its input itself, laid out as it was. */
    @Override
    public Strides strides(Object config, List<TensorShape> inputs, List<Strides> inputStrides,
            TensorShape output) {
        return inputStrides.get(0);
    }

    @Override
    CodeBlock newLayer(String name, Object config, TensorShape input) {
        return CodeBlock.of("new $T($S)", ClassName.bestGuess(layerClassName()), name);
    }
}
