package dev.shapeproof.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An INDArray's values as little-endian bytes in c order, whatever the array's ordering or view.
 *
 * <p>ND4J's own {@code writeAsNumpy} writes the raw buffer of an f-order array or a view under a c-order header:
 * wrong data, no error. Here every array is copied with {@code dup('c')} first, so the buffer holds exactly the
 * array's elements in row-major order.
 */
final class TensorEncoder {
    private static final int CHUNK_ELEMENTS = 1 << 14;

    private TensorEncoder() {}

    /** What an array is written as, or an {@link IllegalArgumentException} naming the key. */
    static StoredType typeOf(String key, INDArray array, boolean bfloat16Allowed, String format) {
        DataType dataType = array.dataType();
        StoredType type = switch (dataType) {
            case FLOAT -> StoredType.FLOAT32;
            case DOUBLE -> StoredType.FLOAT64;
            case HALF -> StoredType.FLOAT16;
            case BFLOAT16 -> StoredType.BFLOAT16;
            case LONG -> StoredType.INT64;
            default -> null;
        };
        if (type == null) {
            throw new IllegalArgumentException("'" + key + "': cannot write a " + dataType + " tensor; weights must be "
                    + "FLOAT, DOUBLE, HALF or BFLOAT16 (LONG only for *" + StoredType.COUNTER_SUFFIX + ")");
        }
        if (type == StoredType.BFLOAT16 && !bfloat16Allowed) {
            throw new IllegalArgumentException("'" + key + "': " + format + " has no bfloat16 type; cast the tensor to "
                    + "FLOAT first");
        }
        if (type == StoredType.INT64 && StoredType.int64Refusal(key) != null) {
            throw new IllegalArgumentException("'" + key + "': " + StoredType.int64Refusal(key));
        }
        try {
            Shapes.elementCount(array.shape());
        } catch (BadInput e) {
            throw new IllegalArgumentException("'" + key + "': " + e.getMessage());
        }
        return type;
    }

    static long byteCount(INDArray array, StoredType type) {
        return array.length() * type.size;
    }

    /** Writes the elements of {@code array} as {@code type}, little-endian, row-major. */
    static void write(INDArray array, StoredType type, OutputStream out) throws IOException {
        int length = (int) array.length();
        if (length == 0) {
            return;
        }
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_ELEMENTS * type.size).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case INT64 -> {
                long[] values = array.dup('c').data().asLong();
                for (int i = 0; i < length; i++) {
                    chunk.putLong(values[i]);
                    flushIfFull(chunk, out);
                }
            }
            case FLOAT64 -> {
                double[] values = array.dup('c').data().asDouble();
                for (int i = 0; i < length; i++) {
                    chunk.putDouble(values[i]);
                    flushIfFull(chunk, out);
                }
            }
            default -> {
                // float32, and the 16-bit types by way of float32, which holds each of their values exactly.
                float[] values = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
                for (int i = 0; i < length; i++) {
                    switch (type) {
                        case FLOAT32 -> chunk.putFloat(values[i]);
                        case FLOAT16 -> chunk.putShort(HalfFloats.floatToHalf(values[i]));
                        case BFLOAT16 -> chunk.putShort(HalfFloats.floatToBfloat16(values[i]));
                        default -> throw new AssertionError(type);
                    }
                    flushIfFull(chunk, out);
                }
            }
        }
        if (chunk.position() > 0) {
            out.write(chunk.array(), 0, chunk.position());
        }
    }

    private static void flushIfFull(ByteBuffer chunk, OutputStream out) throws IOException {
        if (!chunk.hasRemaining()) {
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
        }
    }
}
