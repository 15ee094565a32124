package dev.shapeproof.examples.ported.resnet18;

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
 * PyTorch's {@code torchvision.models.resnet.ResNet}, built as {@code torchvision.models.resnet18(weights=None)},
 * ported by tools/port_model.py; its state_dict keys and torchsummary rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py resnet18 --input 3,64,64 --java-package
 * dev.shapeproof.examples.ported.resnet18 --out examples/src/main/java --name ResNet18}.
 */
@Model(input = {3, 64, 64}, forward = """
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
public abstract class ResNet18 {
    @Init("nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)") Conv2dLayer conv1;
    @Init("nn.BatchNorm2d(64)")                                               BatchNorm2dLayer bn1;
    @Init("nn.ReLU(inplace=True)")                                            ReLULayer relu;
    @Init("nn.MaxPool2d(kernel_size=3, stride=2, padding=1)")                 MaxPool2dLayer maxpool;
    @Init("nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))")            Sequential layer1;
    @Init("""
            nn.Sequential(
                BasicBlock(64, 128, 2,
                           nn.Sequential(nn.Conv2d(64, 128, kernel_size=1, stride=2, bias=False),
                                         nn.BatchNorm2d(128))),
                BasicBlock(128, 128))""")
    Sequential layer2;
    @Init("""
            nn.Sequential(
                BasicBlock(128, 256, 2,
                           nn.Sequential(nn.Conv2d(128, 256, kernel_size=1, stride=2, bias=False),
                                         nn.BatchNorm2d(256))),
                BasicBlock(256, 256))""")
    Sequential layer3;
    @Init("""
            nn.Sequential(
                BasicBlock(256, 512, 2,
                           nn.Sequential(nn.Conv2d(256, 512, kernel_size=1, stride=2, bias=False),
                                         nn.BatchNorm2d(512))),
                BasicBlock(512, 512))""")
    Sequential layer4;
    @Init("nn.AdaptiveAvgPool2d((1, 1))")                                     AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Linear(512, 1000)")                                             LinearLayer fc;
}
