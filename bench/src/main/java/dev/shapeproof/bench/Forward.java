package dev.shapeproof.bench;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One implementation of one network: a forward pass in eval mode. */
@FunctionalInterface
public interface Forward {
    /**
     * The network's output for {@code x}. Implementations may return a buffer they overwrite on the next call
     * (the hand-written ones do): copy it to keep it.
     */
    INDArray forward(INDArray x);
}
