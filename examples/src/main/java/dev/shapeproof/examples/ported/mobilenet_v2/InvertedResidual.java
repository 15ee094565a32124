package dev.shapeproof.examples.ported.mobilenet_v2;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.mobilenetv2.InvertedResidual} ({@code torchvision/models/mobilenetv2.py:19}).
 *
 * <p>Written in, being the same in every use in this model: {@code norm_layer=nn.BatchNorm2d}.
 */
@Block(params = "inp: int, oup: int, stride: int, expand_ratio: int", forward = """
        if self.stride == 1 and self.inp == self.oup:
            return x + self.conv(x)
        else:
            return self.conv(x)
        """)
public abstract class InvertedResidual extends NnModule {
    @Init("""
            nn.Sequential(*(([Conv2dNormActivation(inp, int(round(inp * expand_ratio)), kernel_size=1)]
                             if expand_ratio != 1 else [])
                            + [Conv2dNormActivation(int(round(inp * expand_ratio)), int(round(inp * expand_ratio)),
                                                    stride=stride, groups=int(round(inp * expand_ratio))),
                               nn.Conv2d(int(round(inp * expand_ratio)), oup, 1, bias=False), nn.BatchNorm2d(oup)]))""")
    Sequential conv;
}
