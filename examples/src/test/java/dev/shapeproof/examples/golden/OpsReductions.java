package dev.shapeproof.examples.golden;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveMaxPool2dLayer;
import dev.shapeproof.nn.Conv2dLayer;

/**
 * Golden model {@code OpsReductions} (tools/golden/make_op_goldens.py): {@code mean}, {@code sum} and {@code amax}
 * over axes with and without {@code keepdim}, and adaptive max pooling as module and function, to sizes that do not
 * divide the input's.
 */
@Model(input = {8, 5, 7}, forward = """
        x = self.conv(x)
        a = x.mean([2, 3])
        b = torch.sum(x, dim=1, keepdim=True)
        c = x.amax(dim=(2, 3))
        d = self.pool(x)
        e = F.adaptive_max_pool2d(x, (2, 3))
        return a + c, b, d, e
        """)
public abstract class OpsReductions {
    @Init("nn.Conv2d(8, 6, 3, padding=1)") Conv2dLayer conv;
    @Init("nn.AdaptiveMaxPool2d((3, 4))")  AdaptiveMaxPool2dLayer pool;
}
