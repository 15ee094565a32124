package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution weights computed from a layer's state (a BatchNorm folded in), standing for one state of them: a new
 * instance for every new state, never changed, so its identity can key a cached copy in another layout.
 *
 * <p>Why not simply an array: oneDNN keeps its own reordered copy of a layer's weights per plan, and the plain array
 * is read only to make that copy. Kept for the life of the layer, it would be a third copy of every folded weight
 * (the layer's own, the plain folded one, oneDNN's). So the plain array is computed on demand: {@link #readOnce}
 * lends it for one read (a reorder) and frees it afterwards, and a second plan (another thread, another thread count,
 * an evicted plan rebuilt) computes it again, to the same values. The paths that read it on every call (the Java
 * kernel, ND4J's ops) ask for it through {@link #plain()}, which keeps it from then on.
 *
 * <p>Thread safety: the plain array is created, lent and freed under this object's lock, and once {@link #plain()}
 * has handed it out it is never freed, so no thread can read freed memory.
 */
public final class DerivedWeights {
    private final long[] shape;
    private final Supplier<INDArray> compute;
    /** The plain array once a path that reads it on every call asked for it; never freed then. */
    private volatile INDArray kept;
    private volatile INDArray depthwiseKernel;

    /**
     * @param shape   the weights' shape, {@code [out, in/groups, kH, kW]}
     * @param compute a new dense c-order float array of that shape, the same values on every call; run outside any
     *                workspace
     */
    public DerivedWeights(long[] shape, Supplier<INDArray> compute) {
        this.shape = shape.clone();
        this.compute = compute;
    }

    /** The weights' shape (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    long size(int dimension) {
        return shape[dimension];
    }

    int rank() {
        return shape.length;
    }

    /** The plain array, for a path that reads it on every call: computed at most once more, then kept. */
    public INDArray plain() {
        INDArray k = kept;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (kept == null) {
                kept = compute();
            }
            return kept;
        }
    }

    /**
     * Runs {@code reader} on the plain array, which it must not keep: computed for the read if it is not kept, and
     * freed after it.
     */
    synchronized void readOnce(Consumer<INDArray> reader) {
        INDArray k = kept;
        if (k != null) {
            reader.accept(k);
            return;
        }
        try (INDArray array = compute()) {
            reader.accept(array);
        }
    }

    /**
     * The depthwise kernel of these weights in ND4J's layout ({@link Conv2dOp#depthwiseKernel}), computed on first
     * use (only ND4J's depthwise op reads it) and kept.
     */
    INDArray depthwiseKernel(long channels) {
        INDArray k = depthwiseKernel;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (depthwiseKernel == null) {
                try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    depthwiseKernel = Conv2dOp.depthwiseKernel(plain(), channels);
                }
            }
            return depthwiseKernel;
        }
    }

    private INDArray compute() {
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return compute.get();
        }
    }

    @Override
    public String toString() {
        return "DerivedWeights" + Arrays.toString(shape);
    }
}
