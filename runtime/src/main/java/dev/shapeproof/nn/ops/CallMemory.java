package dev.shapeproof.nn.ops;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory one call of a generated {@code forward} computes in, on the calling thread: the ND4J workspace of its
 * model, which holds what ND4J's ops allocate, and its model's {@link ReusedArrays}, which hand out again what the
 * Java kernels returned and the views {@code reshape} and {@code flatten} made in the previous call. Also this
 * thread's scratch workspace, for one op's temporaries.
 *
 * <p>{@link dev.shapeproof.nn.ForwardWorkspace} opens and closes it for generated code, and says why a call keeps
 * both and what a thread keeps; public only for that. The ops reach the innermost open call through the static
 * methods.
 */
public final class CallMemory implements AutoCloseable {
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
    private static final ThreadLocal<CallMemory> CURRENT = new ThreadLocal<>();

    private final MemoryWorkspace workspace;
    private final ReusedArrays reused; // null in a nested call of the same model
    private final CallMemory enclosing;
    /** How many block calls are open in this call: the nesting level of the next one's workspace. */
    private int blockDepth;

    private CallMemory(MemoryWorkspace workspace, ReusedArrays reused, CallMemory enclosing) {
        this.workspace = workspace;
        this.reused = reused;
        this.enclosing = enclosing;
    }

    /**
     * Opens this thread's workspace and reused arrays for {@code model} (the generated class's qualified name); close
     * it when the call ends.
     */
    public static CallMemory open(String model) {
        MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIGURATION,
                "shapeproof-forward-" + model);
        ReusedArrays reused = REUSED.get().computeIfAbsent(model, name -> new ReusedArrays());
        reused = reused.begin() ? reused : null; // last: nothing below can fail and leave it marked in use
        CallMemory enclosing = CURRENT.get();
        CallMemory call = new CallMemory(workspace, reused, enclosing);
        call.blockDepth = enclosing == null ? 0 : enclosing.blockDepth; // levels are the thread's, not the call's
        CURRENT.set(call);
        return call;
    }

    @Override
    public void close() {
        CURRENT.set(enclosing);
        if (reused != null) {
            reused.end();
        }
        workspace.close();
    }

    /**
     * Releases what this thread keeps between calls, for every model: each model's ND4J workspace, its reused arrays,
     * and the scratch workspace, whose native memory is freed now. The next forward on this thread allocates afresh.
     * For threads that outlive their work, such as a pool's (a Spark executor runs task after task on pooled threads,
     * so memory kept "until the thread ends" is kept for good). Returns how many models' memory was released, 0 if
     * this thread held none.
     *
     * @throws IllegalStateException inside a forward on this thread, whose memory is in use
     */
    public static int releaseCurrentThread() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("cannot release a thread's forward memory inside a forward on that thread");
        }
        Map<String, ReusedArrays> models = REUSED.get();
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        int released = 0;
        for (Map.Entry<String, ReusedArrays> model : models.entrySet()) {
            model.getValue().release();
            destroy(manager, "shapeproof-forward-" + model.getKey());
            released++;
        }
        models.clear();
        destroy(manager, "shapeproof-scratch");
        for (int depth = 1; manager.checkIfWorkspaceExists(blockWorkspaceId(depth)); depth++) {
            destroy(manager, blockWorkspaceId(depth));
        }
        return released;
    }

    private static void destroy(MemoryWorkspaceManager manager, String id) {
        if (manager.checkIfWorkspaceExists(id)) {
            manager.destroyWorkspace(manager.getWorkspaceForCurrentThread(id));
        }
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
     * Opens the workspace of one block call inside this thread's innermost forward, or returns {@code null} outside
     * any (a block called on its own allocates as any op does). What the block's ops allocate goes there; the
     * workspace of each nesting level is this thread's, shared by every block at that level, and reused by the next
     * block call at that level once this one closes. Close it with {@link #exitBlock}.
     */
    public static MemoryWorkspace enterBlock() {
        CallMemory call = current();
        if (call == null) {
            return null;
        }
        call.blockDepth++;
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIGURATION, blockWorkspaceId(call.blockDepth));
    }

    /** Closes a block's workspace that {@link #enterBlock} opened; its memory is the next block call's. */
    public static void exitBlock(MemoryWorkspace block) {
        if (block != null) {
            current().blockDepth--;
            block.close();
        }
    }

    private static String blockWorkspaceId(int depth) {
        return "shapeproof-block-" + depth;
    }

    /** The innermost open call on this thread, or {@code null} outside any generated {@code forward}. */
    static CallMemory current() {
        return CURRENT.get();
    }

    /**
     * A float32 array of {@code shape} with undefined contents: in a generated forward this call's next reused array
     * when one fits, else a new one (detached from the workspace, so that the next call can reuse it); outside one a
     * new array.
     */
    static INDArray floatArray(long... shape) {
        CallMemory call = current();
        return call == null || call.reused == null ? Nd4j.createUninitialized(DataType.FLOAT, shape)
                : call.reused.array(shape);
    }

    /**
     * {@code x.reshape('c', shape)}: a view when the strides allow it, else ND4J copies. In a generated forward the
     * view made at this point of the previous call is reused when it is of the same reused array and shape. Views of
     * other arrays (the caller's input, the workspace's) are never kept, so this thread holds on to nothing of the
     * caller's.
     */
    static INDArray reshaped(INDArray x, long[] shape) {
        CallMemory call = current();
        if (call == null || call.reused == null || !call.reused.handedOut(x)) {
            return x.reshape('c', shape);
        }
        return call.reused.reshaped(x, shape);
    }
}
