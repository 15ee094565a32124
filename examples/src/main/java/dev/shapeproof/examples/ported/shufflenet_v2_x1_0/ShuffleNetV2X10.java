package dev.shapeproof.examples.ported.shufflenet_v2_x1_0;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.MaxPool2dLayer;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.shufflenetv2.ShuffleNetV2}, built as {@code
 * torchvision.models.shufflenet_v2_x1_0(weights=None)}, ported by tools/port_model.py; its state_dict keys and
 * torchsummary rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py shufflenet_v2_x1_0 --input 3,64,64
 * --java-package dev.shapeproof.examples.ported.shufflenet_v2_x1_0 --out examples/src/main/java --name
 * ShuffleNetV2X10}.
 */
@Model(input = {3, 64, 64}, forward = """
        x = self.conv1(x)
        x = self.maxpool(x)
        x = self.stage2(x)
        x = self.stage3(x)
        x = self.stage4(x)
        x = self.conv5(x)
        x = x.mean([2, 3])
        x = self.fc(x)
        return x
        """)
public abstract class ShuffleNetV2X10 {
    @Init("nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(inplace=True))")
    Sequential conv1;
    @Init("nn.MaxPool2d(kernel_size=3, stride=2, padding=1)") MaxPool2dLayer maxpool;
    @Init("""
            nn.Sequential(
                InvertedResidual(24, 116, 2),
                InvertedResidual(116, 116, 1),
                InvertedResidual(116, 116, 1),
                InvertedResidual(116, 116, 1))""")
    Sequential stage2;
    @Init("""
            nn.Sequential(
                InvertedResidual(116, 232, 2),
                InvertedResidual(232, 232, 1),
                InvertedResidual(232, 232, 1),
                InvertedResidual(232, 232, 1),
                InvertedResidual(232, 232, 1),
                InvertedResidual(232, 232, 1),
                InvertedResidual(232, 232, 1),
                InvertedResidual(232, 232, 1))""")
    Sequential stage3;
    @Init("""
            nn.Sequential(
                InvertedResidual(232, 464, 2),
                InvertedResidual(464, 464, 1),
                InvertedResidual(464, 464, 1),
                InvertedResidual(464, 464, 1))""")
    Sequential stage4;
    @Init("nn.Sequential(nn.Conv2d(464, 1024, 1, bias=False), nn.BatchNorm2d(1024), nn.ReLU(inplace=True))")
    Sequential conv5;
    @Init("nn.Linear(1024, 1000)")                            LinearLayer fc;
}
