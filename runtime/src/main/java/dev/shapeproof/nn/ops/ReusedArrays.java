package dev.shapeproof.nn.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model's reusable arrays on one thread, in the order a call asks for them. A forward asks for the same shapes in
 * the same order on every call with the same batch size, so the k-th request of a call gets the array of the k-th
 * request of the previous call when their shapes match; views made by {@code reshape} and {@code flatten} are kept
 * the same way. Why: {@link dev.shapeproof.nn.ForwardWorkspace}.
 */
final class ReusedArrays {
    private final List<INDArray> arrays = new ArrayList<>();
    private final List<INDArray> viewSources = new ArrayList<>();
    private final List<INDArray> views = new ArrayList<>();
    private int nextArray;
    private int nextView;
    private boolean inUse;

    /** Starts a call; false if one is already running on this thread (a nested call). */
    boolean begin() {
        if (inUse) {
            return false;
        }
        inUse = true;
        nextArray = 0;
        nextView = 0;
        return true;
    }

    void end() {
        inUse = false;
    }

    INDArray array(long[] shape) {
        int k = nextArray++;
        if (k < arrays.size() && Arrays.equals(arrays.get(k).shape(), shape)) {
            return arrays.get(k);
        }
        INDArray created;
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            created = Nd4j.createUninitialized(DataType.FLOAT, shape);
        }
        put(arrays, k, created);
        return created;
    }

    /** Whether {@code array} is one of these arrays (they are few: one per small op of a call). */
    boolean handedOut(INDArray array) {
        for (INDArray candidate : arrays) {
            if (candidate == array) {
                return true;
            }
        }
        return false;
    }

    INDArray reshaped(INDArray source, long[] shape) {
        int k = nextView++;
        if (k < views.size() && viewSources.get(k) == source && Arrays.equals(views.get(k).shape(), shape)) {
            return views.get(k);
        }
        INDArray view = source.reshape('c', shape); // a view: the reused arrays are dense, c order
        put(viewSources, k, source);
        put(views, k, view);
        return view;
    }

    /**
     * Frees the native memory of these arrays now rather than when the garbage collector finds them, and forgets them
     * and their views; only between calls. Nothing outside the call holds them: results leave as copies.
     */
    void release() {
        for (INDArray array : arrays) {
            if (array.closeable()) {
                array.close();
            }
        }
        arrays.clear();
        viewSources.clear();
        views.clear();
    }

    private static void put(List<INDArray> list, int k, INDArray array) {
        if (k < list.size()) {
            list.set(k, array);
        } else {
            list.add(array);
        }
    }
}
