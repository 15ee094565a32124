package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.MaxPool2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;

/**
 * torchvision 0.14's {@code shufflenet_v2_x1_0()}: stages of 4, 8 and 4 blocks, output channels 24, 116, 232, 464 and
 * 1024; each block splits its channels in two ({@code chunk}), transforms one half and shuffles the channels
 * ({@code channel_shuffle}, written inline: a view with sizes read from the tensor, a transpose, a view back); the
 * global pool is {@code x.mean([2, 3])}. Its state_dict keys and torchsummary rows are torchvision's.
 */
@Model(input = {3, 64, 64}, init = """
        stages_repeats = [4, 8, 4]
        stages_out_channels = [24, 116, 232, 464, 1024]
        input_channels = 3
        output_channels = stages_out_channels[0]
        conv1 = nn.Sequential(
            nn.Conv2d(input_channels, output_channels, 3, 2, 1, bias=False),
            nn.BatchNorm2d(output_channels),
            nn.ReLU(inplace=True),
        )
        input_channels = output_channels
        stages = []
        for repeats, output_channels in zip(stages_repeats, stages_out_channels[1:]):
            seq = [InvertedResidual(input_channels, output_channels, 2)]
            for i in range(repeats - 1):
                seq.append(InvertedResidual(output_channels, output_channels, 1))
            stages.append(nn.Sequential(*seq))
            input_channels = output_channels
        output_channels = stages_out_channels[-1]
        conv5 = nn.Sequential(
            nn.Conv2d(input_channels, output_channels, 1, 1, 0, bias=False),
            nn.BatchNorm2d(output_channels),
            nn.ReLU(inplace=True),
        )
        """, forward = """
        x = self.conv1(x)
        x = self.maxpool(x)
        x = self.stage2(x)
        x = self.stage3(x)
        x = self.stage4(x)
        x = self.conv5(x)
        x = x.mean([2, 3])  # globalpool
        x = self.fc(x)
        return x
        """)
public abstract class ShuffleNetV2X10 {
    @Init("conv1")                                               Sequential conv1;
    @Init("nn.MaxPool2d(kernel_size=3, stride=2, padding=1)")     MaxPool2dLayer maxpool;
    @Init("stages[0]")                                           Sequential stage2;
    @Init("stages[1]")                                           Sequential stage3;
    @Init("stages[2]")                                           Sequential stage4;
    @Init("conv5")                                               Sequential conv5;
    @Init("nn.Linear(output_channels, 1000)")                    LinearLayer fc;

    /**
     * torchvision's {@code shufflenetv2.InvertedResidual}; {@code depthwise_conv(i, o, k, s, p)} is written as the
     * {@code nn.Conv2d(i, o, k, s, p, bias=False, groups=i)} it returns.
     */
    @Block(params = "inp: int, oup: int, stride: int", init = """
            self.stride = stride
            branch_features = oup // 2
            if self.stride > 1:
                branch1 = nn.Sequential(
                    nn.Conv2d(inp, inp, 3, self.stride, 1, bias=False, groups=inp),
                    nn.BatchNorm2d(inp),
                    nn.Conv2d(inp, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
                    nn.BatchNorm2d(branch_features),
                    nn.ReLU(inplace=True),
                )
            else:
                branch1 = nn.Sequential()
            branch2 = nn.Sequential(
                nn.Conv2d(inp if (self.stride > 1) else branch_features, branch_features, kernel_size=1, stride=1,
                          padding=0, bias=False),
                nn.BatchNorm2d(branch_features),
                nn.ReLU(inplace=True),
                nn.Conv2d(branch_features, branch_features, 3, self.stride, 1, bias=False, groups=branch_features),
                nn.BatchNorm2d(branch_features),
                nn.Conv2d(branch_features, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
                nn.BatchNorm2d(branch_features),
                nn.ReLU(inplace=True),
            )
            """, forward = """
            if self.stride == 1:
                x1, x2 = x.chunk(2, dim=1)
                out = torch.cat((x1, self.branch2(x2)), dim=1)
            else:
                out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
            # channel_shuffle(out, 2)
            batchsize, num_channels, height, width = out.size()
            channels_per_group = num_channels // 2
            out = out.view(batchsize, 2, channels_per_group, height, width)
            out = torch.transpose(out, 1, 2).contiguous()
            out = out.view(batchsize, -1, height, width)
            return out
            """)
    abstract static class InvertedResidual extends NnModule {
        @Init("branch1") Sequential branch1;
        @Init("branch2") Sequential branch2;
    }
}
