package dev.shapeproof.examples.ported.convnext_tiny;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.convnext.ConvNeXt}, built as {@code
 * torchvision.models.convnext_tiny(weights=None)}, ported by tools/port_model.py; its state_dict keys and torchsummary
 * rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py convnext_tiny --input 3,64,64 --java-package
 * dev.shapeproof.examples.ported.convnext_tiny --out examples/src/main/java --name ConvNeXtTiny}.
 */
@Model(input = {3, 64, 64}, forward = """
        x = self.features(x)
        x = self.avgpool(x)
        x = self.classifier(x)
        return x
        """)
public abstract class ConvNeXtTiny {
    @Init("""
            nn.Sequential(
                Conv2dNormActivation(),
                nn.Sequential(
                    CNBlock(96, 1e-06, 0.0),
                    CNBlock(96, 1e-06, 0.0058823529411764705),
                    CNBlock(96, 1e-06, 0.011764705882352941)),
                nn.Sequential(LayerNorm2d(), nn.Conv2d(96, 192, kernel_size=2, stride=2)),
                nn.Sequential(
                    CNBlock(192, 1e-06, 0.017647058823529415),
                    CNBlock(192, 1e-06, 0.023529411764705882),
                    CNBlock(192, 1e-06, 0.029411764705882353)),
                nn.Sequential(LayerNorm2d2(), nn.Conv2d(192, 384, kernel_size=2, stride=2)),
                nn.Sequential(
                    CNBlock(384, 1e-06, 0.03529411764705883),
                    CNBlock(384, 1e-06, 0.0411764705882353),
                    CNBlock(384, 1e-06, 0.047058823529411764),
                    CNBlock(384, 1e-06, 0.052941176470588235),
                    CNBlock(384, 1e-06, 0.058823529411764705),
                    CNBlock(384, 1e-06, 0.06470588235294118),
                    CNBlock(384, 1e-06, 0.07058823529411766),
                    CNBlock(384, 1e-06, 0.07647058823529412),
                    CNBlock(384, 1e-06, 0.0823529411764706)),
                nn.Sequential(LayerNorm2d3(), nn.Conv2d(384, 768, kernel_size=2, stride=2)),
                nn.Sequential(
                    CNBlock(768, 1e-06, 0.08823529411764706),
                    CNBlock(768, 1e-06, 0.09411764705882353),
                    CNBlock(768, 1e-06, 0.1)))""")
    Sequential features;
    @Init("nn.AdaptiveAvgPool2d(1)")                                           AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Sequential(LayerNorm2d4(), nn.Flatten(), nn.Linear(768, 1000))") Sequential classifier;
}
