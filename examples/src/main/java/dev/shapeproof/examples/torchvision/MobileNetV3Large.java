package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;

/**
 * torchvision 0.14's {@code mobilenet_v3_large()}: width 1.0, the paper's table as {@code InvertedResidualConfig}
 * tuples ({@code bneck_conf}'s arguments; {@code adjust_channels} returns them unchanged at width 1.0), BatchNorm with
 * eps 0.001 and momentum 0.01, Hardswish, squeeze-and-excitation with a Hardsigmoid gate; its state_dict keys and
 * torchsummary rows unchanged.
 */
@Model(input = {3, 64, 64}, init = """
        norm_layer = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        # input_channels, kernel, expanded_channels, out_channels, use_se, activation, stride, dilation
        inverted_residual_setting = [
            (16, 3, 16, 16, False, "RE", 1, 1),
            (16, 3, 64, 24, False, "RE", 2, 1),  # C1
            (24, 3, 72, 24, False, "RE", 1, 1),
            (24, 5, 72, 40, True, "RE", 2, 1),  # C2
            (40, 5, 120, 40, True, "RE", 1, 1),
            (40, 5, 120, 40, True, "RE", 1, 1),
            (40, 3, 240, 80, False, "HS", 2, 1),  # C3
            (80, 3, 200, 80, False, "HS", 1, 1),
            (80, 3, 184, 80, False, "HS", 1, 1),
            (80, 3, 184, 80, False, "HS", 1, 1),
            (80, 3, 480, 112, True, "HS", 1, 1),
            (112, 3, 672, 112, True, "HS", 1, 1),
            (112, 5, 672, 160, True, "HS", 2, 1),  # C4
            (160, 5, 960, 160, True, "HS", 1, 1),
            (160, 5, 960, 160, True, "HS", 1, 1),
        ]
        last_channel = 1280  # C5
        layers = []
        # building first layer
        firstconv_output_channels = inverted_residual_setting[0][0]
        layers.append(Conv2dNormActivation(3, firstconv_output_channels, kernel_size=3, stride=2,
                                           norm_layer=norm_layer, activation_layer=nn.Hardswish))
        # building inverted residual blocks
        for cnf in inverted_residual_setting:
            layers.append(InvertedResidual(cnf, norm_layer))
        # building last several layers
        lastconv_input_channels = inverted_residual_setting[-1][3]
        lastconv_output_channels = 6 * lastconv_input_channels
        layers.append(Conv2dNormActivation(lastconv_input_channels, lastconv_output_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=nn.Hardswish))
        """, forward = """
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x
        """)
public abstract class MobileNetV3Large {
    @Init("nn.Sequential(*layers)")                                                            Sequential features;
    @Init("nn.AdaptiveAvgPool2d(1)")                                                           AdaptiveAvgPool2dLayer avgpool;
    @Init("""
            nn.Sequential(
                nn.Linear(lastconv_output_channels, last_channel),
                nn.Hardswish(inplace=True),
                nn.Dropout(p=0.2, inplace=True),
                nn.Linear(last_channel, 1000),
            )""")                                                                              Sequential classifier;

    /**
     * torchvision's {@code mobilenetv3.InvertedResidual}, section 5 of the paper: its {@code cnf} is the tuple of an
     * {@code InvertedResidualConfig}'s fields; {@code _make_divisible(c, 8)} is written out.
     */
    @Block(params = """
            cnf, norm_layer, se_layer = partial(SqueezeExcitation, scale_activation=nn.Hardsigmoid)""", init = """
            input_channels, kernel, expanded_channels, out_channels, use_se, activation, stride, dilation = cnf
            use_hs = activation == "HS"
            self.use_res_connect = stride == 1 and input_channels == out_channels
            layers = []
            activation_layer = nn.Hardswish if use_hs else nn.ReLU
            # expand
            if expanded_channels != input_channels:
                layers.append(Conv2dNormActivation(input_channels, expanded_channels, kernel_size=1,
                                                   norm_layer=norm_layer, activation_layer=activation_layer))
            # depthwise
            stride = 1 if dilation > 1 else stride
            layers.append(Conv2dNormActivation(expanded_channels, expanded_channels, kernel_size=kernel, stride=stride,
                                               dilation=dilation, groups=expanded_channels, norm_layer=norm_layer,
                                               activation_layer=activation_layer))
            if use_se:
                # _make_divisible(expanded_channels // 4, 8)
                squeeze_channels = max(8, int(expanded_channels // 4 + 8 / 2) // 8 * 8)
                if squeeze_channels < 0.9 * (expanded_channels // 4):
                    squeeze_channels += 8
                layers.append(se_layer(expanded_channels, squeeze_channels))
            # project
            layers.append(Conv2dNormActivation(expanded_channels, out_channels, kernel_size=1, norm_layer=norm_layer,
                                               activation_layer=None))
            """, forward = """
            def forward(self, input):
                result = self.block(input)
                if self.use_res_connect:
                    result += input
                return result
            """)
    abstract static class InvertedResidual extends NnModule {
        @Init("nn.Sequential(*layers)") Sequential block;
    }
}
