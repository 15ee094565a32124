package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * torchvision's {@code ResNet._make_layer}: {@code blocks} residual blocks of {@code block}'s class, the first one
 * strided (or dilated) with a 1×1 downsample of its identity when the shape changes. PyTorch returns a plain
 * {@code nn.Sequential}; this block stands for the function that builds it, so its state_dict keys
 * ({@code layer1.0.conv1.weight}) and summary rows are the same.
 */
@Block(params = """
        block, inplanes: int, planes: int, blocks: int, stride: int = 1, previous_dilation: int = 1,
        dilation: int = 1""", pytorchName = "Sequential", children = """
        [block(inplanes, planes, stride,
               nn.Sequential(nn.Conv2d(inplanes, planes * block.expansion, 1, stride=stride, bias=False),
                             nn.BatchNorm2d(planes * block.expansion))
               if stride != 1 or inplanes != planes * block.expansion else None,
               dilation=previous_dilation)]
        + [block(planes * block.expansion, planes, dilation=dilation) for _ in range(1, blocks)]
        """)
public abstract class ResLayer extends Sequential {}
