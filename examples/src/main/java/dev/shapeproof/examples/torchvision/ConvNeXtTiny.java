package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Parameter;
import dev.shapeproof.nn.Sequential;
import dev.shapeproof.nn.StochasticDepthLayer;

/**
 * torchvision 0.14's {@code convnext_tiny()}: stages of 3, 3, 9 and 3 blocks at 96, 192, 384 and 768 channels,
 * stochastic depth up to 0.1, layer scale 1e-6. Each block is a 7×7 depthwise convolution, a LayerNorm and an MLP on
 * the channels-last map ({@code Permute}), scaled by a learned per-channel parameter; {@code LayerNorm2d} is a LayerNorm
 * over the channels of an NCHW map. Its state_dict keys (each block's {@code layer_scale} before its modules) and
 * torchsummary rows are torchvision's.
 */
@Model(input = {3, 64, 64}, init = """
        stochastic_depth_prob = 0.1
        layer_scale = 1e-6
        # CNBlockConfig(input_channels, out_channels, num_layers)
        block_setting = [(96, 192, 3), (192, 384, 3), (384, 768, 9), (768, None, 3)]
        norm_layer = partial(LayerNorm2d, eps=1e-6)
        layers = []
        # Stem
        firstconv_output_channels = block_setting[0][0]
        layers.append(Conv2dNormActivation(3, firstconv_output_channels, kernel_size=4, stride=4, padding=0,
                                           norm_layer=norm_layer, activation_layer=None, bias=True))
        total_stage_blocks = sum([cnf[2] for cnf in block_setting])
        stage_block_id = 0
        for input_channels, out_channels, num_layers in block_setting:
            # Bottlenecks
            stage = []
            for _ in range(num_layers):
                # adjust stochastic depth probability based on the depth of the stage block
                sd_prob = stochastic_depth_prob * stage_block_id / (total_stage_blocks - 1.0)
                stage.append(CNBlock(input_channels, layer_scale, sd_prob))
                stage_block_id += 1
            layers.append(nn.Sequential(*stage))
            if out_channels is not None:
                # Downsampling
                layers.append(nn.Sequential(norm_layer(input_channels),
                                            nn.Conv2d(input_channels, out_channels, kernel_size=2, stride=2)))
        lastconv_output_channels = block_setting[-1][0]
        """, forward = """
        x = self.features(x)
        x = self.avgpool(x)
        x = self.classifier(x)
        return x
        """)
public abstract class ConvNeXtTiny {
    @Init("nn.Sequential(*layers)")  Sequential features;
    @Init("nn.AdaptiveAvgPool2d(1)") AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Sequential(norm_layer(lastconv_output_channels), nn.Flatten(1), nn.Linear(lastconv_output_channels, 1000))")
    Sequential classifier;

    /** torchvision's {@code convnext.CNBlock}. */
    @Block(params = "dim, layer_scale: float, stochastic_depth_prob: float, norm_layer = None", init = """
            if norm_layer is None:
                norm_layer = partial(nn.LayerNorm, eps=1e-6)
            """, forward = """
            def forward(self, input):
                result = self.layer_scale * self.block(input)
                result = self.stochastic_depth(result)
                result += input
                return result
            """)
    abstract static class CNBlock extends NnModule {
        @Init("""
                nn.Sequential(
                    nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim, bias=True),
                    Permute([0, 2, 3, 1]),
                    norm_layer(dim),
                    nn.Linear(in_features=dim, out_features=4 * dim, bias=True),
                    nn.GELU(),
                    nn.Linear(in_features=4 * dim, out_features=dim, bias=True),
                    Permute([0, 3, 1, 2]),
                )""")                                                           Sequential block;
        @Init("nn.Parameter(torch.ones(dim, 1, 1) * layer_scale)")              Parameter layer_scale;
        @Init("StochasticDepth(stochastic_depth_prob, 'row')")                  StochasticDepthLayer stochastic_depth;
    }

    /**
     * torchvision's {@code convnext.LayerNorm2d}, an {@code nn.LayerNorm} whose forward normalises the channels of an
     * NCHW map: its {@code weight} and {@code bias} are the LayerNorm's, so torchsummary counts them on its row.
     */
    @Block(params = "normalized_shape, eps: float = 1e-05, elementwise_affine: bool = True", forward = """
            x = x.permute(0, 2, 3, 1)
            x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
            x = x.permute(0, 3, 1, 2)
            return x
            """)
    abstract static class LayerNorm2d extends NnModule {
        @Init("nn.Parameter(torch.ones(normalized_shape))")  Parameter weight;
        @Init("nn.Parameter(torch.zeros(normalized_shape))") Parameter bias;
    }

    /** torchvision's {@code ops.misc.Permute}: {@code torch.permute(x, self.dims)}. */
    @Block(params = "dims: List[int]", forward = "return torch.permute(x, self.dims)")
    abstract static class Permute extends NnModule {}
}
