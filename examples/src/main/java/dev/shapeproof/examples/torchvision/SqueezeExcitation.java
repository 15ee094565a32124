package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.NnModule;

/**
 * torchvision 0.14's {@code ops.misc.SqueezeExcitation}: the channels rescaled by a gate computed from their averages
 * ({@code scale * input}, a {@code [N, C, 1, 1]} scale broadcast over the map). {@code _scale} is written inline.
 */
@Block(params = "input_channels: int, squeeze_channels: int, activation = nn.ReLU, scale_activation = nn.Sigmoid",
        forward = """
        def forward(self, input):
            scale = self.avgpool(input)
            scale = self.fc1(scale)
            scale = self.activation(scale)
            scale = self.fc2(scale)
            scale = self.scale_activation(scale)
            return scale * input
        """)
public abstract class SqueezeExcitation extends NnModule {
    @Init("nn.AdaptiveAvgPool2d(1)")                         AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Conv2d(input_channels, squeeze_channels, 1)")  Conv2dLayer fc1;
    @Init("nn.Conv2d(squeeze_channels, input_channels, 1)")  Conv2dLayer fc2;
    @Init("activation()")                                    NnModule activation;
    @Init("scale_activation()")                              NnModule scale_activation;
}
