package dev.shapeproof.examples.ported.vit_b_16;

import dev.shapeproof.Block;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.vision_transformer.MLPBlock} ({@code
 * torchvision/models/vision_transformer.py:40}).
 *
 * <p>Written with this model's modules rather than from {@code __init__}: a value with no expression: a slice
 * (slice(None, -1, None)) (/usr/lib/python3/dist-packages/torchvision/ops/misc.py:292: for hidden_dim in
 * hidden_channels[:-1]:).
 */
@Block(children = "[nn.Linear(768, 3072), nn.GELU(), nn.Dropout(0.0), nn.Linear(3072, 768), nn.Dropout(0.0)]")
public abstract class MLPBlock extends Sequential {}
