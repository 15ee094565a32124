package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.MaxPool2dLayer;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Sequential;

/**
 * torchvision's {@code resnet18()} up to its last stage, as detection and segmentation heads use it, on images of
 * any size: {@code nn.Sequential(*list(resnet18().children())[:-2])}, with its state_dict keys (a torchvision
 * checkpoint loads after dropping {@code fc}). Each stride-2 stage's 1×1 downsample and its 3×3 main path (padding 1)
 * both give ⌈x/2⌉, so every size is admissible and the output is {@code [-1, 512, ⌈H/32⌉, ⌈W/32⌉]}.
 */
@Model(dims = "3, H, W", forward = """
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        return self.layer4(x)
        """)
public abstract class ResNet18Backbone {
    @Init("nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)") Conv2dLayer conv1;
    @Init("nn.BatchNorm2d(64)")                                               BatchNorm2dLayer bn1;
    @Init("nn.ReLU(inplace=True)")                                            ReLULayer relu;
    @Init("nn.MaxPool2d(kernel_size=3, stride=2, padding=1)")                 MaxPool2dLayer maxpool;
    @Init("ResLayer(BasicBlock, 64, 64, 2)")                                  Sequential layer1;
    @Init("ResLayer(BasicBlock, 64, 128, 2, stride=2)")                       Sequential layer2;
    @Init("ResLayer(BasicBlock, 128, 256, 2, stride=2)")                      Sequential layer3;
    @Init("ResLayer(BasicBlock, 256, 512, 2, stride=2)")                      Sequential layer4;
}
