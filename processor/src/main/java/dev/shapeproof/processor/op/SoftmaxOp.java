package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** {@code @Softmax} and {@code @LogSoftmax}: a normalisation along {@code dim}; the shape is unchanged. */
final class SoftmaxOp extends UnaryOp<Integer> {
    private final String kernel;

    /** @param kernel the runtime function, {@code softmax} or {@code logSoftmax} */
    SoftmaxOp(String name, String kernel) {
        super(name, List.of());
        this.kernel = kernel;
    }

    @Override
    public List<FunctionSignature> functions() {
        String function = name().equals("Softmax") ? "softmax" : "log_softmax";
        FunctionSignature signature = FunctionSignature.of(function,
                Param.tensor("input"),
                Param.required("dim", "dim", ParamKind.INT),
                Param.ignored("_stacklevel", "3"),
                Param.unsupported("dtype"));
        return List.of(signature.in(Namespace.F), signature.without("_stacklevel").in(Namespace.TORCH).withNumpyNames());
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of(name(), Param.requiredModule("dim", "dim", ParamKind.INT));
    }

    @Override
    public Integer configure(NodeContext node) {
        return node.attribute("dim").asInt();
    }

    @Override
    TensorShape infer(Integer dim, TensorShape input, NodeContext node) {
        if (!input.hasAxis(dim)) {
            int rank = input.rank();
            node.report(node.attribute("dim").location(), Message.DIM_OUT_OF_RANGE, node.name(), "dim", dim, rank,
                    input, -rank, rank - 1, "use dim = 1 for the classes (or channels), dim = -1 for the last axis");
            return null;
        }
        if (input.normalizeAxis(dim) == 0) {
            // PyTorch normalises across the samples: each output then depends on the rest of the batch
            node.report(node.attribute("dim").location(), Message.SOFTMAX_OVER_BATCH, node.name(),
                    name().equals("Softmax") ? "softmax" : "log_softmax", dim, input, input.rank() - 1);
        }
        return input;
    }

    @Override
    public CodeBlock call(Integer dim, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        return RuntimeCalls.f(kernel, arguments.get(0), dim);
    }

    @Override
    CodeBlock newLayer(String name, Integer dim, TensorShape input) {
        return CodeBlock.of("new $T($S, $L)", ClassName.bestGuess(layerClassName()), name, dim);
    }
}
