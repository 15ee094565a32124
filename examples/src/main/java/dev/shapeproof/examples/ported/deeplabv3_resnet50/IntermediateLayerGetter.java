package dev.shapeproof.examples.ported.deeplabv3_resnet50;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.MaxPool2dLayer;
import dev.shapeproof.nn.ModuleDict;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models._utils.IntermediateLayerGetter} ({@code torchvision/models/_utils.py:13}).
 *
 * <p>Written with this model's modules rather than from {@code __init__}: a call of set
 * (/usr/lib/python3/dist-packages/torchvision/models/_utils.py:51: if not set(return_layers).issubset([name for name, _
 * in model.named_children()]):).
 */
@Block(params = "return_layers = {'layer4': 'out'}", forward = """
        out = OrderedDict()
        for name, module in self.items():
            x = module(x)
            if name in self.return_layers:
                out_name = self.return_layers[name]
                out[out_name] = x
        return out
        """)
public abstract class IntermediateLayerGetter extends ModuleDict {
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
                Bottleneck(512, 256,
                           downsample=nn.Sequential(nn.Conv2d(512, 1024, kernel_size=1, bias=False),
                                                    nn.BatchNorm2d(1024))),
                Bottleneck(1024, 256, dilation=2),
                Bottleneck(1024, 256, dilation=2),
                Bottleneck(1024, 256, dilation=2),
                Bottleneck(1024, 256, dilation=2),
                Bottleneck(1024, 256, dilation=2))""")
    Sequential layer3;
    @Init("""
            nn.Sequential(
                Bottleneck(1024, 512,
                           downsample=nn.Sequential(nn.Conv2d(1024, 2048, kernel_size=1, bias=False),
                                                    nn.BatchNorm2d(2048)), dilation=2),
                Bottleneck(2048, 512, dilation=4),
                Bottleneck(2048, 512, dilation=4))""")
    Sequential layer4;
}
