package dev.shapeproof.examples.golden;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.LayerNormLayer;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.MultiheadAttentionLayer;
import dev.shapeproof.nn.Parameter;

/**
 * Golden model {@code OpsTinyViT} (tools/golden/make_op_goldens.py): a one-block vision transformer in the shape of
 * torchvision's, small: patches by a strided convolution, reshape and permute to tokens, a class token expanded to the
 * batch and concatenated, a learned position embedding added, LayerNorm, MultiheadAttention (need_weights=False) and an
 * MLP with residual adds, a learned per-feature scale, the class token picked by {@code x[:, 0]}. Its parameters that
 * are not layers' come first in the state_dict, as in PyTorch.
 */
@Model(input = {3, 16, 16}, forward = """
        n, c, h, w = x.shape
        torch._assert(h == self.image_size, "Wrong image height!")
        x = self.conv_proj(x)
        x = x.reshape(n, self.hidden_dim, (h // self.patch_size) * (w // self.patch_size))
        x = x.permute(0, 2, 1)
        batch_class_token = self.class_token.expand(n, -1, -1)
        x = torch.cat([batch_class_token, x], dim=1)
        x = x + self.pos_embedding
        y = self.ln_1(x)
        y, _ = self.attention(y, y, y, need_weights=False)
        x = x + y
        x = x + self.mlp2(F.gelu(self.mlp1(self.ln_2(x))))
        x = x * self.scale
        x = x[:, 0]
        return self.head(x)
        """)
public abstract class OpsTinyViT {
    static final int image_size = 16;
    static final int patch_size = 4;
    static final int hidden_dim = 16;

    @Init("nn.Conv2d(3, hidden_dim, kernel_size=patch_size, stride=patch_size)")   Conv2dLayer conv_proj;
    @Init("nn.Parameter(torch.zeros(1, 1, hidden_dim))")                            Parameter class_token;
    @Init("nn.Parameter(torch.empty(1, 17, hidden_dim).normal_(std=0.02))")         Parameter pos_embedding;
    @Init("nn.LayerNorm(hidden_dim, eps=1e-6)")                                     LayerNormLayer ln_1;
    @Init("nn.MultiheadAttention(hidden_dim, 4, batch_first=True)")                 MultiheadAttentionLayer attention;
    @Init("nn.LayerNorm(hidden_dim, eps=1e-6)")                                     LayerNormLayer ln_2;
    @Init("nn.Linear(hidden_dim, 32)")                                              LinearLayer mlp1;
    @Init("nn.Linear(32, hidden_dim)")                                              LinearLayer mlp2;
    @Init("nn.Parameter(torch.ones(hidden_dim) * 0.5)")                             Parameter scale;
    @Init("nn.Linear(hidden_dim, 5)")                                               LinearLayer head;
}
