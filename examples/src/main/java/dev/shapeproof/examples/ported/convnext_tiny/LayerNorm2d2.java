package dev.shapeproof.examples.ported.convnext_tiny;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Parameter;

/**
 * PyTorch's {@code torchvision.models.convnext.LayerNorm2d} ({@code torchvision/models/convnext.py:30}).
 *
 * <p>Written with this model's modules rather than from {@code __init__}: its __init__ is PyTorch's own.
 */
@Block(params = "normalized_shape = (192,), eps = 1e-06", pytorchName = "LayerNorm2d", forward = """
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        x = x.permute(0, 3, 1, 2)
        return x
        """)
public abstract class LayerNorm2d2 extends NnModule {
    @Init("nn.Parameter(torch.ones(192))")  Parameter weight;
    @Init("nn.Parameter(torch.zeros(192))") Parameter bias;
}
