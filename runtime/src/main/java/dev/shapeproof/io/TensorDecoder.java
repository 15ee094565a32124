package dev.shapeproof.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a tensor's raw bytes into a c-order INDArray: float32 for every float type, int64 for the counter.
 *
 * <p>The bytes are read in chunks and decoded as they arrive, so memory follows the bytes that really exist: where
 * the caller cannot vouch for the declared size (a deflated zip entry can claim anything), the array starts small
 * and grows, and a short stream ends in "truncated" long before a lying shape could exhaust the heap. Where the size is
 * verified, a float tensor is decoded straight into the native buffer of its ND4J array: loading never holds a heap
 * copy of a tensor, which would leave the heap's peak committed (as resident memory) for the life of the process.
 */
final class TensorDecoder {
    private static final int CHUNK = 1 << 16; // a multiple of every element size
    private static final int UNTRUSTED_START = 1 << 18; // elements allocated up front for an unverified size

    private TensorDecoder() {}

    /** Where the bytes come from and how they are laid out. */
    record Layout(StoredType type, ByteOrder order, long[] shape, boolean fortranOrder) {}

    /**
     * Reads exactly {@code count × size} bytes from {@code in} and builds the array.
     *
     * @param sizeVerified whether those bytes are known to exist (a stored zip entry, a range of a file whose length
     *                     was checked); if not, the arrays grow as data arrives
     */
    static INDArray decode(InputStream in, Layout layout, String key, boolean sizeVerified, Conversions conversions)
            throws IOException, BadInput {
        long count = Shapes.elementCount(layout.shape());
        long byteCount = count * layout.type().size; // count ≤ 2^31, size ≤ 8: no overflow
        int elements = (int) count;
        int capacity = sizeVerified ? elements : Math.min(elements, UNTRUSTED_START);
        ByteOrder order = layout.order();
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(byteCount, 1))];

        if (layout.type() == StoredType.INT64) {
            long[] values = allocateLongs(capacity, byteCount);
            int filled = 0;
            while (filled < elements) {
                int n = readChunk(in, chunk, (long) (elements - filled) * 8, (long) filled * 8, byteCount) / 8;
                if (filled + n > values.length) {
                    values = growLongs(values, grow(values.length, filled + n, elements, byteCount, 8), byteCount);
                }
                ByteBuffer.wrap(chunk, 0, n * 8).order(order).asLongBuffer().get(values, filled, n);
                filled += n;
            }
            if (layout.fortranOrder()) {
                values = fortranToC(values, layout.shape());
            }
            if (layout.shape().length == 0) {
                return Nd4j.scalar(values[0]);
            }
            return elements == 0
                    ? empty(DataType.LONG, layout.shape())
                    : Nd4j.create(values, layout.shape(), DataType.LONG);
        }

        FloatSink sink = sizeVerified && elements > 0 && layout.shape().length > 0
                ? NativeFloats.allocate(layout.shape(), layout.fortranOrder(), byteCount)
                : new HeapFloats(capacity, elements, byteCount);
        try {
            decodeFloats(in, layout, key, conversions, chunk, sink, elements, byteCount);
            return sink.finish(layout.shape(), layout.fortranOrder());
        } catch (IOException | BadInput | RuntimeException | Error e) {
            sink.discard();
            throw e;
        }
    }

    /**
     * Decodes {@code elements} values of a float type from {@code in} into {@code sink}, one chunk at a time through
     * a small reused array, counting the doubles that do not fit a float.
     */
    private static void decodeFloats(InputStream in, Layout layout, String key, Conversions conversions, byte[] chunk,
                                     FloatSink sink, int elements, long byteCount) throws IOException, BadInput {
        int size = layout.type().size;
        float[] decoded = new float[chunk.length / size];
        int filled = 0;
        long overflowed = 0;
        long underflowed = 0;
        while (filled < elements) {
            int n = readChunk(in, chunk, (long) (elements - filled) * size, (long) filled * size, byteCount) / size;
            ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, n * size).order(layout.order());
            switch (layout.type()) {
                case FLOAT32 -> bytes.asFloatBuffer().get(decoded, 0, n);
                case FLOAT64 -> {
                    for (int i = 0; i < n; i++) {
                        double wide = bytes.getDouble(i * 8);
                        float narrow = (float) wide;
                        if (Float.isInfinite(narrow) && !Double.isInfinite(wide)) {
                            overflowed++;
                        } else if (narrow == 0f && wide != 0d) {
                            underflowed++;
                        }
                        decoded[i] = narrow;
                    }
                }
                case FLOAT16 -> {
                    for (int i = 0; i < n; i++) {
                        decoded[i] = HalfFloats.halfToFloat(bytes.getShort(i * 2));
                    }
                }
                case BFLOAT16 -> {
                    for (int i = 0; i < n; i++) {
                        decoded[i] = HalfFloats.bfloat16ToFloat(bytes.getShort(i * 2));
                    }
                }
                default -> throw new AssertionError(layout.type());
            }
            sink.write(decoded, filled, n);
            filled += n;
        }
        if (layout.type() != StoredType.FLOAT32) {
            conversions.converted(layout.type(), key);
        }
        if (overflowed > 0) {
            conversions.overflowed(key, overflowed);
        }
        if (underflowed > 0) {
            conversions.underflowed(key, underflowed);
        }
    }

    /** Where decoded floats go, chunk by chunk, in the file's element order. */
    private interface FloatSink {
        /** Stores {@code chunk[0, n)} as elements {@code [at, at + n)}. */
        void write(float[] chunk, int at, int n) throws BadInput;

        /** The c-order array of every element written. */
        INDArray finish(long[] shape, boolean fortranOrder);

        /** Frees what was allocated: the data turned out bad. */
        void discard();
    }

    /**
     * A size that was verified against the bytes that exist: the floats go straight into the native buffer of an ND4J
     * array allocated up front, so no heap array of the tensor's size is ever made (the heap would keep its peak
     * committed long after the load, on top of the native copy). Fortran order is written into an f-order array's
     * buffer (the same element order) and copied to c order natively.
     */
    private static final class NativeFloats implements FloatSink {
        private final INDArray array;
        private final FloatPointer buffer;

        private NativeFloats(INDArray array) {
            this.array = array;
            this.buffer = new FloatPointer(array.data().pointer());
        }

        static NativeFloats allocate(long[] shape, boolean fortranOrder, long byteCount) throws BadInput {
            try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return new NativeFloats(Nd4j.createUninitialized(DataType.FLOAT, shape, fortranOrder ? 'f' : 'c'));
            } catch (OutOfMemoryError e) {
                throw new BadInput("the tensor (" + byteCount + " bytes in the file) does not fit in memory ("
                        + e.getMessage() + ")");
            }
        }

        @Override
        public void write(float[] chunk, int at, int n) {
            buffer.position(at).put(chunk, 0, n);
        }

        @Override
        public INDArray finish(long[] shape, boolean fortranOrder) {
            if (!fortranOrder) {
                return array;
            }
            try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray c = array.dup('c');
                array.close();
                return c;
            }
        }

        @Override
        public void discard() {
            array.close();
        }
    }

    /**
     * A size nobody vouched for: a heap array that starts at most {@link #UNTRUSTED_START} elements and doubles as
     * data arrives, so a short stream fails long before a lying header could exhaust memory.
     */
    private static final class HeapFloats implements FloatSink {
        private final int elements;
        private final long byteCount;
        private float[] values;

        HeapFloats(int capacity, int elements, long byteCount) throws BadInput {
            this.elements = elements;
            this.byteCount = byteCount;
            this.values = allocateFloats(capacity, byteCount);
        }

        @Override
        public void write(float[] chunk, int at, int n) throws BadInput {
            if (at + n > values.length) {
                values = growFloats(values, grow(values.length, at + n, elements, byteCount, 4), byteCount);
            }
            System.arraycopy(chunk, 0, values, at, n);
        }

        @Override
        public INDArray finish(long[] shape, boolean fortranOrder) {
            if (elements == 0) {
                return empty(DataType.FLOAT, shape);
            }
            float[] ordered = fortranOrder ? fortranToC(values, shape) : values;
            return shape.length == 0 ? Nd4j.scalar(ordered[0]) : Nd4j.create(ordered, shape, DataType.FLOAT);
        }

        @Override
        public void discard() {}
    }

    private static INDArray empty(DataType type, long[] shape) {
        return Nd4j.create(type, shape, 'c');
    }

    /**
     * Reads the next chunk in full: at most {@code remaining} bytes, never fewer unless the stream ends, which is
     * a truncated tensor.
     */
    private static int readChunk(InputStream in, byte[] chunk, long remaining, long done, long total)
            throws IOException, BadInput {
        int want = (int) Math.min(chunk.length, remaining);
        int got = in.readNBytes(chunk, 0, want);
        if (got < want) {
            throw new BadInput("truncated: the data ends after " + (done + got) + " of " + total + " bytes");
        }
        return got;
    }

    private static int grow(int capacity, int needed, int limit, long byteCount, int width) throws BadInput {
        long grown = Math.max((long) capacity * 2, needed);
        int next = (int) Math.min(grown, limit);
        checkHeap((long) next * width, byteCount);
        return next;
    }

    private static float[] growFloats(float[] values, int capacity, long byteCount) throws BadInput {
        try {
            return Arrays.copyOf(values, capacity);
        } catch (OutOfMemoryError e) {
            throw tooBig(byteCount);
        }
    }

    private static long[] growLongs(long[] values, int capacity, long byteCount) throws BadInput {
        try {
            return Arrays.copyOf(values, capacity);
        } catch (OutOfMemoryError e) {
            throw tooBig(byteCount);
        }
    }

    private static float[] allocateFloats(int capacity, long byteCount) throws BadInput {
        checkHeap((long) capacity * 4, byteCount);
        try {
            return new float[capacity];
        } catch (OutOfMemoryError e) {
            throw tooBig(byteCount);
        }
    }

    private static long[] allocateLongs(int capacity, long byteCount) throws BadInput {
        checkHeap((long) capacity * 8, byteCount);
        try {
            return new long[capacity];
        } catch (OutOfMemoryError e) {
            throw tooBig(byteCount);
        }
    }

    /** One array larger than the whole heap can never be allocated: say so instead of throwing OutOfMemoryError. */
    private static void checkHeap(long bytes, long byteCount) throws BadInput {
        if (bytes > Runtime.getRuntime().maxMemory()) {
            throw tooBig(byteCount);
        }
    }

    private static BadInput tooBig(long byteCount) {
        return new BadInput("the tensor (" + byteCount + " bytes in the file) does not fit in the Java heap (-Xmx "
                + Runtime.getRuntime().maxMemory() + " bytes)");
    }

    /**
     * Reorders column-major ({@code fortran_order=True}) data to row-major: element (i0, ..., in-1) sits at
     * {@code i0 + d0·(i1 + d1·(...))} in the input. Walks the output in order, keeping the input offset with an
     * odometer.
     */
    static float[] fortranToC(float[] in, long[] shape) {
        if (shape.length < 2) {
            return in;
        }
        float[] out = new float[in.length];
        Odometer odometer = new Odometer(shape);
        for (int i = 0; i < out.length; i++) {
            out[i] = in[odometer.offset];
            odometer.next();
        }
        return out;
    }

    static long[] fortranToC(long[] in, long[] shape) {
        if (shape.length < 2) {
            return in;
        }
        long[] out = new long[in.length];
        Odometer odometer = new Odometer(shape);
        for (int i = 0; i < out.length; i++) {
            out[i] = in[odometer.offset];
            odometer.next();
        }
        return out;
    }

    /** The column-major offset of a row-major walk over {@code shape}. */
    private static final class Odometer {
        private final int[] dims;
        private final int[] strides;
        private final int[] index;
        int offset;

        Odometer(long[] shape) {
            dims = new int[shape.length];
            strides = new int[shape.length];
            index = new int[shape.length];
            int stride = 1;
            for (int k = 0; k < shape.length; k++) {
                dims[k] = (int) shape[k];
                strides[k] = stride;
                stride *= dims[k];
            }
        }

        void next() {
            for (int k = dims.length - 1; k >= 0; k--) {
                index[k]++;
                offset += strides[k];
                if (index[k] < dims[k]) {
                    return;
                }
                offset -= strides[k] * dims[k];
                index[k] = 0;
            }
        }
    }
}
