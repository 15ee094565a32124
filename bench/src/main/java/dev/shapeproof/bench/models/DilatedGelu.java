package dev.shapeproof.bench.models;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Model;
import dev.shapeproof.Padding;
import dev.shapeproof.nn.Conv2dLayer;

/**
 * The small net outside the first four cases: a 'same'-padded dilated convolution, a dilated max-pool and
 * exact (erf) GELU, on 16×32×32 maps.
 */
@Model(input = {3, 32, 32}, forward = """
        x = F.gelu(self.conv1(x))
        x = F.max_pool2d(x, 3, stride=1, padding=1, dilation=2)
        x = F.gelu(self.conv2(x))
        return x
        """)
public abstract class DilatedGelu {
    @Conv2d(out = 16, kernel = 3, dilation = 2, autoPad = Padding.SAME) Conv2dLayer conv1;
    @Conv2d(in = 16, out = 16, kernel = 3, padding = 1)                 Conv2dLayer conv2;
}
