package dev.shapeproof.examples.ported.resnet50;

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
 * PyTorch's {@code torchvision.models.resnet.ResNet}, built as {@code torchvision.models.resnet50(weights=None)},
 * ported by tools/port_model.py; its state_dict keys and torchsummary rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py resnet50 --input 3,64,64 --java-package
 * dev.shapeproof.examples.ported.resnet50 --out examples/src/main/java --name ResNet50}.
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
public abstract class ResNet50 {
    @Init("nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)") Conv2dLayer conv1;
    @Init("nn.BatchNorm2d(64)")                                               BatchNorm2dLayer bn1;
    @Init("nn.ReLU(inplace=True)")                                            ReLULayer relu;
    @Init("nn.MaxPool2d(kernel_size=3, stride=2, padding=1)")                 MaxPool2dLayer maxpool;
    @Init("""
            nn.Sequential(
                Bottleneck(64, 64,
                           downsample=nn.Sequential(nn.Conv2d(64, 256, kernel_size=1, bias=False),
                                                    nn.BatchNorm2d(256))),
                Bottleneck(256, 64),
                Bottleneck(256, 64))""")
    Sequential layer1;
    @Init("""
            nn.Sequential(
                Bottleneck(256, 128, 2,
                           nn.Sequential(nn.Conv2d(256, 512, kernel_size=1, stride=2, bias=False),
                                         nn.BatchNorm2d(512))),
                Bottleneck(512, 128),
                Bottleneck(512, 128),
                Bottleneck(512, 128))""")
    Sequential layer2;
    @Init("""
            nn.Sequential(
                Bottleneck(512, 256, 2,
                           nn.Sequential(nn.Conv2d(512, 1024, kernel_size=1, stride=2, bias=False),
                                         nn.BatchNorm2d(1024))),
                Bottleneck(1024, 256),
                Bottleneck(1024, 256),
                Bottleneck(1024, 256),
                Bottleneck(1024, 256),
                Bottleneck(1024, 256))""")
    Sequential layer3;
    @Init("""
            nn.Sequential(
                Bottleneck(1024, 512, 2,
                           nn.Sequential(nn.Conv2d(1024, 2048, kernel_size=1, stride=2, bias=False),
                                         nn.BatchNorm2d(2048))),
                Bottleneck(2048, 512),
                Bottleneck(2048, 512))""")
    Sequential layer4;
    @Init("nn.AdaptiveAvgPool2d((1, 1))")                                     AdaptiveAvgPool2dLayer avgpool;
    @Init("nn.Linear(2048, 1000)")                                            LinearLayer fc;
}
