package dev.shapeproof.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory one call of a generated {@code forward} computes in; open it with try-with-resources and return results
 * through {@link #result}.
 *
 * <p>Two things make a call cheap that per-op allocation makes expensive:
 * <ul>
 *   <li><b>An ND4J workspace</b> per model class and thread, sized by the first call and reused by every later one,
 *       holds what ND4J's ops allocate. Without it, every op's native memory is freed only when the garbage
 *       collector happens to run; the Java heap stays small, so it rarely does, and the process grows with each call
 *       (a dilated stack measured 1.57 GB after 20 calls, against 0.38 GB after one).</li>
 *   <li><b>Reused arrays</b> for what the Java kernels compute ({@link SmallTensors}). Creating an {@code INDArray}
 *       costs 5–8 µs in ND4J 1.0.0-M2.1 whatever its size (a native shape descriptor, and JavaCPP reading
 *       {@code /proc} for its memory limit), as much as a small kernel itself. A forward asks for the same shapes in
 *       the same order on every call with the same batch size, so the k-th request of a call gets the array of the
 *       k-th request of the previous call when their shapes match; views made by {@code reshape} and
 *       {@code flatten} are kept the same way.</li>
 * </ul>
 * Everything a call computes is therefore overwritten or released by the next one, which is why results leave
 * through {@link #result}, a copy. Both kinds of memory belong to the calling thread, so concurrent calls never share
 * any; each thread that calls {@code forward} keeps its workspace and its arrays (one call's worth of small
 * intermediates; with the Java kernels' scratch arrays of {@link SmallTensors}, a few MB at most) until it ends. A
 * nested call for the same model on the same thread gets fresh arrays.
 */
public final class ForwardWorkspace implements AutoCloseable {
    private static final WorkspaceConfiguration CONFIGURATION = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.1)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** Per thread: the reusable arrays of each model class. */
    private static final ThreadLocal<Map<String, ReusedArrays>> REUSED = ThreadLocal.withInitial(HashMap::new);
    /** Per thread: the innermost open call, or {@code null}. */
    private static final ThreadLocal<ForwardWorkspace> CURRENT = new ThreadLocal<>();

    private final MemoryWorkspace workspace;
    private final ReusedArrays reused; // null in a nested call of the same model
    private final ForwardWorkspace enclosing;

    private ForwardWorkspace(MemoryWorkspace workspace, ReusedArrays reused, ForwardWorkspace enclosing) {
        this.workspace = workspace;
        this.reused = reused;
        this.enclosing = enclosing;
    }

    /**
     * Opens this thread's workspace and reused arrays for {@code model} (the generated class's qualified name); close
     * it when the call ends.
     */
    public static ForwardWorkspace open(String model) {
        MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIGURATION,
                "shapeproof-forward-" + model);
        ReusedArrays reused = REUSED.get().computeIfAbsent(model, name -> new ReusedArrays());
        reused = reused.begin() ? reused : null; // last: nothing below can fail and leave it marked in use
        ForwardWorkspace call = new ForwardWorkspace(workspace, reused, CURRENT.get());
        CURRENT.set(call);
        return call;
    }

    /**
     * Opens this thread's scratch workspace, for the temporaries of one op (the dilated convolution's phases): what the
     * op allocates while it is open is released when it closes, and its memory is reused by the next op on this
     * thread. Freeing and allocating tens of megabytes per layer instead fragments the C heap, and the process grows
     * from call to call (0.37–0.44 GB after 20 calls of the dilated stack, against 0.32 GB after one). Allocate what
     * outlives the op before opening it.
     */
    static MemoryWorkspace scratch() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIGURATION, "shapeproof-scratch");
    }

    /**
     * {@code y} copied out of this call's memory, for the caller to keep: a result must not be overwritten by the
     * next call nor released with the workspace.
     */
    public INDArray result(INDArray y) {
        if (y.isAttached()) {
            return y.detach();
        }
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return y.dup('c');
        }
    }

    @Override
    public void close() {
        CURRENT.set(enclosing);
        if (reused != null) {
            reused.end();
        }
        workspace.close();
    }

    /** The innermost open call on this thread, or {@code null} outside any generated {@code forward}. */
    static ForwardWorkspace current() {
        return CURRENT.get();
    }

    /**
     * A float32 array of {@code shape} with undefined contents: this call's next reused array when one fits, else a
     * new one (detached from the workspace, so that the next call can reuse it).
     */
    INDArray array(long[] shape) {
        if (reused == null) {
            return Nd4j.createUninitialized(DataType.FLOAT, shape);
        }
        return reused.array(shape);
    }

    /**
     * The view {@code source.reshape('c', shape)}: the one made by the previous call at this point when it was of the
     * same reused array and shape, else a new one. Views of other arrays (the caller's input, the workspace's) are
     * never kept, so this thread holds on to nothing of the caller's.
     */
    INDArray reshaped(INDArray source, long[] shape) {
        if (reused == null || !reused.handedOut(source)) {
            return source.reshape('c', shape);
        }
        return reused.reshaped(source, shape);
    }

    /** One model's reusable arrays on one thread, in the order a call asks for them. */
    private static final class ReusedArrays {
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

        private static void put(List<INDArray> list, int k, INDArray array) {
            if (k < list.size()) {
                list.set(k, array);
            } else {
                list.add(array);
            }
        }
    }
}
