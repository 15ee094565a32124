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
import java.util.Map;

/**
 * {@code @MultiheadAttention}: PyTorch's {@code nn.MultiheadAttention(embed_dim, num_heads, dropout, bias,
 * batch_first=True)}, called as {@code attn(query, key, value, need_weights=False)} on {@code [N, L, E]} queries and
 * {@code [N, S, E]} keys and values. It returns PyTorch's tuple {@code (output, weights)}: the weights are
 * {@code None} with {@code need_weights=False}; with {@code need_weights=True} (PyTorch's default) they are not
 * computed, and a forward that reads them is an error ({@code x, _ = attn(x, x, x)} is fine).
 */
final class MultiheadAttentionOp extends OpDefinition<MultiheadAttentionOp.Config> {
    record Config(int embedDim, int heads, double dropout, boolean bias) {}

    MultiheadAttentionOp() {
        super("MultiheadAttention", List.of(
                AttributeSpec.positive("embedDim", "embedDim counts the features of each token"),
                AttributeSpec.positive("numHeads", "numHeads splits embedDim into that many heads"),
                AttributeSpec.probability("dropout", "dropout zeroes attention weights in training; 0 is none")));
    }

    @Override
    public FunctionSignature moduleSignature() {
        return FunctionSignature.of("MultiheadAttention",
                Param.requiredModule("embed_dim", "embedDim", ParamKind.INT),
                Param.requiredModule("num_heads", "numHeads", ParamKind.INT),
                Param.optionalModule("dropout", "dropout", ParamKind.DOUBLE, "0.0"),
                Param.optionalModule("bias", "bias", ParamKind.BOOL, "True"),
                Param.fixed("add_bias_kv", false, "False"),
                Param.fixed("add_zero_attn", false, "False"),
                Param.unsupported("kdim"),
                Param.unsupported("vdim"),
                Param.optionalModule("batch_first", "batchFirst", ParamKind.BOOL, "False"),
                Param.unsupported("device"),
                Param.unsupported("dtype"));
    }

    @Override
    public FunctionSignature callSignature() {
        return FunctionSignature.of("forward", Param.tensor("query"), Param.tensor("key"), Param.tensor("value"),
                Param.unsupported("key_padding_mask"),
                Param.optional("need_weights", "need_weights", ParamKind.BOOL, true, "True"),
                Param.unsupported("attn_mask"),
                Param.ignored("average_attn_weights", "True"));
    }

    @Override
    public Config configure(NodeContext node) {
        Attribute batchFirst = node.attribute("batchFirst");
        if (!batchFirst.asBoolean()) {
            node.report(batchFirst.location(), Message.BATCH_AXIS, node.name(),
                    "MultiheadAttention with batch_first=False takes [L, N, E], the batch second",
                    "batchFirst = false" + (batchFirst.explicit() ? "" : " (PyTorch's default)"),
                    "batchFirst = true, inputs [N, L, E]",
                    "set batchFirst = true (batch_first=True), as torchvision's vision transformer does");
            return null;
        }
        int embedDim = node.attribute("embedDim").asInt();
        int heads = node.attribute("numHeads").asInt();
        if (embedDim % heads != 0) {
            node.report(node.attribute("numHeads").location(), Message.HEADS_MISMATCH, node.name(), heads, embedDim,
                    embedDim % heads, "use a numHeads that divides " + embedDim + divisors(embedDim, heads));
            return null;
        }
        return new Config(embedDim, heads, node.attribute("dropout").asDouble(), node.attribute("bias").asBoolean());
    }

    /** {@code (e.g. 8 or 12)}: the divisors of {@code embedDim} nearest {@code heads}. */
    private static String divisors(int embedDim, int heads) {
        int below = heads;
        while (below > 1 && embedDim % below != 0) {
            below--;
        }
        int above = heads;
        while (above < embedDim && embedDim % above != 0) {
            above++;
        }
        return below == above ? "" : " (e.g. " + below + " or " + above + ")";
    }

    @Override
    public TensorShape infer(Config config, List<TensorShape> inputs, NodeContext node) {
        String[] names = {"query", "key", "value"};
        for (int i = 0; i < 3; i++) {
            TensorShape input = inputs.get(i);
            if (input.rank() != 3) {
                node.report(node.location(), Message.RANK_MISMATCH, node.name(), name() + "'s " + names[i], "3-D",
                        input.rank(), input, node.inputOrigin(i), "[N, L, E]: a batch of sequences of tokens",
                        input.rank() == 4 ? "flatten the map into tokens: x.flatten(2).transpose(1, 2)"
                                : "give it [N, L, E]");
                return null;
            }
            if (input.dim(2) != config.embedDim()) {
                node.report(node.attribute("embedDim").location(), Message.SHAPE_MISMATCH, node.name(),
                        "embedDim = " + config.embedDim() + ", but its " + names[i] + " has " + input.dim(2)
                                + " features",
                        names[i] + " " + input + " from " + node.inputOrigin(i), "embedDim = " + input.dim(2),
                        "set embedDim = " + input.dim(2));
                return null;
            }
        }
        if (inputs.get(1).dim(1) != inputs.get(2).dim(1)) {
            node.report(node.location(), Message.SHAPE_MISMATCH, node.name(),
                    "key and value must have the same length", "key " + inputs.get(1) + " from "
                            + node.inputOrigin(1) + ", value " + inputs.get(2) + " from " + node.inputOrigin(2),
                    "one length S for both", "pass a key and a value of one sequence");
            return null;
        }
        if (inputs.get(0).batches() != inputs.get(1).batches() || inputs.get(1).batches() != inputs.get(2).batches()) {
            node.report(node.location(), Message.SHAPE_MISMATCH, node.name(),
                    "query, key and value must hold the same batch", "batches " + inputs.get(0).batches() + ", "
                            + inputs.get(1).batches() + ", " + inputs.get(2).batches(), "one batch",
                    "do not cat them along the batch axis");
            return null;
        }
        return inputs.get(0);
    }

    @Override
    public Returns returns(Config config, List<TensorShape> inputs, Map<String, Object> call) {
        boolean needWeights = !Boolean.FALSE.equals(call.get("need_weights"));
        return Returns.tuple(1, needWeights ? "MultiheadAttention's attention weights (need_weights=True, PyTorch's "
                + "default) are not computed by ShapeProof: pass need_weights=False, or drop them (x, _ = ...)"
                : null);
    }

    @Override
    public List<ParameterShape> parameters(Config config, List<TensorShape> inputs) {
        return LayerMath.attentionParameters(config.embedDim(), config.bias());
    }

    @Override
    public long biasAdds(Config config, TensorShape output) {
        return config.bias() ? 4 * output.sampleSize() : 0;
    }

    /** The four projections, then the scores and the weighted sum of the values. */
    @Override
    public long macs(Config config, List<TensorShape> inputs, TensorShape output) {
        long e = config.embedDim();
        long l = inputs.get(0).dim(1);
        long s = inputs.get(1).dim(1);
        return Math.addExact(Math.multiplyExact(2 * l + 2 * s, e * e), Math.multiplyExact(2 * l * s, e));
    }

    @Override
    public CodeBlock newLayer(String name, Config config, List<TensorShape> inputs) {
        return CodeBlock.of("new $T($S, $L, $L, $L, $L)", ClassName.bestGuess(layerClassName()), name,
                config.embedDim(), config.heads(), config.dropout(), config.bias());
    }
}
