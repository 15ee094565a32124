package dev.shapeproof.nn;

import dev.shapeproof.shape.LayerMath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's {@code nn.MultiheadAttention} with {@code batch_first=True}, declared with
 * {@link dev.shapeproof.MultiheadAttention}: its state is {@code in_proj_weight [3E, E]}, {@code in_proj_bias [3E]},
 * {@code out_proj.weight [E, E]} and {@code out_proj.bias [E]}, PyTorch's keys and order.
 */
public final class MultiheadAttentionLayer extends Layer {
    private final int embedDim;
    private final int heads;
    private final double dropout;
    private final boolean bias;

    public MultiheadAttentionLayer(String name, int embedDim, int heads, double dropout, boolean bias) {
        super(name, LayerMath.attentionParameters(embedDim, bias));
        this.embedDim = embedDim;
        this.heads = heads;
        this.dropout = dropout;
        this.bias = bias;
    }

    public int embedDim() { return embedDim; }

    public int heads() { return heads; }

    @Override
    public String pytorchType() { return "MultiheadAttention"; }

    /** Self-attention: {@code forward(x, x, x)}. */
    @Override
    public INDArray forward(INDArray input) {
        return forward(input, input, input);
    }

    /** The attention output for {@code query [N, L, E]}, {@code key} and {@code value [N, S, E]}; none is modified. */
    public INDArray forward(INDArray query, INDArray key, INDArray value) {
        return F.multiheadAttention(query, key, value, heads, tensor("in_proj_weight"),
                bias ? tensor("in_proj_bias") : null, tensor("out_proj.weight"), bias ? tensor("out_proj.bias") : null,
                dropout, isTraining());
    }

    /**
     * PyTorch's {@code _reset_parameters}: {@code xavier_uniform_} on {@code in_proj_weight}, biases 0, and the
     * {@code out_proj} Linear's default weight.
     */
    @Override
    public void initialize(SplittableRandom random) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("in_proj_weight", Init.xavierUniform(random, 3 * embedDim, embedDim));
        if (bias) {
            tensors.put("in_proj_bias", Init.filled(0, 3L * embedDim));
        }
        tensors.put("out_proj.weight", Init.uniform(random, embedDim, embedDim, embedDim));
        if (bias) {
            tensors.put("out_proj.bias", Init.filled(0, embedDim));
        }
        setState(tensors);
    }

    @Override
    protected String describe() {
        return "embed_dim=" + embedDim + ", num_heads=" + heads + (dropout != 0 ? ", dropout=" + dropout : "");
    }
}
