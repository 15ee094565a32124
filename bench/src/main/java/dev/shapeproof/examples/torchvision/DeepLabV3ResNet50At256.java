package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.MaxPool2dLayer;
import dev.shapeproof.nn.ModuleDict;
import dev.shapeproof.nn.ModuleList;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Sequential;

/**
 * The benchmark's deeplabv3_resnet50 at 3×256×256: {@link DeepLabV3ResNet50}'s declaration copied (the examples check
 * it at 3×64×64, and a generated forward knows its sizes; its nested blocks are copied too, since a model reaches only
 * blocks nested in it or beside it in source). Its ASPP runs dilations 12, 24 and 36 on a 32×32 map.
 */
@Model(input = {3, 256, 256}, forward = """
        input_shape = x.shape[-2:]
        features = self.backbone(x)

        result = OrderedDict()
        x = features
        x = self.classifier(x)
        x = F.interpolate(x, size=input_shape, mode="bilinear", align_corners=False)
        result["out"] = x

        return result
        """)
public abstract class DeepLabV3ResNet50At256 {
    @Init("Backbone()")                 Backbone backbone;
    @Init("DeepLabHead(2048, 21)")      Sequential classifier;

    /** The ResNet-50 trunk as torchvision's {@code IntermediateLayerGetter} keeps it: conv1 to layer4. */
    @Block(pytorchName = "IntermediateLayerGetter", forward = """
            for name, module in self.items():
                x = module(x)
            return x
            """)
    abstract static class Backbone extends ModuleDict {
        @Init("nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)") Conv2dLayer conv1;
        @Init("nn.BatchNorm2d(64)")                                               BatchNorm2dLayer bn1;
        @Init("nn.ReLU(inplace=True)")                                            ReLULayer relu;
        @Init("nn.MaxPool2d(kernel_size=3, stride=2, padding=1)")                 MaxPool2dLayer maxpool;
        @Init("ResLayer(Bottleneck, 64, 64, 3)")                                  Sequential layer1;
        @Init("ResLayer(Bottleneck, 256, 128, 4, stride=2)")                      Sequential layer2;
        @Init("ResLayer(Bottleneck, 512, 256, 6, stride=1, dilation=2)")          Sequential layer3;
        @Init("ResLayer(Bottleneck, 1024, 512, 3, stride=1, previous_dilation=2, dilation=4)")
        Sequential layer4;
    }

    /** torchvision's {@code DeepLabHead}. */
    @Block(params = "in_channels: int, num_classes: int", children = """
            [ASPP(in_channels, [12, 24, 36]),
             nn.Conv2d(256, 256, 3, padding=1, bias=False),
             nn.BatchNorm2d(256),
             nn.ReLU(),
             nn.Conv2d(256, num_classes, 1)]""")
    abstract static class DeepLabHead extends Sequential {}

    /** torchvision's {@code ASPPConv}: a 3×3 convolution dilated by the rate, BN, ReLU. */
    @Block(params = "in_channels: int, out_channels: int, dilation: int", children = """
            [nn.Conv2d(in_channels, out_channels, 3, padding=dilation, dilation=dilation, bias=False),
             nn.BatchNorm2d(out_channels),
             nn.ReLU()]""")
    abstract static class ASPPConv extends Sequential {}

    /** torchvision's {@code ASPPPooling}: the image's average, through a 1×1 convolution, spread back over it. */
    @Block(params = "in_channels: int, out_channels: int", children = """
            [nn.AdaptiveAvgPool2d(1),
             nn.Conv2d(in_channels, out_channels, 1, bias=False),
             nn.BatchNorm2d(out_channels),
             nn.ReLU()]""", forward = """
            size = x.shape[-2:]
            for mod in self:
                x = mod(x)
            return F.interpolate(x, size=size, mode="bilinear", align_corners=False)
            """)
    abstract static class ASPPPooling extends Sequential {}

    /** torchvision's {@code ASPP}: five branches concatenated and projected to {@code out_channels}. */
    @Block(params = "in_channels: int, atrous_rates: List[int], out_channels: int = 256", forward = """
            _res = []
            for conv in self.convs:
                _res.append(conv(x))
            res = torch.cat(_res, dim=1)
            return self.project(res)
            """)
    abstract static class ASPP extends NnModule {
        @Init("""
                nn.ModuleList(
                    [nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels),
                                   nn.ReLU())]
                    + [ASPPConv(in_channels, out_channels, rate) for rate in tuple(atrous_rates)]
                    + [ASPPPooling(in_channels, out_channels)])""")
        ModuleList convs;
        @Init("""
                nn.Sequential(nn.Conv2d((len(atrous_rates) + 2) * out_channels, out_channels, 1, bias=False),
                              nn.BatchNorm2d(out_channels),
                              nn.ReLU(),
                              nn.Dropout(0.5))""")
        Sequential project;
    }
}
