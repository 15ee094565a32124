package dev.shapeproof.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads an {@code .npz}: a zip of {@code <key>.npy} entries, stored ({@code np.savez}) or deflated
 * ({@code np.savez_compressed}).
 *
 * <p>Every entry is checked before its data is decoded: a {@code .npy} name, no duplicates, a declared size that
 * matches the header's shape and dtype exactly, the CRC, and the end of the entry right after the data. The
 * compressed sizes together must fit in the file, which rules out zips whose entries share bytes.
 */
final class NpzReader {
    private static final String SUFFIX = ".npy";

    private NpzReader() {}

    static LoadedState read(Path file, long fileSize) throws WeightFileException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw WeightFileException.of(file, "corrupt or truncated zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw WeightFileException.of(file, "cannot open the zip archive: " + e, e);
        }
        try (zip) {
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            Conversions conversions = new Conversions();
            long compressedTotal = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                String where = "entry '" + name + "'";
                if (entry.isDirectory() || !name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
                    throw WeightFileException.at(file, null, where, "not a <key>.npy array; an .npz holds only those");
                }
                String key = name.substring(0, name.length() - SUFFIX.length());
                if (tensors.containsKey(key)) {
                    throw WeightFileException.at(file, key, where, "duplicate entry: the key '" + key
                            + "' appears twice in the archive");
                }
                long size = entry.getSize();
                long compressed = entry.getCompressedSize();
                if (size < 0 || compressed < 0) {
                    throw WeightFileException.at(file, key, where, "the zip directory does not give the entry's size");
                }
                compressedTotal += compressed;
                if (compressedTotal > fileSize) {
                    throw WeightFileException.at(file, key, where, "the entries claim " + compressedTotal
                            + " compressed bytes, more than the file's " + fileSize
                            + " (corrupt or overlapping entries)");
                }
                if (entry.getMethod() == ZipEntry.STORED && size != compressed) {
                    throw WeightFileException.at(file, key, where, "a stored entry whose size (" + size
                            + ") differs from its stored size (" + compressed + ")");
                }
                try {
                    tensors.put(key, readEntry(zip, entry, key, conversions));
                } catch (BadInput e) {
                    throw WeightFileException.at(file, key, where, e.getMessage());
                } catch (ZipException e) {
                    throw WeightFileException.at(file, key, where, "corrupt zip data (" + e.getMessage() + ")", e);
                } catch (IOException e) {
                    throw WeightFileException.at(file, key, where, "cannot read: " + e, e);
                }
            }
            return new LoadedState(file, tensors, conversions.notes());
        } catch (IOException e) {
            if (e instanceof WeightFileException w) {
                throw w;
            }
            // Only closing the archive gets here.
            throw WeightFileException.of(file, "cannot close the zip archive: " + e, e);
        }
    }

    private static INDArray readEntry(ZipFile zip, ZipEntry entry, String key, Conversions conversions)
            throws IOException, BadInput {
        long size = entry.getSize();
        CRC32 crc = new CRC32();
        try (InputStream raw = zip.getInputStream(entry); InputStream in = new CheckedInputStream(raw, crc)) {
            NpyFormat.Header header = NpyFormat.readHeader(in, size, key);
            long count = Shapes.elementCount(header.shape());
            long dataBytes = count * header.type().size;
            long available = size - header.dataOffset();
            if (dataBytes != available) {
                throw new BadInput("shape " + Shapes.tuple(header.shape()) + " of " + header.type().numpyName
                        + " needs " + dataBytes + " data bytes, the entry holds " + available
                        + (dataBytes > available ? " (truncated?)" : ""));
            }
            // A stored entry's bytes are in the file, whose size bounds them; a deflated one's size is a claim.
            boolean sizeVerified = entry.getMethod() == ZipEntry.STORED;
            INDArray array = TensorDecoder.decode(in,
                    new TensorDecoder.Layout(header.type(), header.order(), header.shape(), header.fortranOrder()),
                    key, sizeVerified, conversions);
            if (in.read() != -1) {
                throw new BadInput("the entry holds more bytes than its declared size (" + size + ")");
            }
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new BadInput(String.format("CRC mismatch: the data has CRC %08x, the zip directory says %08x"
                        + " (corrupt file)", crc.getValue(), entry.getCrc()));
            }
            return array;
        }
    }
}
