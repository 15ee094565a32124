package dev.shapeproof.nn;

import dev.shapeproof.nn.ops.CallMemory;
import dev.shapeproof.nn.ops.Layouts;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory of one call of a block's {@code forward} inside a model's forward: what the block computes on its way to
 * its result lives here, and is overwritten by the next block call at the same nesting level. Open it with
 * try-with-resources, call {@link #computeResult} before the statement that computes the result, and return the
 * result through {@link #result}.
 *
 * <p>Why: a forward's {@link ForwardWorkspace} keeps everything the call computed until the call returns, so a deep
 * network's peak memory would be the sum of all its intermediates (146 MB for resnet50 at batch 1). A block's
 * {@code forward} is a function: nothing it computes is read after it returns except its result. So each block call
 * computes in a workspace of its own nesting level, and its result is computed where its caller keeps it; the peak
 * becomes the results of the blocks called so far plus one chain of blocks' intermediates. The processor opens one
 * only for a block whose parameters are single tensors (a list it received could carry out what it appends) and which
 * computes more than its result.
 *
 * <p>Outside a model's forward (a block called on its own) it does nothing: the block allocates as any op does.
 */
public final class BlockWorkspace implements AutoCloseable {
    private final MemoryWorkspace caller;
    private final MemoryWorkspace block;
    private boolean computingResult;

    private BlockWorkspace(MemoryWorkspace caller, MemoryWorkspace block) {
        this.caller = caller;
        this.block = block;
    }

    /** Opens the calling thread's workspace for a block call at the next nesting level; close it when the call ends. */
    public static BlockWorkspace enter() {
        MemoryWorkspace caller = Nd4j.getMemoryManager().getCurrentWorkspace();
        return new BlockWorkspace(caller, CallMemory.enterBlock());
    }

    /**
     * From here on, what the block computes goes to its caller's memory: the statements left compute the result,
     * which then needs no copy. Their temporaries go there too, the price of one op's.
     */
    public void computeResult() {
        if (block != null && !computingResult) {
            computingResult = true;
            Nd4j.getMemoryManager().setCurrentWorkspace(caller);
        }
    }

    /**
     * {@code y}, the block's result, where its caller can read it: itself unless it lives in this block's workspace
     * (computed before {@link #computeResult}, or a view of something that was), which the next block call
     * overwrites; then a copy in the caller's workspace, channels last if {@code y} is.
     */
    public INDArray result(INDArray y) {
        if (block == null || !y.isAttached() || y.data().getParentWorkspace() != block) {
            return y;
        }
        MemoryWorkspace current = Nd4j.getMemoryManager().getCurrentWorkspace();
        Nd4j.getMemoryManager().setCurrentWorkspace(caller);
        try {
            return Layouts.copyKeepingLayout(y);
        } finally {
            Nd4j.getMemoryManager().setCurrentWorkspace(current);
        }
    }

    @Override
    public void close() {
        if (computingResult) {
            Nd4j.getMemoryManager().setCurrentWorkspace(block); // closing it restores the caller's, as on entry
        }
        CallMemory.exitBlock(block);
    }
}
