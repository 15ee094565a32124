package dev.shapeproof.examples.ported.deeplabv3_resnet50;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.segmentation.deeplabv3.ASPPPooling} ({@code
 * torchvision/models/segmentation/deeplabv3.py:69}).
 */
@Block(params = "in_channels: int, out_channels: int", children = """
        [nn.AdaptiveAvgPool2d(1), nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels),
         nn.ReLU()]""", forward = """
        size = x.shape[-2:]
        for mod in self:
            x = mod(x)
        return F.interpolate(x, size=size, mode="bilinear", align_corners=False)
        """)
public abstract class ASPPPooling extends Sequential {}
