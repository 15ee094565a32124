package dev.shapeproof.examples.ported.vit_b_16;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.DropoutLayer;
import dev.shapeproof.nn.LayerNormLayer;
import dev.shapeproof.nn.MultiheadAttentionLayer;
import dev.shapeproof.nn.NnModule;

/**
 * PyTorch's {@code torchvision.models.vision_transformer.EncoderBlock} ({@code
 * torchvision/models/vision_transformer.py:86}).
 *
 * <p>Written in, being the same in every use in this model: {@code norm_layer=partial(nn.LayerNorm, eps=1e-06)}.
 *
 * <p>Left out, as no module needs it: {@code mlp_dim}.
 */
@Block(params = "num_heads: int, hidden_dim: int, dropout: float, attention_dropout: float", forward = """
        def forward(self, input):
            x = self.ln_1(input)
            x, _ = self.self_attention(query=x, key=x, value=x, need_weights=False)
            x = self.dropout(x)
            x = x + input

            y = self.ln_2(x)
            y = self.mlp(y)
            return x + y
        """)
public abstract class EncoderBlock extends NnModule {
    @Init("nn.LayerNorm(hidden_dim, eps=1e-06)") LayerNormLayer ln_1;
    @Init("nn.MultiheadAttention(hidden_dim, num_heads, dropout=attention_dropout, batch_first=True)")
    MultiheadAttentionLayer self_attention;
    @Init("nn.Dropout(dropout)")                 DropoutLayer dropout;
    @Init("nn.LayerNorm(hidden_dim, eps=1e-06)") LayerNormLayer ln_2;
    @Init("MLPBlock()")                          MLPBlock mlp;
}
