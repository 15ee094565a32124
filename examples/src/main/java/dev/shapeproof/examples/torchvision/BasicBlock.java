package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.ReLULayer;

/** torchvision's {@code BasicBlock} (resnet.py): two 3×3 convolutions and the identity, or a downsample of it. */
@Block(params = """
        inplanes: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None, groups: int = 1,
        base_width: int = 64, dilation: int = 1""", forward = """
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out += identity
        out = self.relu(out)

        return out
        """)
public abstract class BasicBlock extends NnModule {
    static final int expansion = 1;

    @Init("nn.Conv2d(inplanes, planes, 3, stride, padding=1, bias=False)") Conv2dLayer conv1;
    @Init("nn.BatchNorm2d(planes)")                                        BatchNorm2dLayer bn1;
    @Init("nn.ReLU(inplace=True)")                                         ReLULayer relu;
    @Init("nn.Conv2d(planes, planes, 3, padding=1, bias=False)")           Conv2dLayer conv2;
    @Init("nn.BatchNorm2d(planes)")                                        BatchNorm2dLayer bn2;
    @Init("downsample")                                                    NnModule downsample;
}
