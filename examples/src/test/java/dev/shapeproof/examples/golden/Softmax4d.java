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
 * tensor, a case ND4J's oneDNN helpers get wrong (see research/nd4j-runtime.md).
 */
@Model(input = {3, 6, 5})
public abstract class Softmax4d {
    @Conv2d(out = 5, kernel = 3, padding = 1)           Conv2dLayer conv1;
    @Softmax(dim = 1)                                   SoftmaxLayer softmax;
    @Conv2d(in = 5, out = 4, kernel = 3, padding = 1)   Conv2dLayer conv2;
    @LogSoftmax(dim = 1)                                LogSoftmaxLayer logSoftmax;
}
