package dev.shapeproof.nn.ops;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether an op runs on its Java kernel or on ND4J: the switch {@value #PROPERTY} and the size test that every op's
 * limit goes through. The limits stand beside the kernels they bound, in each op's class ({@code MAX_JAVA_...});
 * here only the one the pointwise ops share.
 *
 * <p>Why: an ND4J op call costs 8–60 µs before it does any arithmetic (op construction, a native shape computation,
 * the output's native shape descriptor, JNI, oneDNN primitive set-up), whatever the tensor's size. A batch-1 MNIST
 * net spends almost all its time there: its ten ops do 0.5 M multiply-adds, which plain Java does in tens of
 * microseconds. So tensors under measured sizes are copied to Java arrays ({@link JavaArrays}), computed there and
 * copied back (a bulk copy of 10 K floats takes about a microsecond); larger ones go to ND4J, whose kernels then win.
 * In a generated forward the arrays the Java kernels return are reused from call to call ({@link CallMemory}), since
 * creating an {@code INDArray} costs as much again.
 *
 * <p>The limits: where the Java kernel stops being faster than ND4J's, on the oneDNN build with one thread
 * ({@code bench/crossover.sh}; table and discussion in bench/README.md). Past them the Java loops lose to ND4J's
 * vectorised, blocked kernels, at up to 3–15× the time.
 *
 * <p>Only on ND4J's CPU backends (on CUDA the copies would cross the bus), only for dense c-order float32 arrays.
 * The system property {@value #PROPERTY}{@code =never} sends everything to ND4J (the tests run both ways). The
 * Java kernels run on the calling thread only: a forward with small tensors gains nothing from OMP_NUM_THREADS.
 */
final class SmallTensors {
    /**
     * System property: {@code auto} (default: the Java kernels under the limits), {@code never} (ND4J only) or
     * {@code always} (the Java kernels at any size; for measuring the crossovers, never faster).
     */
    static final String PROPERTY = "shapeproof.smallTensorKernels";

    /**
     * Pointwise ops ({@code relu}, {@code leaky_relu}, {@code add}): elements of the input (crossover ≈ 200 K). Also
     * the cap on each array {@code conv2d} copies to Java.
     */
    static final long MAX_ELEMENTS = 1 << 17;

    private enum Mode { AUTO, NEVER, ALWAYS }

    private static final Mode MODE = mode();

    private SmallTensors() {}

    /** Whether a pointwise op on these arrays runs in Java ({@link #MAX_ELEMENTS}). */
    static boolean fit(INDArray... arrays) {
        return fit(MAX_ELEMENTS, arrays);
    }

    /** Whether every array is dense c-order float32 and at most {@code maxElements} long (nulls are skipped). */
    static boolean fit(long maxElements, INDArray... arrays) {
        if (MODE == Mode.NEVER) {
            return false;
        }
        for (INDArray array : arrays) {
            if (array != null && ((array.length() > maxElements && MODE != Mode.ALWAYS) || !isDenseFloat(array))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a Java kernel that reads {@code x} as it lies in memory (indexing by its strides) may take it: float32,
     * non-empty, dense in c order or in a permuted order (a convolution's channels-last result). No size limit: the
     * caller bounds what it copies.
     */
    static boolean fitAsLaid(INDArray x) {
        return MODE != Mode.NEVER && x.dataType() == DataType.FLOAT && !x.isEmpty()
                && (Layouts.isDenseC(x) || MemoryOrder.permutedOrder(x) != null);
    }

    /** Whether an op of {@code work} (multiply-adds) runs in Java: at most {@code maxWork}, or at any size. */
    static boolean fitWork(long work, long maxWork) {
        return work <= maxWork || MODE == Mode.ALWAYS;
    }

    private static boolean isDenseFloat(INDArray x) {
        return x.dataType() == DataType.FLOAT && !x.isEmpty() && Layouts.isDenseC(x);
    }

    /** The mode the system property asks for; {@code NEVER} off ND4J's CPU backends. */
    private static Mode mode() {
        String value = System.getProperty(PROPERTY, "auto").trim();
        Mode mode;
        try {
            mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": expected one of "
                    + Arrays.stream(Mode.values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList(), e);
        }
        return Nd4j.getEnvironment().isCPU() ? mode : Mode.NEVER;
    }
}
