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

    /**
     * The caller is done with {@code y}, a result of {@link #forward}: an implementation whose results are fresh
     * arrays frees their native memory now ({@code INDArray.close()}), as a careful ND4J user does, instead of when the
     * garbage collector finds them. Those returning their own reused buffer keep it.
     */
    default void release(INDArray y) {}

    /** A forward whose results are fresh arrays, released by {@code close()}. */
    static Forward closingResults(Forward forward) {
        return new Forward() {
            @Override
            public INDArray forward(INDArray x) {
                return forward.forward(x);
            }

            @Override
            public void release(INDArray y) {
                if (y.closeable()) {
                    y.close();
                }
            }
        };
    }
}
