package dev.shapeproof.examples.ported.mobilenet_v2;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.mobilenetv2.MobileNetV2}, built as {@code
 * torchvision.models.mobilenet_v2(weights=None)}, ported by tools/port_model.py; its state_dict keys and torchsummary
 * rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py mobilenet_v2 --input 3,64,64 --java-package
 * dev.shapeproof.examples.ported.mobilenet_v2 --out examples/src/main/java --name MobileNetV2}.
 */
@Model(input = {3, 64, 64}, forward = """
        x = self.features(x)
        # Cannot use "squeeze" as batch-size can be 1
        x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x
        """)
public abstract class MobileNetV2 {
    @Init("""
            nn.Sequential(
                Conv2dNormActivation(3, 32, stride=2),
                InvertedResidual(32, 16, 1, expand_ratio=1),
                InvertedResidual(16, 24, 2, expand_ratio=6),
                InvertedResidual(24, 24, 1, expand_ratio=6),
                InvertedResidual(24, 32, 2, expand_ratio=6),
                InvertedResidual(32, 32, 1, expand_ratio=6),
                InvertedResidual(32, 32, 1, expand_ratio=6),
                InvertedResidual(32, 64, 2, expand_ratio=6),
                InvertedResidual(64, 64, 1, expand_ratio=6),
                InvertedResidual(64, 64, 1, expand_ratio=6),
                InvertedResidual(64, 64, 1, expand_ratio=6),
                InvertedResidual(64, 96, 1, expand_ratio=6),
                InvertedResidual(96, 96, 1, expand_ratio=6),
                InvertedResidual(96, 96, 1, expand_ratio=6),
                InvertedResidual(96, 160, 2, expand_ratio=6),
                InvertedResidual(160, 160, 1, expand_ratio=6),
                InvertedResidual(160, 160, 1, expand_ratio=6),
                InvertedResidual(160, 320, 1, expand_ratio=6),
                Conv2dNormActivation(320, 1280, kernel_size=1))""")
    Sequential features;
    @Init("nn.Sequential(nn.Dropout(p=0.2), nn.Linear(1280, 1000))") Sequential classifier;
}
