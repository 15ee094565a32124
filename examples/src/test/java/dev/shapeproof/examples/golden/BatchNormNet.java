package dev.shapeproof.examples.golden;

import dev.shapeproof.AdaptiveAvgPool2d;
import dev.shapeproof.BatchNorm2d;
import dev.shapeproof.Conv2d;
import dev.shapeproof.Flatten;
import dev.shapeproof.Linear;
import dev.shapeproof.Model;
import dev.shapeproof.ReLU;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.FlattenLayer;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.ReLULayer;

/**
 * Golden model {@code BatchNormNet} (tools/golden/make_golden.py): eval-mode batch norm with random running statistics,
 * affine ({@code bn1}) and not ({@code bn2}, whose state_dict has no weight or bias; its eps is 1e-3).
 */
@Model(input = {3, 12, 12})
public abstract class BatchNormNet {
    @Conv2d(out = 8, kernel = 3)                     Conv2dLayer conv1;
    @BatchNorm2d                                     BatchNorm2dLayer bn1;
    @ReLU                                            ReLULayer relu;
    @Conv2d(out = 8, kernel = 3)                     Conv2dLayer conv2;
    @BatchNorm2d(features = 8, eps = 1e-3, affine = false) BatchNorm2dLayer bn2;
    @AdaptiveAvgPool2d(output = 1)                   AdaptiveAvgPool2dLayer pool;
    @Flatten                                         FlattenLayer flatten;
    @Linear(in = 8, out = 5)                         LinearLayer fc;
}
