package dev.shapeproof.examples.ported.efficientnet_b0;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.efficientnet.EfficientNet}, built as {@code
 * torchvision.models.efficientnet_b0(weights=None)}, ported by tools/port_model.py; its state_dict keys and
 * torchsummary rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py efficientnet_b0 --input 3,64,64
 * --java-package dev.shapeproof.examples.ported.efficientnet_b0 --out examples/src/main/java --name EfficientNetB0}.
 */
@Model(input = {3, 64, 64}, forward = """
        x = self.features(x)

        x = self.avgpool(x)
        x = torch.flatten(x, 1)

        x = self.classifier(x)

        return x
        """)
public abstract class EfficientNetB0 {
    @Init("""
            nn.Sequential(
                Conv2dNormActivation(3, 32, stride=2, activation_layer=nn.SiLU),
                nn.Sequential(
                    MBConv({"expand_ratio": 1, "kernel": 3, "stride": 1, "input_channels": 32, "out_channels": 16,
                            "num_layers": 1, "block": MBConv}, 0.0)),
                nn.Sequential(
                    MBConv({"expand_ratio": 6, "kernel": 3, "stride": 2, "input_channels": 16, "out_channels": 24,
                            "num_layers": 2, "block": MBConv}, 0.0125),
                    MBConv({"expand_ratio": 6, "kernel": 3, "stride": 1, "input_channels": 24, "out_channels": 24,
                            "num_layers": 2, "block": MBConv}, 0.025)),
                nn.Sequential(
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 2, "input_channels": 24, "out_channels": 40,
                            "num_layers": 2, "block": MBConv}, 0.037500000000000006),
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 1, "input_channels": 40, "out_channels": 40,
                            "num_layers": 2, "block": MBConv}, 0.05)),
                nn.Sequential(
                    MBConv({"expand_ratio": 6, "kernel": 3, "stride": 2, "input_channels": 40, "out_channels": 80,
                            "num_layers": 3, "block": MBConv}, 0.0625),
                    MBConv({"expand_ratio": 6, "kernel": 3, "stride": 1, "input_channels": 80, "out_channels": 80,
                            "num_layers": 3, "block": MBConv}, 0.07500000000000001),
                    MBConv({"expand_ratio": 6, "kernel": 3, "stride": 1, "input_channels": 80, "out_channels": 80,
                            "num_layers": 3, "block": MBConv}, 0.08750000000000001)),
                nn.Sequential(
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 1, "input_channels": 80, "out_channels": 112,
                            "num_layers": 3, "block": MBConv}, 0.1),
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 1, "input_channels": 112,
                            "out_channels": 112, "num_layers": 3, "block": MBConv}, 0.1125),
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 1, "input_channels": 112,
                            "out_channels": 112, "num_layers": 3, "block": MBConv}, 0.125)),
                nn.Sequential(
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 2, "input_channels": 112,
                            "out_channels": 192, "num_layers": 4, "block": MBConv}, 0.1375),
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 1, "input_channels": 192,
                            "out_channels": 192, "num_layers": 4, "block": MBConv}, 0.15000000000000002),
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 1, "input_channels": 192,
                            "out_channels": 192, "num_layers": 4, "block": MBConv}, 0.1625),
                    MBConv({"expand_ratio": 6, "kernel": 5, "stride": 1, "input_channels": 192,
                            "out_channels": 192, "num_layers": 4, "block": MBConv}, 0.17500000000000002)),
                nn.Sequential(
                    MBConv({"expand_ratio": 6, "kernel": 3, "stride": 1, "input_channels": 192,
                            "out_channels": 320, "num_layers": 1, "block": MBConv}, 0.1875)),
                Conv2dNormActivation(320, 1280, kernel_size=1, activation_layer=nn.SiLU))""")
    Sequential features;
    @Init("nn.AdaptiveAvgPool2d(1)")                                               AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Sequential(nn.Dropout(p=0.2, inplace=True), nn.Linear(1280, 1000))") Sequential classifier;
}
