package dev.shapeproof.examples.ported.convnext_tiny;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Parameter;
import dev.shapeproof.nn.Sequential;
import dev.shapeproof.nn.StochasticDepthLayer;

/**
 * PyTorch's {@code torchvision.models.convnext.CNBlock} ({@code torchvision/models/convnext.py:38}).
 *
 * <p>Written in, being the same in every use in this model: {@code norm_layer=None}.
 */
@Block(params = "dim, layer_scale: float, stochastic_depth_prob: float", forward = """
        def forward(self, input):
            result = self.layer_scale * self.block(input)
            result = self.stochastic_depth(result)
            result += input
            return result
        """)
public abstract class CNBlock extends NnModule {
    @Init("nn.Parameter(torch.ones(dim, 1, 1) * layer_scale)") Parameter layer_scale;
    @Init("""
            nn.Sequential(
                nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim),
                Permute([0, 2, 3, 1]),
                nn.LayerNorm(dim, eps=1e-06),
                nn.Linear(in_features=dim, out_features=4 * dim),
                nn.GELU(),
                nn.Linear(in_features=4 * dim, out_features=dim),
                Permute([0, 3, 1, 2]))""")
    Sequential block;
    @Init("StochasticDepth(stochastic_depth_prob, 'row')")     StochasticDepthLayer stochastic_depth;
}
