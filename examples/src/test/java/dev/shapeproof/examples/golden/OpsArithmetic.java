package dev.shapeproof.examples.golden;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;

/**
 * Golden model {@code OpsArithmetic} (tools/golden/make_op_goldens.py): {@code + - * /} between tensors with
 * broadcasting (a squeeze-and-excitation scale), with numbers on either side, unary minus, {@code torch.add},
 * {@code torch.mul}, the in-place operators and the tensor methods.
 */
@Model(input = {4, 6, 6}, forward = """
        x = self.conv(x)
        s = torch.sigmoid(F.adaptive_avg_pool2d(x, 1))
        y = x * s
        y = y - x.mean((2, 3), keepdim=True)
        y = y / (1 + s)
        y = 2 - y * 0.5
        y = torch.add(y, x) + torch.mul(y, 1.5)
        z = -y
        z += x
        z *= s
        z -= 0.25
        z /= 2
        return z, y.sub(x).div(3).mul(s).add(1)
        """)
public abstract class OpsArithmetic {
    @Init("nn.Conv2d(4, 5, 3, padding=1)") Conv2dLayer conv;
}
