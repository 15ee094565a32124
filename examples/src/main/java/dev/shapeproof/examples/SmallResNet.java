package dev.shapeproof.examples;

import dev.shapeproof.AdaptiveAvgPool2d;
import dev.shapeproof.BatchNorm2d;
import dev.shapeproof.Conv2d;
import dev.shapeproof.Linear;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.LinearLayer;

/**
 * A small ResNet (He et al., 2016) with two basic blocks: the first keeps 16 channels and adds its input back; the
 * second halves the resolution and doubles the channels, so its skip connection needs the stride-2 1×1 downsample.
 * The forward is torchvision's {@code BasicBlock.forward}, pasted with {@code self.} and {@code out += identity}.
 */
@Model(input = {3, 32, 32}, forward = """
        x = F.relu(self.bn1(self.conv1(x)))

        identity = x
        out = F.relu(self.block1_bn1(self.block1_conv1(x)))
        out = self.block1_bn2(self.block1_conv2(out))
        out += identity
        x = F.relu(out)

        identity = self.block2_down_bn(self.block2_down(x))
        out = F.relu(self.block2_bn1(self.block2_conv1(x)))
        out = self.block2_bn2(self.block2_conv2(out))
        out += identity
        x = F.relu(out)

        x = torch.flatten(self.pool(x), 1)
        return self.fc(x)
        """)
public abstract class SmallResNet {
    @Conv2d(out = 16, kernel = 3, padding = 1, bias = false)            Conv2dLayer conv1;
    @BatchNorm2d                                                        BatchNorm2dLayer bn1;
    @Conv2d(out = 16, kernel = 3, padding = 1, bias = false)            Conv2dLayer block1_conv1;
    @BatchNorm2d                                                        BatchNorm2dLayer block1_bn1;
    @Conv2d(out = 16, kernel = 3, padding = 1, bias = false)            Conv2dLayer block1_conv2;
    @BatchNorm2d                                                        BatchNorm2dLayer block1_bn2;
    @Conv2d(out = 32, kernel = 3, stride = 2, padding = 1, bias = false) Conv2dLayer block2_conv1;
    @BatchNorm2d                                                        BatchNorm2dLayer block2_bn1;
    @Conv2d(out = 32, kernel = 3, padding = 1, bias = false)            Conv2dLayer block2_conv2;
    @BatchNorm2d                                                        BatchNorm2dLayer block2_bn2;
    @Conv2d(in = 16, out = 32, kernel = 1, stride = 2, bias = false)    Conv2dLayer block2_down;
    @BatchNorm2d                                                        BatchNorm2dLayer block2_down_bn;
    @AdaptiveAvgPool2d(output = 1)                                      AdaptiveAvgPool2dLayer pool;
    @Linear(in = 32, out = 10)                                          LinearLayer fc;
}
