package dev.shapeproof.examples.anysize;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.ReLULayer;

/**
 * A U-Net (Ronneberger et al., 2015) for any image size: four 2×2 max-pool downsamplings, four nearest ×2
 * upsamplings, each concatenated with the encoder's map of the same level. A max pool floors odd sizes, so the
 * upsampled map matches its skip connection only when the size divides by 16 at every level: the processor derives
 * "H ≡ 0 (mod 16); W ≡ 0 (mod 16)", and forward rejects 100×100 naming 96 and 112.
 */
@Model(dims = "3, H, W", forward = """
        x1 = self.inc(x)
        x2 = self.down1(max_pool2d(x1, 2))
        x3 = self.down2(max_pool2d(x2, 2))
        x4 = self.down3(max_pool2d(x3, 2))
        x5 = self.down4(max_pool2d(x4, 2))
        x = self.up1(torch.cat([x4, interpolate(x5, scale_factor=2)], dim=1))
        x = self.up2(torch.cat([x3, interpolate(x, scale_factor=2)], dim=1))
        x = self.up3(torch.cat([x2, interpolate(x, scale_factor=2)], dim=1))
        x = self.up4(torch.cat([x1, interpolate(x, scale_factor=2)], dim=1))
        return self.outc(x)
        """)
public abstract class UNet {
    @Init("DoubleConv(3, 4)")       DoubleConv inc;
    @Init("DoubleConv(4, 8)")       DoubleConv down1;
    @Init("DoubleConv(8, 16)")      DoubleConv down2;
    @Init("DoubleConv(16, 32)")     DoubleConv down3;
    @Init("DoubleConv(32, 32)")     DoubleConv down4;
    @Init("DoubleConv(64, 16)")     DoubleConv up1;
    @Init("DoubleConv(32, 8)")      DoubleConv up2;
    @Init("DoubleConv(16, 4)")      DoubleConv up3;
    @Init("DoubleConv(8, 4)")       DoubleConv up4;
    @Init("nn.Conv2d(4, 2, 1)")     Conv2dLayer outc;

    /** (3×3 convolution, BatchNorm, ReLU) twice, keeping the size: U-Net's unit at every level. */
    @Block(params = "in_channels: int, out_channels: int", forward = """
            x = self.relu1(self.bn1(self.conv1(x)))
            return self.relu2(self.bn2(self.conv2(x)))
            """)
    public abstract static class DoubleConv extends NnModule {
        @Init("nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False)")  Conv2dLayer conv1;
        @Init("nn.BatchNorm2d(out_channels)")                                   BatchNorm2dLayer bn1;
        @Init("nn.ReLU(inplace=True)")                                          ReLULayer relu1;
        @Init("nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)") Conv2dLayer conv2;
        @Init("nn.BatchNorm2d(out_channels)")                                   BatchNorm2dLayer bn2;
        @Init("nn.ReLU(inplace=True)")                                          ReLULayer relu2;
    }
}
