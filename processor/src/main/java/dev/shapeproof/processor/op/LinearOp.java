package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.LayerMath;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** {@code @Linear}: PyTorch's {@code nn.Linear}, acting on the last dimension of an input of any rank. */
final class LinearOp extends UnaryOp<LinearOp.Config> {

    /** @param in the declared input features, or 0 when omitted (then inferred) */
    record Config(int in, int out, boolean bias) {
        int inFor(TensorShape input) {
            return in > 0 ? in : input.dim(-1);
        }
    }

    LinearOp() {
        super("Linear", List.of(
                AttributeSpec.positive("in", "in counts the input features; omit it to infer them"),
                AttributeSpec.positive("out", "out counts the output features")));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("Linear",
                Param.requiredModule("in_features", "in", ParamKind.INT),
                Param.requiredModule("out_features", "out", ParamKind.INT),
                Param.optionalModule("bias", "bias", ParamKind.BOOL, "True"),
                Param.unsupported("device"),
                Param.unsupported("dtype"));
    }

    @Override
    public Config configure(NodeContext node) {
        return new Config(node.attribute("in").explicit() ? node.attribute("in").asInt() : 0,
                node.attribute("out").asInt(), node.attribute("bias").asBoolean());
    }

    @Override
    TensorShape infer(Config config, TensorShape input, NodeContext node) {
        int features = input.dim(-1);
        if (config.in() > 0 && config.in() != features) {
            if (input.rank() > 2 && config.in() == input.sampleSize()) {
                node.report(node.location(), Message.MISSING_FLATTEN, node.name(), config.in(), input,
                        node.inputOrigin(), features, input.product(1, input.rank() - 1));
            } else {
                TensorShape flattened = node.flattenedFrom();
                String actual = flattened != null
                        ? "after the flatten its input has " + flattened.sampleToString() + " = " + features
                                + " features"
                        : "its input has " + features + " features";
                node.report(node.attribute("in").location(), Message.FEATURE_MISMATCH, node.name(), config.in(),
                        actual, input, node.inputOrigin(), features);
            }
            return null;
        }
        if (input.rank() == 4) {
            // PyTorch runs it, row by row of pixels; after a conv stack that is a forgotten flatten
            node.report(node.location(), Message.LINEAR_ON_FEATURE_MAP, node.name(), input, node.inputOrigin(),
                    input.product(1, 3), features, input.sampleSize());
        }
        TensorShape output = input.withDim(-1, config.out());
        long inFeatures = features;
        Attribute out = node.attribute("out");
        return Shapes.checkCost(Shapes.times(inFeatures, config.out()),
                Shapes.times(input.product(1, input.rank() - 1), Shapes.times(inFeatures, config.out())), node,
                out.location(), "out = " + Shapes.count(config.out()), "use fewer features") ? output : null;
    }

    @Override
    List<ParameterShape> parameters(Config config, TensorShape input) {
        return LayerMath.linearParameters(config.inFor(input), config.out(), config.bias());
    }

    @Override
    public long biasAdds(Config config, TensorShape output) {
        return config.bias() ? output.sampleSize() : 0;
    }

    @Override
    long macs(Config config, TensorShape input, TensorShape output) {
        return LayerMath.linearMacs(input, config.out());
    }

    @Override
    CodeBlock newLayer(String name, Config config, TensorShape input) {
        return CodeBlock.of("new $T($S, $L, $L, $L)", ClassName.bestGuess(layerClassName()), name,
                config.inFor(input), config.out(), config.bias());
    }
}
