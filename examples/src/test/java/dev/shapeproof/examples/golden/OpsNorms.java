package dev.shapeproof.examples.golden;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.BatchNorm1dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.DropoutLayer;
import dev.shapeproof.nn.GroupNormLayer;
import dev.shapeproof.nn.LayerNormLayer;
import dev.shapeproof.nn.LinearLayer;

/**
 * Golden model {@code OpsNorms} (tools/golden/make_op_goldens.py): GroupNorm, LayerNorm on tokens {@code [N, L, D]},
 * Linear, GELU and Dropout on rank 3, BatchNorm1d on {@code [N, C, L]} and {@code [N, C]}, and the functional
 * {@code layer_norm} and {@code group_norm} without affine parameters; norms with random affine parameters and
 * statistics.
 */
@Model(input = {6, 5, 4}, forward = """
        x = self.conv(x)
        g = self.gn(x)
        t = g.flatten(2).transpose(1, 2)
        t = self.ln(t)
        t = self.fc(self.drop(F.gelu(t)))
        m = self.bn1(t.transpose(1, 2))
        f = self.bn2(m.mean(2))
        return f, F.layer_norm(t, (12,)), F.group_norm(x, 2)
        """)
public abstract class OpsNorms {
    @Init("nn.Conv2d(6, 8, 3, padding=1)")  Conv2dLayer conv;
    @Init("nn.GroupNorm(4, 8)")             GroupNormLayer gn;
    @Init("nn.LayerNorm(8, eps=1e-6)")      LayerNormLayer ln;
    @Init("nn.Dropout(0.1)")                DropoutLayer drop;
    @Init("nn.Linear(8, 12)")               LinearLayer fc;
    @Init("nn.BatchNorm1d(12)")             BatchNorm1dLayer bn1;
    @Init("nn.BatchNorm1d(12, eps=1e-3)")   BatchNorm1dLayer bn2;
}
