package dev.shapeproof.examples.ported.efficientnet_b0;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.SiLULayer;
import dev.shapeproof.nn.SigmoidLayer;

/**
 * PyTorch's {@code torchvision.ops.misc.SqueezeExcitation} ({@code torchvision/ops/misc.py:224}).
 *
 * <p>Written in, being the same in every use in this model: {@code activation=partial(nn.SiLU, inplace=True)}, {@code
 * scale_activation=nn.Sigmoid}.
 */
@Block(params = "input_channels: int, squeeze_channels: int", forward = """
        def forward(self, input):
            scale = self.avgpool(input)
            scale = self.fc1(scale)
            scale = self.activation(scale)
            scale = self.fc2(scale)
            scale = self.scale_activation(scale)
            return scale * input
        """)
public abstract class SqueezeExcitation extends NnModule {
    @Init("nn.AdaptiveAvgPool2d(1)")                        AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Conv2d(input_channels, squeeze_channels, 1)") Conv2dLayer fc1;
    @Init("nn.Conv2d(squeeze_channels, input_channels, 1)") Conv2dLayer fc2;
    @Init("nn.SiLU(inplace=True)")                          SiLULayer activation;
    @Init("nn.Sigmoid()")                                   SigmoidLayer scale_activation;
}
