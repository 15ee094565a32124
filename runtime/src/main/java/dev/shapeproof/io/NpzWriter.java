package dev.shapeproof.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes an {@code .npz} as {@code np.savez} does: one stored (uncompressed) {@code <key>.npy} entry per tensor,
 * version 1.0 headers, little-endian, c order. Entry times are fixed, so the same tensors give the same bytes.
 */
final class NpzWriter {
    /** 1980-01-01 00:00:00 itself would make the JDK add an extended timestamp, which depends on the timezone. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);
    private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;

    private NpzWriter() {}

    /** Checks every tensor before anything is written. */
    static void validate(Map<String, INDArray> state) {
        for (Map.Entry<String, INDArray> entry : state.entrySet()) {
            INDArray array = entry.getValue();
            StoredType type = TensorEncoder.typeOf(entry.getKey(), array, false, ".npz (numpy)");
            long bytes = NpyFormat.header(descr(type), false, array.shape()).length
                    + TensorEncoder.byteCount(array, type);
            if (bytes > MAX_ENTRY_BYTES) {
                throw new IllegalArgumentException("'" + entry.getKey() + "': " + bytes
                        + " bytes is too large for one .npz entry here; use .safetensors");
            }
        }
    }

    static void write(Map<String, INDArray> state, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, INDArray> entry : state.entrySet()) {
            INDArray array = entry.getValue();
            StoredType type = TensorEncoder.typeOf(entry.getKey(), array, false, ".npz (numpy)");
            byte[] header = NpyFormat.header(descr(type), false, array.shape());
            ByteArrayOutputStream npy = new ByteArrayOutputStream(
                    (int) (header.length + TensorEncoder.byteCount(array, type)));
            npy.write(header);
            TensorEncoder.write(array, type, npy);
            byte[] bytes = npy.toByteArray();

            // A stored entry needs its size and CRC before its data.
            CRC32 crc = new CRC32();
            crc.update(bytes);
            ZipEntry zipEntry = new ZipEntry(entry.getKey() + ".npy");
            zipEntry.setMethod(ZipEntry.STORED);
            zipEntry.setSize(bytes.length);
            zipEntry.setCompressedSize(bytes.length);
            zipEntry.setCrc(crc.getValue());
            zipEntry.setTimeLocal(FIXED_TIME);
            zip.putNextEntry(zipEntry);
            zip.write(bytes);
            zip.closeEntry();
        }
        zip.finish();
    }

    private static String descr(StoredType type) {
        return (type.size == 1 ? "|" : "<") + type.npyCode;
    }
}
