package dev.shapeproof.examples.ported.shufflenet_v2_x1_0;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.shufflenetv2.InvertedResidual} ({@code torchvision/models/shufflenetv2.py:43}).
 */
@Block(params = "inp: int, oup: int, stride: int", init = """
        branch_features = oup // 2
        """, forward = """
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        else:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)

        x3 = out
        groups2 = 2
        batchsize, num_channels, height, width = x3.size()
        channels_per_group = num_channels // groups2

        # reshape
        x3 = x3.view(batchsize, groups2, channels_per_group, height, width)

        x3 = torch.transpose(x3, 1, 2).contiguous()

        # flatten
        x3 = x3.view(batchsize, -1, height, width)

        out = x3
        return out
        """)
public abstract class InvertedResidual extends NnModule {
    @Init("""
            nn.Sequential(nn.Conv2d(inp, inp, 3, stride, 1, bias=False, groups=inp), nn.BatchNorm2d(inp),
                          nn.Conv2d(inp, branch_features, kernel_size=1, bias=False), nn.BatchNorm2d(branch_features),
                          nn.ReLU(inplace=True))
            if stride > 1 else nn.Sequential()""")
    Sequential branch1;
    @Init("""
            nn.Sequential(nn.Conv2d(inp if stride > 1 else branch_features, branch_features, kernel_size=1, bias=False),
                          nn.BatchNorm2d(branch_features), nn.ReLU(inplace=True),
                          nn.Conv2d(branch_features, branch_features, 3, stride, 1, bias=False, groups=branch_features),
                          nn.BatchNorm2d(branch_features),
                          nn.Conv2d(branch_features, branch_features, kernel_size=1, bias=False),
                          nn.BatchNorm2d(branch_features), nn.ReLU(inplace=True))""")
    Sequential branch2;
}
