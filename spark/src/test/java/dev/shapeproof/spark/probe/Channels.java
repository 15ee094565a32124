package dev.shapeproof.spark.probe;

import dev.shapeproof.Flatten;
import dev.shapeproof.Model;
import dev.shapeproof.nn.FlattenLayer;

/**
 * A model whose output is its input, flattened: what the transformer decoded, value for value. The image tests read
 * channel order and normalisation off it. 3 channels of 2×4: every pixel and channel distinct.
 */
@Model(input = {3, 2, 4})
public abstract class Channels {
    @Flatten FlattenLayer flatten;
}
