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
@Block(params = "inp: int, oup: int, stride: int, expand_ratio: int", init = """
        hidden_dim = int(round(inp * expand_ratio))
        """, forward = """
        if self.stride == 1 and self.inp == self.oup:
            return x + self.conv(x)
        else:
            return self.conv(x)
        """)
public abstract class InvertedResidual extends NnModule {
    @Init("""
            nn.Sequential(*(([Conv2dNormActivation(inp, hidden_dim, kernel_size=1)] if expand_ratio != 1 else [])
                            + [Conv2dNormActivation(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim),
                               nn.Conv2d(hidden_dim, oup, 1, bias=False), nn.BatchNorm2d(oup)]))""")
    Sequential conv;
}
