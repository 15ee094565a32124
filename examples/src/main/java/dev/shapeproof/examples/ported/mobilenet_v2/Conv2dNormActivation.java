package dev.shapeproof.examples.ported.mobilenet_v2;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.ops.misc.Conv2dNormActivation} ({@code torchvision/ops/misc.py:125}).
 *
 * <p>Written in, being the same in every use in this model: {@code padding=None}, {@code norm_layer=nn.BatchNorm2d},
 * {@code activation_layer=nn.ReLU6}, {@code inplace=True}, {@code bias=None}.
 */
@Block(params = """
        in_channels: int, out_channels: int, kernel_size: Union[int, Tuple[int, int]] = 3,
        stride: Union[int, Tuple[int, int]] = 1, groups: int = 1, dilation: Union[int, Tuple[int, int]] = 1""",
        children = """
        [nn.Conv2d(in_channels, out_channels, kernel_size, stride, (kernel_size - 1) // 2 * dilation,
                   dilation=dilation, groups=groups, bias=False), nn.BatchNorm2d(out_channels),
         nn.ReLU6(inplace=True)]""")
public abstract class Conv2dNormActivation extends Sequential {}
