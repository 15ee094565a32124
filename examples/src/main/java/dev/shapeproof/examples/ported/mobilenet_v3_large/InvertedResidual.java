package dev.shapeproof.examples.ported.mobilenet_v3_large;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.mobilenetv3.InvertedResidual} ({@code torchvision/models/mobilenetv3.py:52}).
 *
 * <p>Written in, being the same in every use in this model: {@code norm_layer=partial(nn.BatchNorm2d, eps=0.001,
 * momentum=0.01)}, {@code se_layer=partial(SqueezeExcitation, scale_activation=nn.Hardsigmoid)}.
 */
@Block(params = "cnf: InvertedResidualConfig", init = """
        activation_layer = nn.Hardswish if cnf["use_hs"] else nn.ReLU
        stride = 1 if cnf["dilation"] > 1 else cnf["stride"]
        new_v = max(8, int(cnf["expanded_channels"] // 4 + 4.0) // 8 * 8)
        """, forward = """
        def forward(self, input):
            result = self.block(input)
            if self.cnf["stride"] == 1 and self.cnf["input_channels"] == self.cnf["out_channels"]:
                result += input
            return result
        """)
public abstract class InvertedResidual extends NnModule {
    @Init("""
            nn.Sequential(*(([Conv2dNormActivation(cnf["input_channels"], cnf["expanded_channels"], kernel_size=1,
                                                   activation_layer=activation_layer)]
                             if cnf["expanded_channels"] != cnf["input_channels"] else [])
                            + ([Conv2dNormActivation(cnf["expanded_channels"], cnf["expanded_channels"],
                                                     kernel_size=cnf["kernel"], stride=stride,
                                                     dilation=cnf["dilation"], groups=cnf["expanded_channels"],
                                                     activation_layer=activation_layer),
                                SqueezeExcitation(cnf["expanded_channels"],
                                                  new_v + 8
                                                  if new_v < 0.9 * (cnf["expanded_channels"] // 4) else new_v)]
                               if cnf["use_se"]
                               else [Conv2dNormActivation(cnf["expanded_channels"], cnf["expanded_channels"],
                                                          kernel_size=cnf["kernel"], stride=stride,
                                                          dilation=cnf["dilation"], groups=cnf["expanded_channels"],
                                                          activation_layer=activation_layer)])
                            + [Conv2dNormActivation(cnf["expanded_channels"], cnf["out_channels"], kernel_size=1,
                                                    activation_layer=None)]))""")
    Sequential block;
}
