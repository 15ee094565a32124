package dev.shapeproof.examples.ported.deeplabv3_resnet50;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.ModuleList;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.segmentation.deeplabv3.ASPP} ({@code
 * torchvision/models/segmentation/deeplabv3.py:85}).
 */
@Block(params = "in_channels: int, atrous_rates: List[int], out_channels: int = 256", forward = """
        _res = []
        for conv in self.convs:
            _res.append(conv(x))
        res = torch.cat(_res, dim=1)
        return self.project(res)
        """)
public abstract class ASPP extends NnModule {
    @Init("""
            nn.ModuleList([nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, bias=False),
                                         nn.BatchNorm2d(out_channels), nn.ReLU())]
                          + [ASPPConv(in_channels, out_channels, rate) for rate in tuple(atrous_rates)]
                          + [ASPPPooling(in_channels, out_channels)])""")
    ModuleList convs;
    @Init("""
            nn.Sequential(nn.Conv2d((len(tuple(atrous_rates)) + 2) * out_channels, out_channels, 1, bias=False),
                          nn.BatchNorm2d(out_channels), nn.ReLU(), nn.Dropout())""")
    Sequential project;
}
