package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.DropoutLayer;
import dev.shapeproof.nn.LayerNormLayer;
import dev.shapeproof.nn.MultiheadAttentionLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Parameter;
import dev.shapeproof.nn.Sequential;

/**
 * torchvision 0.14's {@code vit_b_16(image_size=64)}: 16×16 patches of a 64×64 image (16 of them, and the class
 * token: 17 tokens of 768), 12 encoder blocks of 12 heads and an MLP of 3072. {@code _process_input} is written inline;
 * {@code MLPBlock} is torchvision's {@code MLP} with its arguments (the subclass only renames legacy checkpoint keys).
 * Its state_dict keys (the class token first, the position embedding first in the encoder) are torchvision's.
 */
@Model(input = {3, 64, 64}, init = """
        image_size = 64
        patch_size = 16
        num_layers = 12
        num_heads = 12
        hidden_dim = 768
        mlp_dim = 3072
        dropout = 0.0
        attention_dropout = 0.0
        num_classes = 1000
        norm_layer = partial(nn.LayerNorm, eps=1e-6)
        seq_length = (image_size // patch_size) ** 2
        # Add a class token
        seq_length += 1
        """, forward = """
        # _process_input
        n, c, h, w = x.shape
        p = self.patch_size
        torch._assert(h == self.image_size, "Wrong image height!")
        torch._assert(w == self.image_size, "Wrong image width!")
        n_h = h // p
        n_w = w // p
        # (n, c, h, w) -> (n, hidden_dim, n_h, n_w)
        x = self.conv_proj(x)
        # (n, hidden_dim, n_h, n_w) -> (n, hidden_dim, (n_h * n_w))
        x = x.reshape(n, self.hidden_dim, n_h * n_w)
        # (n, hidden_dim, (n_h * n_w)) -> (n, (n_h * n_w), hidden_dim)
        x = x.permute(0, 2, 1)

        n = x.shape[0]
        # Expand the class token to the full batch
        batch_class_token = self.class_token.expand(n, -1, -1)
        x = torch.cat([batch_class_token, x], dim=1)
        x = self.encoder(x)
        # Classifier "token" as used by standard language architectures
        x = x[:, 0]
        x = self.heads(x)
        return x
        """)
public abstract class VitB16 {
    @Init("nn.Conv2d(in_channels=3, out_channels=hidden_dim, kernel_size=patch_size, stride=patch_size)")
    Conv2dLayer conv_proj;
    @Init("nn.Parameter(torch.zeros(1, 1, hidden_dim))")
    Parameter class_token;
    @Init("Encoder(seq_length, num_layers, num_heads, hidden_dim, mlp_dim, dropout, attention_dropout, norm_layer)")
    NnModule encoder;
    @Init("nn.Sequential(OrderedDict([('head', nn.Linear(hidden_dim, num_classes))]))")
    Sequential heads;

    /** torchvision's {@code vision_transformer.Encoder}. */
    @Block(params = """
            seq_length: int, num_layers: int, num_heads: int, hidden_dim: int, mlp_dim: int, dropout: float,
            attention_dropout: float, norm_layer = partial(nn.LayerNorm, eps=1e-6)""", forward = """
            def forward(self, input):
                torch._assert(input.dim() == 3, "Expected (batch_size, seq_length, hidden_dim)")
                input = input + self.pos_embedding
                return self.ln(self.layers(self.dropout(input)))
            """)
    abstract static class Encoder extends NnModule {
        // from BERT
        @Init("nn.Parameter(torch.empty(1, seq_length, hidden_dim).normal_(std=0.02))") Parameter pos_embedding;
        @Init("nn.Dropout(dropout)")                                                   DropoutLayer dropout;
        @Init("""
                nn.Sequential(OrderedDict([
                    ("encoder_layer_%d" % i, EncoderBlock(num_heads, hidden_dim, mlp_dim, dropout, attention_dropout,
                                                          norm_layer))
                    for i in range(num_layers)
                ]))""")                                                                Sequential layers;
        @Init("norm_layer(hidden_dim)")                                                LayerNormLayer ln;
    }

    /** torchvision's {@code vision_transformer.EncoderBlock}. */
    @Block(params = """
            num_heads: int, hidden_dim: int, mlp_dim: int, dropout: float, attention_dropout: float,
            norm_layer = partial(nn.LayerNorm, eps=1e-6)""", init = "self.num_heads = num_heads", forward = """
            def forward(self, input):
                torch._assert(input.dim() == 3, "Expected (batch_size, seq_length, hidden_dim)")
                x = self.ln_1(input)
                x, _ = self.self_attention(query=x, key=x, value=x, need_weights=False)
                x = self.dropout(x)
                x = x + input

                y = self.ln_2(x)
                y = self.mlp(y)
                return x + y
            """)
    abstract static class EncoderBlock extends NnModule {
        // Attention block
        @Init("norm_layer(hidden_dim)")                                                   LayerNormLayer ln_1;
        @Init("nn.MultiheadAttention(hidden_dim, num_heads, dropout=attention_dropout, batch_first=True)")
        MultiheadAttentionLayer self_attention;
        @Init("nn.Dropout(dropout)")                                                      DropoutLayer dropout;
        // MLP block
        @Init("norm_layer(hidden_dim)")                                                   LayerNormLayer ln_2;
        @Init("MLP(hidden_dim, [mlp_dim, hidden_dim], activation_layer=nn.GELU, inplace=None, dropout=dropout)")
        Sequential mlp;
    }

    /** torchvision's {@code ops.misc.MLP}: Linear, activation and Dropout per hidden size, a last Linear and Dropout. */
    @Block(params = """
            in_channels: int, hidden_channels: List[int], norm_layer = None, activation_layer = nn.ReLU,
            inplace: Optional[bool] = True, bias: bool = True, dropout: float = 0.0""", init = """
            layers = []
            in_dim = in_channels
            for hidden_dim in hidden_channels[:-1]:
                layers.append(nn.Linear(in_dim, hidden_dim, bias=bias))
                if norm_layer is not None:
                    layers.append(norm_layer(hidden_dim))
                layers.append(activation_layer() if inplace is None else activation_layer(inplace=inplace))
                layers.append(nn.Dropout(dropout, inplace=inplace))
                in_dim = hidden_dim
            layers.append(nn.Linear(in_dim, hidden_channels[-1], bias=bias))
            layers.append(nn.Dropout(dropout, inplace=inplace))
            """, children = "layers")
    abstract static class MLP extends Sequential {}
}
