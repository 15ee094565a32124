package dev.shapeproof.examples.golden;

import dev.shapeproof.AdaptiveAvgPool2d;
import dev.shapeproof.Conv2d;
import dev.shapeproof.Flatten;
import dev.shapeproof.Linear;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.FlattenLayer;
import dev.shapeproof.nn.LinearLayer;

/**
 * Golden model {@code Grouped} (tools/golden/make_golden.py): a grouped convolution, a stride-2 depthwise one, a
 * dilated depthwise one with channel multiplier 2, a bias-free 1×1, and an adaptive average pool from 8×5 to 3×2
 * (neither axis divides, so the windows overlap and differ in size).
 */
@Model(input = {8, 15, 9})
public abstract class Grouped {
    @Conv2d(in = 8, out = 16, kernel = 3, padding = 1, groups = 4)          Conv2dLayer grouped;
    @Conv2d(out = 16, kernel = 3, stride = 2, padding = 1, groups = 16)     Conv2dLayer depthwise;
    @Conv2d(out = 32, kernel = 3, padding = 2, dilation = 2, groups = 16)   Conv2dLayer depthwiseDilated;
    @Conv2d(out = 12, kernel = 1, bias = false)                             Conv2dLayer pointwise;
    @AdaptiveAvgPool2d(output = {3, 2})                                     AdaptiveAvgPool2dLayer pool;
    @Flatten                                                                FlattenLayer flatten;
    @Linear(out = 10)                                                       LinearLayer fc;
}
