package dev.shapeproof.nn.ops;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The data movement of the Java kernels: a dense float32 {@code INDArray} copied into a Java array and a result copied
 * back, each by one bulk JNI copy (about a microsecond per 10 K floats), and the per-thread Java arrays they use, so
 * that the Java path allocates nothing on the heap per call. The kernels' arrays are dense and row-major; sizes are
 * passed explicitly.
 */
final class JavaArrays {
    /** Per thread: reusable Java arrays, so the Java path allocates nothing on the heap per call. */
    private static final ThreadLocal<float[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new float[Slot.values().length][]);

    /** Per thread: reusable row matrices (arrays of rows, see the Java kernel of conv2d). */
    private static final ThreadLocal<float[][][]> ROWS =
            ThreadLocal.withInitial(() -> new float[Rows.values().length][][]);

    /** The scratch arrays one kernel call may hold at once. */
    enum Slot { INPUT, SECOND_INPUT, VARIANCE, WEIGHT, BIAS, OUTPUT }

    /** The scratch row matrices one kernel call may hold at once. */
    enum Rows { COLUMNS, ACCUMULATORS }

    private JavaArrays() {}

    /**
     * {@code x}'s elements, in c order, in this thread's scratch array for {@code slot} (longer than needed). Weights
     * are read like activations, on every call: a copy kept on the layer would go stale, silently, if someone changed
     * a parameter array in place, and the copy costs about a microsecond per 10 K floats.
     */
    static float[] read(INDArray x, Slot slot) {
        return read(x, 0, Math.toIntExact(x.length()), slot);
    }

    /**
     * Elements {@code [first, first + length)} of {@code x}'s buffer, counted from {@code x}'s first element, in this
     * thread's scratch array for {@code slot}: a part of an array dense in some memory order (one image of a batch).
     */
    static float[] read(INDArray x, long first, int length, Slot slot) {
        float[] values = scratch(slot, length);
        elements(x).position(x.offset() + first).get(values, 0, length);
        return values;
    }

    /** Copies the first {@code length} of {@code values} into {@code target}'s buffer from its element {@code first}. */
    static void write(float[] values, int length, INDArray target, long first) {
        elements(target).position(target.offset() + first).put(values, 0, length);
    }

    /** This thread's scratch array for {@code slot}, at least {@code length} long; its contents are undefined. */
    static float[] scratch(Slot slot, int length) {
        float[][] arrays = SCRATCH.get();
        float[] array = arrays[slot.ordinal()];
        if (array == null || array.length < length) {
            array = new float[Math.max(length, 64)];
            arrays[slot.ordinal()] = array;
        }
        return array;
    }

    /**
     * This thread's scratch matrix for {@code which}: at least {@code count} rows, the first {@code count} of at least
     * {@code length}. Rows grow one by one, so a tall matrix after a long one never becomes tall × long.
     */
    static float[][] rows(Rows which, int count, int length) {
        float[][][] matrices = ROWS.get();
        float[][] rows = matrices[which.ordinal()];
        if (rows == null || rows.length < count) {
            float[][] grown = new float[count][];
            if (rows != null) {
                System.arraycopy(rows, 0, grown, 0, rows.length);
            }
            rows = grown;
            matrices[which.ordinal()] = rows;
        }
        for (int r = 0; r < count; r++) {
            if (rows[r] == null || rows[r].length < length) {
                rows[r] = new float[length];
            }
        }
        return rows;
    }

    /**
     * A float32 array of {@code shape} holding {@code values}: in a generated forward one of its reused arrays
     * ({@link CallMemory#floatArray}), elsewhere a new one.
     */
    static INDArray create(float[] values, long... shape) {
        INDArray result = CallMemory.floatArray(shape);
        write(values, result);
        return result;
    }

    /** Copies the first {@code target.length()} of {@code values} into the dense array {@code target}. */
    static void write(float[] values, INDArray target) {
        write(values, Math.toIntExact(target.length()), target, 0);
    }

    /** {@link #write}, then {@code target}: an in-place op's result. */
    static INDArray written(float[] values, INDArray target) {
        write(values, target);
        return target;
    }

    /**
     * A pointer to {@code x}'s first element. The buffer's own pointer plus the array's offset: for a view, ND4J's
     * {@code addressPointer()} already includes the offset, and {@code asNioFloat()} costs a JavaCPP allocation check
     * (it reads /proc) on every call. A copy of the pointer object, so moving it never moves the buffer's.
     */
    private static FloatPointer elements(INDArray x) {
        return new FloatPointer(x.data().pointer()).position(x.offset());
    }
}
