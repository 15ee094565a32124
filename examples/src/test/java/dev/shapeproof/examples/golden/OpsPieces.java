package dev.shapeproof.examples.golden;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;

/**
 * Golden model {@code OpsPieces} (tools/golden/make_op_goldens.py): ShuffleNet's channel shuffle (a view with sizes
 * read from the tensor, a transpose, contiguous, a view back), {@code chunk}, {@code split} by sizes, {@code stack},
 * {@code permute}, indexing with ints and stepped slices, {@code narrow} and {@code expand}.
 */
@Model(input = {8, 6, 4}, forward = """
        x = self.conv(x)
        n, c, h, w = x.size()
        y = x.view(n, 2, c // 2, h, w)
        y = torch.transpose(y, 1, 2).contiguous()
        y = y.view(n, -1, h, w)
        a, b = y.chunk(2, dim=1)
        p, q, r = torch.split(b, [1, 2, 1], dim=1)
        s = torch.stack([p, r], dim=2)
        t = a.permute(0, 2, 3, 1)
        u = t[:, 1:5:2, -1]
        v = x.reshape(n, c, -1).transpose(1, 2)[:, 0]
        w2 = torch.narrow(q, 3, 1, 2).flatten(1)
        e = v.view(n, 1, c).expand(-1, 3, -1)
        return s, u, e, w2
        """)
public abstract class OpsPieces {
    @Init("nn.Conv2d(8, 8, 3, padding=1)") Conv2dLayer conv;
}
