package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;

/**
 * The benchmark's mobilenet_v2 at torchvision's 3×224×224: {@link MobileNetV2}'s declaration copied (the examples check
 * it at 3×64×64, and a generated forward knows its sizes; its nested block is copied too, since a model reaches only
 * blocks nested in it or beside it in source).
 */
@Model(input = {3, 224, 224}, init = """
        norm_layer = nn.BatchNorm2d
        input_channel = 32
        last_channel = 1280
        inverted_residual_setting = [
            # t, c, n, s
            [1, 16, 1, 1],
            [6, 24, 2, 2],
            [6, 32, 3, 2],
            [6, 64, 4, 2],
            [6, 96, 3, 1],
            [6, 160, 3, 2],
            [6, 320, 1, 1],
        ]
        features = [Conv2dNormActivation(3, input_channel, stride=2, norm_layer=norm_layer, activation_layer=nn.ReLU6)]
        for t, c, n, s in inverted_residual_setting:
            output_channel = c
            for i in range(n):
                stride = s if i == 0 else 1
                features.append(InvertedResidual(input_channel, output_channel, stride, expand_ratio=t,
                                                 norm_layer=norm_layer))
                input_channel = output_channel
        features.append(Conv2dNormActivation(input_channel, last_channel, kernel_size=1, norm_layer=norm_layer,
                                             activation_layer=nn.ReLU6))
        """, forward = """
        x = self.features(x)
        # Cannot use "squeeze" as batch-size can be 1
        x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x
        """)
public abstract class MobileNetV2At224 {
    @Init("nn.Sequential(*features)")                                              Sequential features;
    @Init("nn.Sequential(nn.Dropout(p=0.2), nn.Linear(last_channel, 1000))")       Sequential classifier;

    /** torchvision's {@code mobilenetv2.InvertedResidual}: expand (unless t = 1), depthwise, project; a residual add. */
    @Block(params = "inp: int, oup: int, stride: int, expand_ratio: int, norm_layer = None", init = """
            self.stride = stride
            if norm_layer is None:
                norm_layer = nn.BatchNorm2d
            hidden_dim = int(round(inp * expand_ratio))
            self.use_res_connect = self.stride == 1 and inp == oup
            layers = []
            if expand_ratio != 1:
                # pw
                layers.append(Conv2dNormActivation(inp, hidden_dim, kernel_size=1, norm_layer=norm_layer,
                                                   activation_layer=nn.ReLU6))
            layers.extend([
                # dw
                Conv2dNormActivation(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim, norm_layer=norm_layer,
                                     activation_layer=nn.ReLU6),
                # pw-linear
                nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
                norm_layer(oup),
            ])
            """, forward = """
            if self.use_res_connect:
                return x + self.conv(x)
            else:
                return self.conv(x)
            """)
    abstract static class InvertedResidual extends NnModule {
        @Init("nn.Sequential(*layers)") Sequential conv;
    }
}
