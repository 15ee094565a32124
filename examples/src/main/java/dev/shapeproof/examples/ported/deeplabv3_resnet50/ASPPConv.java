package dev.shapeproof.examples.ported.deeplabv3_resnet50;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.segmentation.deeplabv3.ASPPConv} ({@code
 * torchvision/models/segmentation/deeplabv3.py:59}).
 */
@Block(params = "in_channels: int, out_channels: int, dilation: int", children = """
        [nn.Conv2d(in_channels, out_channels, 3, padding=dilation, dilation=dilation, bias=False),
         nn.BatchNorm2d(out_channels), nn.ReLU()]""")
public abstract class ASPPConv extends Sequential {}
