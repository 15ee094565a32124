package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * torchvision 0.14's {@code ops.misc.Conv2dNormActivation}: a convolution, a norm layer and an activation, each of the
 * last two left out when {@code None}, as a {@code Sequential} (so not a torchsummary row). The padding defaults to
 * {@code (kernel_size − 1) // 2 · dilation}, the bias to "no norm layer"; {@code norm_layer} and
 * {@code activation_layer} are constructors ({@code nn.BatchNorm2d}, {@code partial(nn.BatchNorm2d, eps=0.001)},
 * {@code nn.ReLU6}), as torchvision passes them.
 */
@Block(params = """
        in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1, padding: Optional[int] = None,
        groups: int = 1, norm_layer = nn.BatchNorm2d, activation_layer = nn.ReLU, dilation: int = 1,
        inplace: Optional[bool] = True, bias: Optional[bool] = None""",
        init = """
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        if bias is None:
            bias = norm_layer is None
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation=dilation, groups=groups,
                            bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            layers.append(activation_layer(inplace=inplace))
        """,
        children = "layers")
public abstract class Conv2dNormActivation extends Sequential {}
