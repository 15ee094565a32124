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
import java.util.List;

/**
 * {@code @GroupNorm}: PyTorch's {@code nn.GroupNorm(num_groups, num_channels, eps, affine)} on {@code [N, C, *]}: the
 * channels split into {@code num_groups} groups, each normalised per sample over its channels and positions; and
 * {@code F.group_norm(input, num_groups, weight, bias, eps)}.
 */
final class GroupNormOp extends OpDefinition<GroupNormOp.Config> {
    /** @param channels the declared channels, 0 for the function (then the input's) */
    record Config(int groups, int channels, double eps, boolean affine, boolean function, boolean weight,
            boolean bias) {}

    GroupNormOp() {
        super("GroupNorm", List.of(
                AttributeSpec.positive("groups", "groups splits the channels into that many groups"),
                AttributeSpec.positive("channels", "channels counts the input channels"),
                AttributeSpec.positive("eps", "eps keeps the division stable; PyTorch's default is 1e-5")));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("GroupNorm",
                Param.requiredModule("num_groups", "groups", ParamKind.INT),
                Param.requiredModule("num_channels", "channels", ParamKind.INT),
                Param.optionalModule("eps", "eps", ParamKind.DOUBLE, "1e-05"),
                Param.optionalModule("affine", "affine", ParamKind.BOOL, "True"),
                Param.unsupported("device"),
                Param.unsupported("dtype"));
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("group_norm", Param.tensor("input"),
                Param.required("num_groups", "groups", ParamKind.INT),
                Param.optionalTensor("weight", "weight"),
                Param.optionalTensor("bias", "bias"),
                Param.optional("eps", "eps", ParamKind.DOUBLE, 1e-5, "1e-05")).in(Namespace.F, Namespace.TORCH));
    }

    @Override
    public boolean acceptsUnbatched(int index) {
        return index > 0;
    }

    @Override
    public Config configure(NodeContext node) {
        int groups = node.attribute("groups").asInt();
        boolean function = node.findAttribute("weight").isPresent();
        int channels = function ? 0 : node.attribute("channels").asInt();
        if (!function && channels % groups != 0) {
            report(node, channels, groups);
            return null;
        }
        return new Config(groups, channels, node.attribute("eps").asDouble(),
                !function && node.attribute("affine").asBoolean(), function,
                function && node.attribute("weight").asBoolean(), function && node.attribute("bias").asBoolean());
    }

    private static void report(NodeContext node, int channels, int groups) {
        node.report(node.attribute("groups").location(), Message.SHAPE_MISMATCH, node.name(),
                channels + " channels do not split into groups = " + groups,
                "channels % groups = " + channels + " % " + groups + " = " + channels % groups,
                "channels a multiple of groups (PyTorch's rule)",
                "use a number of groups that divides " + channels);
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        TensorShape input = inputs.get(0);
        if (input.rank() < 2) {
            node.report(node.location(), Message.RANK_MISMATCH, node.name(), name(), "[N, C, *]", input.rank(),
                    input, node.inputOrigin(), "rank 2 or more", "GroupNorm normalises channels: give it [N, C, ...]");
            return null;
        }
        int channels = input.dim(1);
        if (!config.function() && channels != config.channels()) {
            node.report(node.attribute("channels").location(), Message.CHANNEL_MISMATCH, node.name(), "channels",
                    config.channels(), channels, input, node.inputOrigin());
            return null;
        }
        if (config.function() && channels % config.groups() != 0) {
            report(node, channels, config.groups());
            return null;
        }
        int next = 1;
        for (String name : List.of("weight", "bias")) {
            if (!(name.equals("weight") ? config.weight() : config.bias())) {
                continue;
            }
            TensorShape tensor = inputs.get(next);
            if (!tensor.equals(TensorShape.unbatched(channels))) {
                Attribute attribute = node.attribute(name);
                node.report(attribute.location(), Message.SHAPE_MISMATCH, node.name(),
                        "group_norm's " + name + " must have one value per channel, [" + channels + "]",
                        name + " " + tensor + " from " + node.inputOrigin(next), "[" + channels + "]",
                        "pass the GroupNorm's own " + name);
                return null;
            }
            next++;
        }
        return input;
    }

    @Override
    public List<ParameterShape> parameters(Config config, List<TensorShape> inputs) {
        return config.function() ? List.of()
                : LayerMath.normParameters(new long[] {config.channels()}, config.affine());
    }

    @Override
    public long biasAdds(Config config, TensorShape output) {
        return config.affine() || config.bias() ? output.sampleSize() : 0;
    }

    @Override
    public CodeBlock newLayer(String name, Config config, List<TensorShape> inputs) {
        return CodeBlock.of("new $T($S, $L, $L, $L, $L)", ClassName.bestGuess(layerClassName()), name,
                config.groups(), config.channels(), config.eps(), config.affine());
    }

    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        int next = 1;
        CodeBlock weight = config.weight() ? arguments.get(next++) : CodeBlock.of("null");
        CodeBlock bias = config.bias() ? arguments.get(next) : CodeBlock.of("null");
        return RuntimeCalls.f("groupNorm", arguments.get(0), config.groups(), weight, bias, config.eps());
    }

    /** An image kernel: channels last in, channels last out. */
    @Override
    public Layout layout() {
        return Layout.MEMORY_FORMAT;
    }
}
