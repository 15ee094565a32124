package dev.shapeproof.examples.ported.deeplabv3_resnet50;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.segmentation.deeplabv3.DeepLabHead} ({@code
 * torchvision/models/segmentation/deeplabv3.py:48}).
 */
@Block(params = "in_channels: int, num_classes: int", children = """
        [ASPP(in_channels, [12, 24, 36]), nn.Conv2d(256, 256, 3, padding=1, bias=False), nn.BatchNorm2d(256), nn.ReLU(),
         nn.Conv2d(256, num_classes, 1)]""")
public abstract class DeepLabHead extends Sequential {}
