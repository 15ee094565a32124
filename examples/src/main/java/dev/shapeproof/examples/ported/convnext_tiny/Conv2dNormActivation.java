package dev.shapeproof.examples.ported.convnext_tiny;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.ops.misc.Conv2dNormActivation} ({@code torchvision/ops/misc.py:125}).
 *
 * <p>Written with this model's modules rather than from {@code __init__}: it builds LayerNorm2d, which is written in
 * several variants (/usr/lib/python3/dist-packages/torchvision/ops/misc.py:69: None).
 */
@Block(children = "[nn.Conv2d(3, 96, 4, 4), LayerNorm2d()]")
public abstract class Conv2dNormActivation extends Sequential {}
