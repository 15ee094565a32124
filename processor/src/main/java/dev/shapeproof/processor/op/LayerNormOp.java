package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.LayerMath;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @LayerNorm}: PyTorch's {@code nn.LayerNorm(normalized_shape, eps, elementwise_affine)}, normalising over the
 * last axes, which must be {@code normalized_shape} ({@code [N, L, D]} with shape {@code D} in a transformer,
 * {@code [N, H, W, C]} with shape {@code C} in ConvNeXt); and {@code F.layer_norm(input, normalized_shape, weight,
 * bias, eps)} with tensors (parameters) for weight and bias. A shape that reaches the batch axis would normalise across
 * samples, and is rejected on purpose.
 */
final class LayerNormOp extends OpDefinition<LayerNormOp.Config> {
    /** @param function whether this is {@code F.layer_norm}, with optional weight and bias inputs */
    record Config(List<Integer> shape, double eps, boolean affine, boolean function, boolean weight, boolean bias) {
        long[] dims() {
            return shape.stream().mapToLong(Integer::longValue).toArray();
        }
    }

    LayerNormOp() {
        super("LayerNorm", List.of(
                AttributeSpec.positive("eps", "eps keeps the division stable; PyTorch's default is 1e-5")));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("LayerNorm",
                Param.requiredModule("normalized_shape", "shape", ParamKind.INTS),
                Param.optionalModule("eps", "eps", ParamKind.DOUBLE, "1e-05"),
                Param.optionalModule("elementwise_affine", "elementwiseAffine", ParamKind.BOOL, "True"),
                Param.unsupported("device"),
                Param.unsupported("dtype"));
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("layer_norm", Param.tensor("input"),
                Param.required("normalized_shape", "shape", ParamKind.INTS),
                Param.optionalTensor("weight", "weight"),
                Param.optionalTensor("bias", "bias"),
                Param.optional("eps", "eps", ParamKind.DOUBLE, 1e-5, "1e-05")));
    }

    /** F.layer_norm's weight and bias are parameters, without the batch axis. */
    @Override
    public boolean acceptsUnbatched(int index) {
        return index > 0;
    }

    @Override
    public Config configure(NodeContext node) {
        Attribute shape = node.attribute("shape");
        for (int size : shape.asInts()) {
            if (size <= 0) {
                node.report(shape.location(), Message.NOT_POSITIVE, node.name(), "shape", shape.sourceText(),
                        "shape lists the sizes of the normalized last axes", "≥ 1 each");
                return null;
            }
        }
        boolean function = node.findAttribute("weight").isPresent();
        return new Config(shape.asInts(), node.attribute("eps").asDouble(),
                !function && node.attribute("elementwiseAffine").asBoolean(), function,
                function && node.attribute("weight").asBoolean(), function && node.attribute("bias").asBoolean());
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        TensorShape input = inputs.get(0);
        Attribute shape = node.attribute("shape");
        int k = config.shape().size();
        if (k >= input.rank()) {
            node.report(shape.location(), Message.BATCH_AXIS, node.name(),
                    "shape " + config.shape() + " normalises " + k + " axes of the rank-" + input.rank() + " input "
                            + input + ", the batch included",
                    "shape = " + shape.sourceText() + " on " + input, "at most " + (input.rank() - 1) + " last axes",
                    "normalise the last axes only, e.g. shape = " + input.dim(-1));
            return null;
        }
        List<Integer> last = new ArrayList<>();
        for (int i = input.rank() - k; i < input.rank(); i++) {
            last.add(input.dim(i));
        }
        if (!last.equals(config.shape())) {
            node.report(shape.location(), Message.SHAPE_MISMATCH, node.name(),
                    "normalized shape " + config.shape() + " does not match the last " + k + " axes of its input, "
                            + last,
                    "input " + input + " from " + node.inputOrigin(),
                    "shape = " + last + " (the input's last " + (k == 1 ? "axis" : k + " axes") + ")",
                    "set shape = " + (k == 1 ? last.get(0).toString() : last.toString().replace('[', '{')
                            .replace(']', '}')) + (input.rank() == 4 && k == 1
                            ? ", or permute the channels last first (x.permute(0, 2, 3, 1)), as ConvNeXt does" : ""));
            return null;
        }
        int next = 1;
        for (String name : List.of("weight", "bias")) {
            boolean given = name.equals("weight") ? config.weight() : config.bias();
            if (!given) {
                continue;
            }
            TensorShape tensor = inputs.get(next);
            if (tensor.isBatched() || !tensor.equals(TensorShape.unbatched(config.shape().stream()
                    .mapToInt(Integer::intValue).toArray()))) {
                node.report(node.attribute(name).location(), Message.SHAPE_MISMATCH, node.name(),
                        "layer_norm's " + name + " must have the normalized shape " + config.shape(),
                        name + " " + tensor + " from " + node.inputOrigin(next), config.shape().toString(),
                        "pass the LayerNorm's own " + name + ", of shape " + config.shape());
                return null;
            }
            next++;
        }
        return input;
    }

    @Override
    public List<ParameterShape> parameters(Config config, List<TensorShape> inputs) {
        return config.function() ? List.of() : LayerMath.normParameters(config.dims(), config.affine());
    }

    @Override
    public long biasAdds(Config config, TensorShape output) {
        return config.affine() || config.bias() ? output.sampleSize() : 0;
    }

    @Override
    public CodeBlock newLayer(String name, Config config, List<TensorShape> inputs) {
        return CodeBlock.of("new $T($S, new long[] {$L}, $L, $L)", ClassName.bestGuess(layerClassName()), name,
                CodeBlock.join(config.shape().stream().map(size -> CodeBlock.of("$L", size)).toList(), ", "),
                config.eps(), config.affine());
    }

    /** {@code F.layerNorm(x, axes, weight, bias, eps)}, weight and bias {@code null} when not given. */
    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        int next = 1;
        CodeBlock weight = config.weight() ? arguments.get(next++) : CodeBlock.of("null");
        CodeBlock bias = config.bias() ? arguments.get(next) : CodeBlock.of("null");
        return RuntimeCalls.f("layerNorm", arguments.get(0), config.shape().size(), weight, bias, config.eps());
    }
}
