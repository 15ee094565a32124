package dev.shapeproof.spark;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's thread count, set from the task's {@code spark.task.cpus}. Spark runs as many tasks at once as an executor
 * has cores divided by {@code spark.task.cpus}; left alone, ND4J would give each of them every core of the machine,
 * and the tasks would fight over them (on 2 cores, ND4J's plain build slows down several times over).
 */
final class NdThreads {
    private NdThreads() {}

    /**
     * Gives ND4J's computations on the calling thread {@code threads} threads: libnd4j's own parallel loops (process
     * wide), OpenMP, which oneDNN's kernels use (its count is per calling thread, so this runs on every task's
     * thread), and OpenBLAS (process wide). Every task of an executor has the same {@code spark.task.cpus}, so the
     * process-wide settings agree.
     *
     * <p>libnd4j sizes its thread pool once, when ND4J starts, from {@code OMP_NUM_THREADS} (all cores if unset), and
     * in 1.0.0-M2.1 {@code Environment.setMaxThreads} does nothing (measured): its loops can be given fewer threads
     * ({@code setMaxMasterThreads}), never more. An executor started with {@code OMP_NUM_THREADS} below
     * {@code spark.task.cpus} keeps the smaller count for libnd4j's own loops.
     */
    static void configure(int threads) {
        int n = Math.max(1, threads);
        Nd4j.getEnvironment().setMaxMasterThreads(Math.min(n, Nd4j.getEnvironment().maxThreads()));
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /** OpenMP's thread count for the calling thread, as ND4J's native code sees it. */
    static int openMpThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
