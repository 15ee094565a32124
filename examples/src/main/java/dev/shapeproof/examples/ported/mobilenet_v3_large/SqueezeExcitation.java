package dev.shapeproof.examples.ported.mobilenet_v3_large;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.HardsigmoidLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.ReLULayer;

/**
 * PyTorch's {@code torchvision.ops.misc.SqueezeExcitation} ({@code torchvision/ops/misc.py:224}).
 *
 * <p>Written in, being the same in every use in this model: {@code activation=nn.ReLU}, {@code
 * scale_activation=nn.Hardsigmoid}.
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
    @Init("nn.ReLU()")                                      ReLULayer activation;
    @Init("nn.Hardsigmoid()")                               HardsigmoidLayer scale_activation;
}
