package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;
import dev.shapeproof.nn.StochasticDepthLayer;

/**
 * torchvision 0.14's {@code efficientnet_b0()}: width and depth 1.0 (so {@code adjust_channels} and
 * {@code adjust_depth} return the table's numbers), SiLU, squeeze-and-excitation, stochastic depth growing with the
 * block's index to 0.2; the {@code MBConvConfig}s as tuples of their fields. Its state_dict keys and torchsummary rows
 * are torchvision's.
 */
@Model(input = {3, 64, 64}, init = """
        norm_layer = nn.BatchNorm2d
        stochastic_depth_prob = 0.2
        # expand_ratio, kernel, stride, input_channels, out_channels, num_layers
        inverted_residual_setting = [
            (1, 3, 1, 32, 16, 1),
            (6, 3, 2, 16, 24, 2),
            (6, 5, 2, 24, 40, 2),
            (6, 3, 2, 40, 80, 3),
            (6, 5, 1, 80, 112, 3),
            (6, 5, 2, 112, 192, 4),
            (6, 3, 1, 192, 320, 1),
        ]
        layers = []
        # building first layer
        firstconv_output_channels = inverted_residual_setting[0][3]
        layers.append(Conv2dNormActivation(3, firstconv_output_channels, kernel_size=3, stride=2, norm_layer=norm_layer,
                                           activation_layer=nn.SiLU))
        # building inverted residual blocks
        total_stage_blocks = sum([cnf[5] for cnf in inverted_residual_setting])
        stage_block_id = 0
        for cnf in inverted_residual_setting:
            stage = []
            expand_ratio, kernel, stride, input_channels, out_channels, num_layers = cnf
            for _ in range(num_layers):
                # overwrite info if not the first conv in the stage
                if stage:
                    input_channels = out_channels
                    stride = 1
                # adjust stochastic depth probability based on the depth of the stage block
                sd_prob = stochastic_depth_prob * float(stage_block_id) / total_stage_blocks
                stage.append(MBConv((expand_ratio, kernel, stride, input_channels, out_channels, num_layers), sd_prob,
                                    norm_layer))
                stage_block_id += 1
            layers.append(nn.Sequential(*stage))
        # building last several layers
        lastconv_input_channels = inverted_residual_setting[-1][4]
        lastconv_output_channels = 4 * lastconv_input_channels
        layers.append(Conv2dNormActivation(lastconv_input_channels, lastconv_output_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=nn.SiLU))
        """, forward = """
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x
        """)
public abstract class EfficientNetB0 {
    @Init("nn.Sequential(*layers)")                                                       Sequential features;
    @Init("nn.AdaptiveAvgPool2d(1)")                                                      AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Sequential(nn.Dropout(p=0.2, inplace=True), nn.Linear(lastconv_output_channels, 1000))")
    Sequential classifier;

    /**
     * torchvision's {@code efficientnet.MBConv}: expand, depthwise, squeeze-and-excitation, project, and in the residual
     * case stochastic depth and the add. {@code cnf.adjust_channels(c, ratio)} is {@code c · ratio} here: every
     * product is a multiple of 8, which {@code _make_divisible} keeps.
     */
    @Block(params = "cnf, stochastic_depth_prob: float, norm_layer, se_layer = SqueezeExcitation", init = """
            expand_ratio, kernel, stride, input_channels, out_channels, num_layers = cnf
            self.use_res_connect = stride == 1 and input_channels == out_channels
            layers = []
            activation_layer = nn.SiLU
            # expand
            expanded_channels = input_channels * expand_ratio
            if expanded_channels != input_channels:
                layers.append(Conv2dNormActivation(input_channels, expanded_channels, kernel_size=1,
                                                   norm_layer=norm_layer, activation_layer=activation_layer))
            # depthwise
            layers.append(Conv2dNormActivation(expanded_channels, expanded_channels, kernel_size=kernel, stride=stride,
                                               groups=expanded_channels, norm_layer=norm_layer,
                                               activation_layer=activation_layer))
            # squeeze and excitation
            squeeze_channels = max(1, input_channels // 4)
            layers.append(se_layer(expanded_channels, squeeze_channels, activation=partial(nn.SiLU, inplace=True)))
            # project
            layers.append(Conv2dNormActivation(expanded_channels, out_channels, kernel_size=1, norm_layer=norm_layer,
                                               activation_layer=None))
            """, forward = """
            def forward(self, input):
                result = self.block(input)
                if self.use_res_connect:
                    result = self.stochastic_depth(result)
                    result += input
                return result
            """)
    abstract static class MBConv extends NnModule {
        @Init("nn.Sequential(*layers)")                                 Sequential block;
        @Init("StochasticDepth(stochastic_depth_prob, 'row')")          StochasticDepthLayer stochastic_depth;
    }
}
