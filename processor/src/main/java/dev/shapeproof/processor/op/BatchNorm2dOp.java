package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.shape.LayerMath;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/** {@code @BatchNorm2d}: PyTorch's {@code nn.BatchNorm2d}; its running statistics are buffers. */
final class BatchNorm2dOp extends UnaryOp<BatchNorm2dOp.Config> {

    /** @param features the declared channels, or 0 when omitted (then inferred) */
    record Config(int features, double eps, double momentum, boolean affine) {
        int featuresFor(TensorShape input) {
            return features > 0 ? features : input.dim(1);
        }
    }

    BatchNorm2dOp() {
        super("BatchNorm2d", List.of(
                AttributeSpec.positive("features", "features counts the input channels; omit it to infer them"),
                AttributeSpec.positive("eps", "eps keeps the division stable; PyTorch's default is 1e-5"),
                AttributeSpec.probability("momentum",
                        "momentum weighs each batch in the running statistics; PyTorch's default is 0.1")));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("BatchNorm2d",
                Param.requiredModule("num_features", "features", ParamKind.INT),
                Param.optionalModule("eps", "eps", ParamKind.DOUBLE, "1e-05"),
                Param.optionalModule("momentum", "momentum", ParamKind.DOUBLE, "0.1"),
                Param.optionalModule("affine", "affine", ParamKind.BOOL, "True"),
                Param.fixed("track_running_stats", true, "True"),
                Param.unsupported("device"),
                Param.unsupported("dtype"));
    }

    @Override
    public Config configure(NodeContext node) {
        return new Config(node.attribute("features").explicit() ? node.attribute("features").asInt() : 0,
                node.attribute("eps").asDouble(), node.attribute("momentum").asDouble(),
                node.attribute("affine").asBoolean());
    }

    @Override
    TensorShape infer(Config config, TensorShape input, NodeContext node) {
        if (!Shapes.requireImage(input, node, name())) {
            return null;
        }
        if (config.features() > 0 && config.features() != input.dim(1)) {
            node.report(node.attribute("features").location(), Message.CHANNEL_MISMATCH, node.name(), "features",
                    config.features(), input.dim(1), input, node.inputOrigin());
            return null;
        }
        return input;
    }

    @Override
    List<ParameterShape> parameters(Config config, TensorShape input) {
        return LayerMath.batchNorm2dParameters(config.featuresFor(input), config.affine());
    }

    @Override
    CodeBlock newLayer(String name, Config config, TensorShape input) {
        return CodeBlock.of("new $T($S, $L, $L, $L, $L)", ClassName.bestGuess(layerClassName()), name,
                config.featuresFor(input), config.eps(), config.momentum(), config.affine());
    }

    /** An image kernel: channels last in, channels last out. */
    @Override
    public Layout layout() {
        return Layout.MEMORY_FORMAT;
    }
}
