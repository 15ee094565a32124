package dev.shapeproof.examples.ported.resnet18;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.resnet.BasicBlock} ({@code torchvision/models/resnet.py:59}).
 *
 * <p>Written in, being the same in every use in this model: {@code norm_layer=nn.BatchNorm2d}.
 *
 * <p>Left out, as no module needs them: {@code groups}, {@code base_width}, {@code dilation}.
 */
@Block(params = "inplanes: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None", forward = """
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
    @Init("nn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False)") Conv2dLayer conv1;
    @Init("nn.BatchNorm2d(planes)")                                                           BatchNorm2dLayer bn1;
    @Init("nn.ReLU(inplace=True)")                                                            ReLULayer relu;
    @Init("nn.Conv2d(planes, planes, kernel_size=3, padding=1, bias=False)")                  Conv2dLayer conv2;
    @Init("nn.BatchNorm2d(planes)")                                                           BatchNorm2dLayer bn2;
    @Init("downsample")                                                                       Sequential downsample;
}
