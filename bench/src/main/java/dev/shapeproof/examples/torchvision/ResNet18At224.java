package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.MaxPool2dLayer;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Sequential;

/**
 * The benchmark's resnet18 at torchvision's 3×224×224: {@link ResNet18}'s declaration (the examples check it at
 * 3×64×64, and a generated forward knows its sizes), the same fields, forward and blocks.
 */
@Model(input = {3, 224, 224}, forward = """
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)

        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)

        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.fc(x)

        return x
        """)
public abstract class ResNet18At224 {
    @Init("nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)") Conv2dLayer conv1;
    @Init("nn.BatchNorm2d(64)")                                               BatchNorm2dLayer bn1;
    @Init("nn.ReLU(inplace=True)")                                            ReLULayer relu;
    @Init("nn.MaxPool2d(kernel_size=3, stride=2, padding=1)")                 MaxPool2dLayer maxpool;
    @Init("ResLayer(BasicBlock, 64, 64, 2)")                                  Sequential layer1;
    @Init("ResLayer(BasicBlock, 64, 128, 2, stride=2)")                       Sequential layer2;
    @Init("ResLayer(BasicBlock, 128, 256, 2, stride=2)")                      Sequential layer3;
    @Init("ResLayer(BasicBlock, 256, 512, 2, stride=2)")                      Sequential layer4;
    @Init("nn.AdaptiveAvgPool2d((1, 1))")                                     AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Linear(512 * BasicBlock.expansion, 1000)")                      LinearLayer fc;
}
