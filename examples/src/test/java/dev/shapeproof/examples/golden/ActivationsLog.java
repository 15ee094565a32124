package dev.shapeproof.examples.golden;

import dev.shapeproof.Linear;
import dev.shapeproof.LogSoftmax;
import dev.shapeproof.Model;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.LogSoftmaxLayer;

/** Golden model {@code ActivationsLog} (tools/golden/make_golden.py): log-softmax on feature vectors. */
@Model(input = {20})
public abstract class ActivationsLog {
    @Linear(out = 7)       LinearLayer fc;
    @LogSoftmax(dim = 1)   LogSoftmaxLayer logSoftmax;
}
