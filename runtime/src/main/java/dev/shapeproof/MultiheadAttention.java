package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Multi-head attention, as PyTorch's {@code nn.MultiheadAttention} with {@code batch_first=True}: query
 * {@code [N, L, E]}, key and value {@code [N, S, E]}; the field's type is {@code MultiheadAttentionLayer}. Called as
 * {@code attn(query, key, value, need_weights=False)}, it returns PyTorch's tuple {@code (output, None)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MultiheadAttention {
    /** {@code E}, the features of each token. */
    int embedDim();

    /** The number of heads; it must divide {@link #embedDim()}. */
    int numHeads();

    /** Dropout on the attention weights, in training. */
    double dropout() default 0.0;

    boolean bias() default true;

    /**
     * PyTorch's {@code batch_first}, whose default is {@code false} ({@code [L, N, E]}); ShapeProof keeps the batch
     * first, so it must be set to {@code true}.
     */
    boolean batchFirst() default false;
}
