package dev.shapeproof.examples;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Input;
import dev.shapeproof.Linear;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.LinearLayer;

/**
 * Two inputs and two outputs: an RGB image and a one-channel mask are encoded separately, concatenated, and decoded
 * into a per-pixel segmentation and an image-level class score. The generated {@code forward(image, mask)} returns
 * a record {@code Output(segmentation, scores)}.
 */
@Model(inputs = {@Input(name = "image", shape = {3, 32, 32}), @Input(name = "mask", shape = {1, 32, 32})},
        forward = """
        features = relu(image_conv(image))
        guide = sigmoid(mask_conv(mask))
        both = cat([features, guide], dim=1)
        segmentation = fuse(both)
        pooled = adaptive_avg_pool2d(both, 1).flatten(1)
        scores = classifier(pooled)
        return segmentation, scores
        """)
public abstract class ImageAndMask {
    @Conv2d(out = 12, kernel = 3, padding = 1) Conv2dLayer image_conv;
    @Conv2d(out = 4, kernel = 3, padding = 1)  Conv2dLayer mask_conv;
    @Conv2d(out = 2, kernel = 1)               Conv2dLayer fuse;
    @Linear(in = 16, out = 5)                  LinearLayer classifier;
}
