package dev.shapeproof.examples.golden;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ConvTranspose2dLayer;
import dev.shapeproof.nn.UpsampleLayer;

/**
 * Golden model {@code OpsDecoder} (tools/golden/make_op_goldens.py): ConvTranspose2d with stride, padding, output
 * padding, groups and dilation; Upsample; {@code F.interpolate(size=u.shape[-2:])}; {@code F.pad} in constant (with a
 * crop), reflect and replicate modes; Conv2d with reflect, replicate and circular padding modes.
 */
@Model(input = {4, 5, 6}, forward = """
        x = self.conv(x)
        u = self.up(x)
        v = self.up2(x)
        w = self.up3(u)
        s = self.upsample(x)
        p = F.pad(s, (1, 0, 2, 1), mode='replicate')
        q = F.pad(x, [1, 2, 1, 0], mode='reflect')
        r = F.pad(x, (-1, 1, 0, 2), value=0.5)
        c = self.circ(x)
        d = self.rep(x)
        i = F.interpolate(v, size=u.shape[-2:], mode='bilinear', align_corners=False)
        return torch.cat([u, i, s], dim=1), w, p, q, r, c, d
        """)
public abstract class OpsDecoder {
    @Init("nn.Conv2d(4, 8, 3, padding=1, padding_mode='reflect')")                           Conv2dLayer conv;
    @Init("nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1, groups=2)")  ConvTranspose2dLayer up;
    @Init("nn.ConvTranspose2d(8, 4, 3, stride=2)")                                           ConvTranspose2dLayer up2;
    @Init("nn.ConvTranspose2d(6, 3, 3, padding=2, dilation=2)")                             ConvTranspose2dLayer up3;
    @Init("nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)")               UpsampleLayer upsample;
    @Init("nn.Conv2d(8, 2, 3, padding=1, padding_mode='circular')")                          Conv2dLayer circ;
    @Init("nn.Conv2d(8, 2, 3, padding=(1, 2), padding_mode='replicate')")                    Conv2dLayer rep;
}
