package dev.shapeproof.examples.ported.deeplabv3_resnet50;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.resnet.Bottleneck} ({@code torchvision/models/resnet.py:108}).
 *
 * <p>Written in, being the same in every use in this model: {@code norm_layer=nn.BatchNorm2d}.
 */
@Block(params = """
        inplanes: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None, groups: int = 1,
        base_width: int = 64, dilation: int = 1""", init = """
        width = int(planes * (base_width / 64.0)) * groups
        """, forward = """
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)
        out = self.relu(out)

        out = self.conv3(out)
        out = self.bn3(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out += identity
        out = self.relu(out)

        return out
        """)
public abstract class Bottleneck extends NnModule {
    static final int expansion = 4;

    @Init("nn.Conv2d(inplanes, width, kernel_size=1, bias=False)")                      Conv2dLayer conv1;
    @Init("nn.BatchNorm2d(width)")                                                      BatchNorm2dLayer bn1;
    @Init("""
            nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=dilation, groups=groups, bias=False,
                      dilation=dilation)""")
    Conv2dLayer conv2;
    @Init("nn.BatchNorm2d(width)")                                                      BatchNorm2dLayer bn2;
    @Init("nn.Conv2d(width, planes * Bottleneck.expansion, kernel_size=1, bias=False)") Conv2dLayer conv3;
    @Init("nn.BatchNorm2d(planes * Bottleneck.expansion)")                              BatchNorm2dLayer bn3;
    @Init("nn.ReLU(inplace=True)")                                                      ReLULayer relu;
    @Init("downsample")                                                                 Sequential downsample;
}
