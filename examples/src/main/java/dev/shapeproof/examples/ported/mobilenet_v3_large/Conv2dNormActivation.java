package dev.shapeproof.examples.ported.mobilenet_v3_large;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.ops.misc.Conv2dNormActivation} ({@code torchvision/ops/misc.py:125}).
 *
 * <p>Written in, being the same in every use in this model: {@code padding=None}, {@code
 * norm_layer=partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)}, {@code inplace=True}, {@code bias=None}.
 */
@Block(params = """
        in_channels: int, out_channels: int, kernel_size: Union[int, Tuple[int, int]] = 3,
        stride: Union[int, Tuple[int, int]] = 1, groups: int = 1, activation_layer: Optional[Callable] = nn.ReLU,
        dilation: Union[int, Tuple[int, int]] = 1""", init = """
        padding = (kernel_size - 1) // 2 * dilation
        """, children = """
        [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation=dilation, groups=groups,
                   bias=False), nn.BatchNorm2d(out_channels, eps=0.001, momentum=0.01), activation_layer(inplace=True)]
        if activation_layer is not None
        else [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation=dilation, groups=groups,
                        bias=False), nn.BatchNorm2d(out_channels, eps=0.001, momentum=0.01)]""")
public abstract class Conv2dNormActivation extends Sequential {}
