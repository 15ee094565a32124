package dev.shapeproof.examples.golden;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.DropoutLayer;
import dev.shapeproof.nn.ELULayer;
import dev.shapeproof.nn.HardsigmoidLayer;
import dev.shapeproof.nn.HardswishLayer;
import dev.shapeproof.nn.IdentityLayer;
import dev.shapeproof.nn.MishLayer;
import dev.shapeproof.nn.ReLU6Layer;
import dev.shapeproof.nn.SiLULayer;

/**
 * Golden model {@code OpsActivations} (tools/golden/make_op_goldens.py): ReLU6, Hardswish, Hardsigmoid, SiLU, ELU and
 * Mish as modules and functions, Identity and eval-mode Dropout, on activations spread over ±8 so that every
 * piecewise activation sees both sides of its kinks.
 */
@Model(input = {3, 8, 8}, forward = """
        x = self.conv(x)
        a = self.relu6(x)
        b = self.hardswish(x) + F.hardswish(a)
        c = self.hardsigmoid(b) * F.hardsigmoid(x)
        d = self.silu(c - x) + F.silu(x, inplace=False)
        e = self.elu(d) - F.elu(x, alpha=0.5)
        f = self.mish(e) + F.mish(x) + F.relu6(x * 3)
        return self.dropout(self.identity(f))
        """)
public abstract class OpsActivations {
    @Init("nn.Conv2d(3, 6, 3, padding=1)") Conv2dLayer conv;
    @Init("nn.ReLU6()")                    ReLU6Layer relu6;
    @Init("nn.Hardswish()")                HardswishLayer hardswish;
    @Init("nn.Hardsigmoid()")              HardsigmoidLayer hardsigmoid;
    @Init("nn.SiLU()")                     SiLULayer silu;
    @Init("nn.ELU(alpha=1.2)")             ELULayer elu;
    @Init("nn.Mish()")                     MishLayer mish;
    @Init("nn.Identity()")                 IdentityLayer identity;
    @Init("nn.Dropout(0.3)")               DropoutLayer dropout;
}
