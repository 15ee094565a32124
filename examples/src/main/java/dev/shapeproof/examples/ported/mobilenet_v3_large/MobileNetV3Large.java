package dev.shapeproof.examples.ported.mobilenet_v3_large;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.mobilenetv3.MobileNetV3}, built as {@code
 * torchvision.models.mobilenet_v3_large(weights=None)}, ported by tools/port_model.py; its state_dict keys and
 * torchsummary rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py mobilenet_v3_large --input 3,64,64
 * --java-package dev.shapeproof.examples.ported.mobilenet_v3_large --out examples/src/main/java --name
 * MobileNetV3Large}.
 */
@Model(input = {3, 64, 64}, forward = """
        x = self.features(x)

        x = self.avgpool(x)
        x = torch.flatten(x, 1)

        x = self.classifier(x)

        return x
        """)
public abstract class MobileNetV3Large {
    @Init("""
            nn.Sequential(
                Conv2dNormActivation(3, 16, stride=2, activation_layer=nn.Hardswish),
                InvertedResidual({"input_channels": 16, "kernel": 3, "expanded_channels": 16, "out_channels": 16,
                                  "use_se": False, "use_hs": False, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 16, "kernel": 3, "expanded_channels": 64, "out_channels": 24,
                                  "use_se": False, "use_hs": False, "stride": 2, "dilation": 1}),
                InvertedResidual({"input_channels": 24, "kernel": 3, "expanded_channels": 72, "out_channels": 24,
                                  "use_se": False, "use_hs": False, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 24, "kernel": 5, "expanded_channels": 72, "out_channels": 40,
                                  "use_se": True, "use_hs": False, "stride": 2, "dilation": 1}),
                InvertedResidual({"input_channels": 40, "kernel": 5, "expanded_channels": 120, "out_channels": 40,
                                  "use_se": True, "use_hs": False, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 40, "kernel": 5, "expanded_channels": 120, "out_channels": 40,
                                  "use_se": True, "use_hs": False, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 40, "kernel": 3, "expanded_channels": 240, "out_channels": 80,
                                  "use_se": False, "use_hs": True, "stride": 2, "dilation": 1}),
                InvertedResidual({"input_channels": 80, "kernel": 3, "expanded_channels": 200, "out_channels": 80,
                                  "use_se": False, "use_hs": True, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 80, "kernel": 3, "expanded_channels": 184, "out_channels": 80,
                                  "use_se": False, "use_hs": True, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 80, "kernel": 3, "expanded_channels": 184, "out_channels": 80,
                                  "use_se": False, "use_hs": True, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 80, "kernel": 3, "expanded_channels": 480, "out_channels": 112,
                                  "use_se": True, "use_hs": True, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 112, "kernel": 3, "expanded_channels": 672, "out_channels": 112,
                                  "use_se": True, "use_hs": True, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 112, "kernel": 5, "expanded_channels": 672, "out_channels": 160,
                                  "use_se": True, "use_hs": True, "stride": 2, "dilation": 1}),
                InvertedResidual({"input_channels": 160, "kernel": 5, "expanded_channels": 960, "out_channels": 160,
                                  "use_se": True, "use_hs": True, "stride": 1, "dilation": 1}),
                InvertedResidual({"input_channels": 160, "kernel": 5, "expanded_channels": 960, "out_channels": 160,
                                  "use_se": True, "use_hs": True, "stride": 1, "dilation": 1}),
                Conv2dNormActivation(160, 960, kernel_size=1, activation_layer=nn.Hardswish))""")
    Sequential features;
    @Init("nn.AdaptiveAvgPool2d(1)") AdaptiveAvgPool2dLayer avgpool;
    @Init("""
            nn.Sequential(nn.Linear(960, 1280), nn.Hardswish(inplace=True), nn.Dropout(p=0.2, inplace=True),
                          nn.Linear(1280, 1000))""")
    Sequential classifier;
}
