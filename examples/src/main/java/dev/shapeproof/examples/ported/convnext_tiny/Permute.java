package dev.shapeproof.examples.ported.convnext_tiny;

import dev.shapeproof.Block;
import dev.shapeproof.nn.NnModule;

/** PyTorch's {@code torchvision.ops.misc.Permute} ({@code torchvision/ops/misc.py:307}). */
@Block(params = "dims: List[int]", forward = """
        return torch.permute(x, self.dims)
        """)
public abstract class Permute extends NnModule {}
