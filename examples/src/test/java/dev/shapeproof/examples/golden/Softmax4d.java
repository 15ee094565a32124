package dev.shapeproof.examples.golden;

import dev.shapeproof.Conv2d;
import dev.shapeproof.LogSoftmax;
import dev.shapeproof.Model;
import dev.shapeproof.Softmax;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.LogSoftmaxLayer;
import dev.shapeproof.nn.SoftmaxLayer;

/**
 * Golden model {@code Softmax4d} (tools/golden/make_golden.py): softmax and log-softmax over the channels of a rank-4
 * tensor, a case ND4J 1.0.0-M2.1 gets wrong on its oneDNN build ({@code softmax(x, 1)} on rank 4 is silently wrong
 * there, and {@code logSoftmax(x, 1)} on rank 4 uses the last axis).
 */
@Model(input = {3, 6, 5})
public abstract class Softmax4d {
    @Conv2d(out = 5, kernel = 3, padding = 1)           Conv2dLayer conv1;
    @Softmax(dim = 1)                                   SoftmaxLayer softmax;
    @Conv2d(in = 5, out = 4, kernel = 3, padding = 1)   Conv2dLayer conv2;
    @LogSoftmax(dim = 1)                                LogSoftmaxLayer logSoftmax;
}
