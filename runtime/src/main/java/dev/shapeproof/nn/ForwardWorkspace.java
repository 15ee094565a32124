package dev.shapeproof.nn;

import dev.shapeproof.nn.ops.CallMemory;
import dev.shapeproof.nn.ops.ConvActivation;
import dev.shapeproof.nn.ops.Layouts;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
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
 *   <li><b>Reused arrays</b> for what the Java kernels compute (small tensors, see {@link F}). Creating an
 *       {@code INDArray} costs 5–8 µs in ND4J 1.0.0-M2.1 whatever its size (a native shape descriptor, and JavaCPP
 *       reading {@code /proc} for its memory limit), as much as a small kernel itself. A forward asks for the same
 *       shapes in the same order on every call with the same batch size, so the k-th request of a call gets the array
 *       of the k-th request of the previous call when their shapes match; views made by {@code reshape} and
 *       {@code flatten} are kept the same way.</li>
 * </ul>
 * Everything a call computes is therefore overwritten or released by the next one, which is why results leave
 * through {@link #result}, a copy. Both kinds of memory belong to the calling thread, so concurrent calls never share
 * any; each thread that calls {@code forward} keeps its workspace and its arrays (one call's worth of small
 * intermediates; with the Java kernels' scratch arrays, a few MB at most) until it ends, or until it calls
 * {@link #releaseCurrentThread()}. A nested call for the same model on the same thread gets fresh arrays.
 *
 * <p>This class is what generated code opens; the memory itself, which the ops reach, is kept by {@link CallMemory}.
 */
public final class ForwardWorkspace implements AutoCloseable {
    private final CallMemory memory;

    private ForwardWorkspace(CallMemory memory) {
        this.memory = memory;
    }

    /**
     * Opens this thread's workspace and reused arrays for {@code model} (the generated class's qualified name); close
     * it when the call ends.
     */
    public static ForwardWorkspace open(String model) {
        return new ForwardWorkspace(CallMemory.open(model));
    }

    /**
     * {@code y} copied out of this call's memory, for the caller to keep: a result must not be overwritten by the
     * next call nor released with the workspace. It is always a dense c-order array, whatever layout the last op
     * left (oneDNN's convolutions write channels last): callers read results' buffers directly.
     */
    public INDArray result(INDArray y) {
        if (y.isAttached() && !y.isView() && Layouts.isDenseC(y)) {
            return y.detach();
        }
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Layouts.denseCCopy(y);
        }
    }

    /**
     * A convolution's handed-on result ({@code Conv2dLayer.forwardKept}) copied out of this call's memory as
     * {@link #result(INDArray)} does: a blocked one is reordered straight into a new dense c-order array, one pass.
     */
    public INDArray result(ConvActivation y) {
        if (!y.isBlocked()) {
            return y.toArray(this::result);
        }
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return y.toArray();
        }
    }

    /**
     * Frees, now, the memory the calling thread keeps between forwards: for every model it ran, the workspace and the
     * reused arrays, which are otherwise kept until the thread ends. For pooled threads that run one job after another
     * (a Spark executor's task threads): call it when a job's forwards are done. The next forward on this thread
     * works as the first one did, allocating afresh; results already returned are copies and stay valid.
     *
     * @return how many models' memory was released; 0 if this thread held none
     * @throws IllegalStateException if called inside a forward on this thread
     */
    public static int releaseCurrentThread() {
        return CallMemory.releaseCurrentThread();
    }

    @Override
    public void close() {
        memory.close();
    }
}
