package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ConvTranspose2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Sequential;

/**
 * The UNet of tools/golden/unet.py, line for line: four max-pool downsamplings and four ConvTranspose2d
 * upsamplings, each decoder stage padding its upsampled map to the skip connection's size (60×60 input: 7 and 15 are
 * odd, so two stages pad by one pixel) and concatenating them. Not a torchvision model: the PyTorch side was written
 * for these tests.
 */
@Model(input = {3, 60, 60}, init = """
        n_channels = 3
        n_classes = 2
        base = 16
        """, forward = """
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        logits = self.outc(x)
        return logits
        """)
public abstract class UNet {
    @Init("DoubleConv(n_channels, base)")              NnModule inc;
    @Init("Down(base, base * 2)")                      NnModule down1;
    @Init("Down(base * 2, base * 4)")                  NnModule down2;
    @Init("Down(base * 4, base * 8)")                  NnModule down3;
    @Init("Down(base * 8, base * 16)")                 NnModule down4;
    @Init("Up(base * 16, base * 8)")                   NnModule up1;
    @Init("Up(base * 8, base * 4)")                    NnModule up2;
    @Init("Up(base * 4, base * 2)")                    NnModule up3;
    @Init("Up(base * 2, base)")                        NnModule up4;
    @Init("nn.Conv2d(base, n_classes, kernel_size=1)") Conv2dLayer outc;

    /** (convolution => BN => ReLU) * 2. */
    @Block(params = "in_channels, out_channels, mid_channels = None", init = """
            if not mid_channels:
                mid_channels = out_channels
            """, forward = "return self.double_conv(x)")
    abstract static class DoubleConv extends NnModule {
        @Init("""
                nn.Sequential(
                    nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
                    nn.BatchNorm2d(mid_channels),
                    nn.ReLU(inplace=True),
                    nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
                    nn.BatchNorm2d(out_channels),
                    nn.ReLU(inplace=True),
                )""") Sequential double_conv;
    }

    /** Downscaling with maxpool then double conv. */
    @Block(params = "in_channels, out_channels", forward = "return self.maxpool_conv(x)")
    abstract static class Down extends NnModule {
        @Init("nn.Sequential(nn.MaxPool2d(2), DoubleConv(in_channels, out_channels))") Sequential maxpool_conv;
    }

    /** Upscaling then double conv. */
    @Block(params = "in_channels, out_channels", forward = """
            def forward(self, x1, x2):
                x1 = self.up(x1)
                # input is CHW
                diffY = x2.size()[2] - x1.size()[2]
                diffX = x2.size()[3] - x1.size()[3]
                x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
                x = torch.cat([x2, x1], dim=1)
                return self.conv(x)
            """)
    abstract static class Up extends NnModule {
        @Init("nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)") ConvTranspose2dLayer up;
        @Init("DoubleConv(in_channels, out_channels)")                                     NnModule conv;
    }
}
