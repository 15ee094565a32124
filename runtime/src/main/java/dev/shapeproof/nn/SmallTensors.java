package dev.shapeproof.nn;

import dev.shapeproof.nn.JavaArrays.Slot;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * When {@link F} computes in plain Java ({@link SmallKernels}) instead of calling ND4J; {@link JavaArrays} moves the data.
 *
 * <p>Why: an ND4J op call costs 8–60 µs before it does any arithmetic (op construction, a native shape computation,
 * the output's native shape descriptor, JNI, oneDNN primitive set-up), whatever the tensor's size. A batch-1 MNIST
 * net spends almost all its time there: its ten ops do 0.5 M multiply-adds, which plain Java does in tens of
 * microseconds. So tensors under measured sizes are copied to Java arrays, computed there and copied back (a bulk copy
 * of 10 K floats takes about a microsecond); larger ones go to ND4J, whose kernels then win. The limits below are
 * the crossovers measured by {@code bench/crossover.sh}. In a generated forward the arrays the Java kernels return are
 * reused from call to call ({@link ForwardWorkspace}), since creating an {@code INDArray} costs as much again.
 *
 * <p>Only on ND4J's CPU backends (on CUDA the copies would cross the bus), only for dense c-order float32 arrays.
 * The system property {@value #PROPERTY}{@code =never} sends everything to ND4J (the tests run both ways). The
 * Java kernels run on the calling thread only: a forward with small tensors gains nothing from OMP_NUM_THREADS.
 */
final class SmallTensors {
    /**
     * System property: {@code auto} (default: the Java kernels under the limits below), {@code never} (ND4J
     * only) or {@code always} (the Java kernels at any size; for measuring the crossovers, never faster).
     */
    static final String PROPERTY = "shapeproof.smallTensorKernels";

    private enum Mode { AUTO, NEVER, ALWAYS }

    // The limits: where the Java kernel stops being faster than ND4J's, on the oneDNN build with one thread
    // (bench/crossover.sh; table and discussion in bench/README.md). Past them the Java loops lose to ND4J's
    // vectorised, blocked kernels, at up to 3–15× the time.

    /** Pointwise ops ({@code relu}, {@code leaky_relu}, {@code add}): elements of the input (crossover ≈ 200 K). */
    static final long MAX_ELEMENTS = 1 << 17;
    /** {@code softmax}, {@code log_softmax}: elements (crossover ≈ 10 K; the exponentials are scalar here). */
    static final long MAX_SOFTMAX_ELEMENTS = 1 << 13;
    /** {@code linear}: multiply-adds (crossover 130–250 K). */
    static final long MAX_LINEAR_MACS = 1 << 17;

    private static final Mode MODE = mode();

    private SmallTensors() {}

    // ----------------------------------------------------------------- F's ops on the Java path (callers check fit)

    static INDArray linear(INDArray x, INDArray weight, INDArray bias) {
        long[] shape = x.shape().clone(); // shape() is the array's own field
        int in = Math.toIntExact(weight.size(1));
        int out = Math.toIntExact(weight.size(0));
        int rows = Math.toIntExact(x.length() / in);
        float[] y = JavaArrays.scratch(Slot.OUTPUT, Math.multiplyExact(rows, out));
        SmallKernels.linear(JavaArrays.read(x, Slot.INPUT), rows, in, JavaArrays.read(weight, Slot.WEIGHT),
                bias == null ? null : JavaArrays.read(bias, Slot.BIAS), out, y);
        shape[shape.length - 1] = out;
        return JavaArrays.create(y, shape);
    }

    /** {@code softmax} or {@code log_softmax} along {@code dim} (already resolved, non-negative). */
    static INDArray softmax(INDArray x, int dim, boolean log) {
        long[] shape = x.shape();
        long outer = 1;
        long inner = 1;
        for (int k = 0; k < shape.length; k++) {
            if (k < dim) {
                outer *= shape[k];
            } else if (k > dim) {
                inner *= shape[k];
            }
        }
        int length = Math.toIntExact(x.length());
        float[] y = JavaArrays.scratch(Slot.OUTPUT, length);
        SmallKernels.softmax(JavaArrays.read(x, Slot.INPUT), (int) outer, (int) shape[dim], (int) inner, log, y);
        return JavaArrays.create(y, shape);
    }

    /** {@code a + b} on equal shapes; in place writes into {@code a}. */
    static INDArray add(INDArray a, INDArray b, boolean inPlace) {
        int length = Math.toIntExact(a.length());
        float[] values = JavaArrays.read(a, Slot.INPUT);
        SmallKernels.add(values, JavaArrays.read(b, Slot.SECOND_INPUT), length, values);
        return inPlace ? JavaArrays.written(values, a) : JavaArrays.create(values, a.shape());
    }

    // ------------------------------------------------------------------------------------------- which path runs

    /** Whether a pointwise op on these arrays runs in Java ({@link #MAX_ELEMENTS}). */
    static boolean fit(INDArray... arrays) {
        return fit(MAX_ELEMENTS, arrays);
    }

    /** Whether {@code softmax} or {@code log_softmax} of {@code x} runs in Java. */
    static boolean fitSoftmax(INDArray x) {
        return fit(MAX_SOFTMAX_ELEMENTS, x);
    }

    /** Whether {@code linear} of {@code x} with {@code weight [out, in]} runs in Java. */
    static boolean fitLinear(INDArray x, INDArray weight, INDArray bias) {
        long macs = x.length() * weight.size(0);
        return (macs <= MAX_LINEAR_MACS || MODE == Mode.ALWAYS) && fit(MAX_LINEAR_MACS, x, weight, bias);
    }

    /** Whether an op of {@code work} (multiply-adds) runs in Java: at most {@code maxWork}, or at any size. */
    static boolean fitWork(long work, long maxWork) {
        return work <= maxWork || MODE == Mode.ALWAYS;
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

    private static boolean isDenseFloat(INDArray x) {
        return x.dataType() == DataType.FLOAT && !x.isEmpty() && isDense(x);
    }

    /** Whether {@code x}'s elements lie in c order without gaps, so one bulk copy reads them. */
    private static boolean isDense(INDArray x) {
        long[] shape = x.shape();
        long[] stride = x.stride();
        long expected = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            if (shape[k] != 1 && stride[k] != expected) {
                return false;
            }
            expected *= shape[k];
        }
        return true;
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
