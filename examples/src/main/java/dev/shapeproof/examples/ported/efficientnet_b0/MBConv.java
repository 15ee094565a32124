package dev.shapeproof.examples.ported.efficientnet_b0;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;
import dev.shapeproof.nn.StochasticDepthLayer;

/**
 * PyTorch's {@code torchvision.models.efficientnet.MBConv} ({@code torchvision/models/efficientnet.py:105}).
 *
 * <p>Written in, being the same in every use in this model: {@code norm_layer=nn.BatchNorm2d}, {@code
 * se_layer=SqueezeExcitation}.
 */
@Block(params = "cnf: MBConvConfig, stochastic_depth_prob: float", init = """
        new_v = max(8, int(cnf["input_channels"] * cnf["expand_ratio"] + 4.0) // 8 * 8)
        expanded_channels = new_v + 8 if new_v < 0.9 * (cnf["input_channels"] * cnf["expand_ratio"]) else new_v
        """, forward = """
        def forward(self, input):
            result = self.block(input)
            if self.cnf["stride"] == 1 and self.cnf["input_channels"] == self.cnf["out_channels"]:
                result = self.stochastic_depth(result)
                result += input
            return result
        """)
public abstract class MBConv extends NnModule {
    @Init("""
            nn.Sequential(*(([Conv2dNormActivation(cnf["input_channels"], expanded_channels, kernel_size=1,
                                                   activation_layer=nn.SiLU)]
                             if expanded_channels != cnf["input_channels"] else [])
                            + [Conv2dNormActivation(expanded_channels, expanded_channels, kernel_size=cnf["kernel"],
                                                    stride=cnf["stride"], groups=expanded_channels,
                                                    activation_layer=nn.SiLU),
                               SqueezeExcitation(expanded_channels, max(1, cnf["input_channels"] // 4)),
                               Conv2dNormActivation(expanded_channels, cnf["out_channels"], kernel_size=1,
                                                    activation_layer=None)]))""")
    Sequential block;
    @Init("StochasticDepth(stochastic_depth_prob, 'row')") StochasticDepthLayer stochastic_depth;
}
