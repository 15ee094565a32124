package dev.shapeproof.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a {@code .safetensors} file: an 8-byte little-endian header length N, N bytes of JSON, then the data.
 *
 * <pre>
 * {"__metadata__": {"format": "pt"},
 *  "conv1.weight": {"dtype": "F32", "shape": [10, 1, 5, 5], "data_offsets": [0, 1000]}, ...}
 * </pre>
 *
 * The whole header is validated before any tensor is read, with the reference implementation's rules: N at most
 * {@value #MAX_HEADER_BYTES} bytes and inside the file; exactly {@code dtype}, {@code shape} and
 * {@code data_offsets} per tensor; offsets relative to the data, {@code end - begin = elements × size}; and the
 * tensors tile the data exactly, with no overlap, no hole and nothing after the last one.
 */
final class SafetensorsReader {
    /** A little above the reference implementation's limit (100,000,000 bytes). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    static final String METADATA = "__metadata__";

    private static final Set<String> FIELDS = Set.of("dtype", "shape", "data_offsets");

    private SafetensorsReader() {}

    private record Entry(String key, StoredType type, long[] shape, long begin, long end) {}

    static LoadedState read(Path file, long fileSize) throws WeightFileException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (fileSize < 8) {
                throw WeightFileException.of(file, "too short for a safetensors file (" + fileSize
                        + " bytes; the 8-byte header length alone is longer)");
            }
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, prefix, 0);
            long headerLength = prefix.getLong(0);
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw WeightFileException.of(file, "header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
            }
            if (headerLength > fileSize - 8) {
                throw WeightFileException.of(file, "header length " + headerLength + " runs past the end of the file ("
                        + fileSize + " bytes; truncated?)");
            }
            if (headerLength < 2) {
                throw WeightFileException.of(file, "header length " + headerLength + " is too short for a JSON object");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            if (!readFully(channel, headerBytes, 8)) {
                throw WeightFileException.of(file, "truncated: the file ends inside the header");
            }
            headerBytes.flip();
            String headerText;
            try {
                headerText = StandardCharsets.UTF_8.newDecoder().decode(headerBytes).toString();
            } catch (CharacterCodingException e) {
                throw WeightFileException.of(file, "the header is not valid UTF-8 (not a safetensors file?)");
            }
            long dataStart = 8 + headerLength;
            List<Entry> entries = parseHeader(file, headerText, fileSize - dataStart);

            Map<String, INDArray> tensors = new LinkedHashMap<>();
            Conversions conversions = new Conversions();
            for (Entry entry : entries) {
                String where = "key '" + entry.key() + "'";
                long begin = dataStart + entry.begin();
                try (InputStream in = new RangeInputStream(channel, begin, dataStart + entry.end())) {
                    tensors.put(entry.key(), TensorDecoder.decode(in,
                            new TensorDecoder.Layout(entry.type(), ByteOrder.LITTLE_ENDIAN, entry.shape(), false),
                            entry.key(), true, conversions));
                } catch (BadInput e) {
                    throw WeightFileException.at(file, entry.key(), where, e.getMessage());
                }
            }
            return new LoadedState(file, tensors, conversions.notes());
        } catch (WeightFileException e) {
            throw e;
        } catch (IOException e) {
            throw WeightFileException.of(file, "cannot read: " + e, e);
        }
    }

    /** Every tensor's dtype, shape and offsets, checked against each other and the data length. */
    private static List<Entry> parseHeader(Path file, String text, long dataLength) throws WeightFileException {
        Object root;
        try {
            root = Json.parse(text);
        } catch (BadInput e) {
            throw WeightFileException.of(file, e.getMessage());
        }
        if (!(root instanceof Map<?, ?> members)) {
            throw WeightFileException.of(file, "the header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> member : members.entrySet()) {
            String key = (String) member.getKey();
            Object value = member.getValue();
            if (key.equals(METADATA)) {
                checkMetadata(file, value);
                continue;
            }
            String where = "key '" + key + "'";
            try {
                entries.add(entry(key, value, dataLength));
            } catch (BadInput e) {
                throw WeightFileException.at(file, key, where, e.getMessage());
            }
        }
        // The tensors must tile [0, dataLength): sort by offset, then each begins where the previous ended.
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry entry : byOffset) {
            if (entry.begin() < covered) {
                throw WeightFileException.at(file, entry.key(), "key '" + entry.key() + "'", "data_offsets "
                        + range(entry) + " overlap those of '" + previous.key() + "' " + range(previous));
            }
            if (entry.begin() > covered) {
                throw WeightFileException.of(file, "the data bytes [" + covered + ", " + entry.begin()
                        + ") belong to no tensor (a hole before '" + entry.key() + "')");
            }
            covered = entry.end();
            previous = entry;
        }
        if (covered != dataLength) {
            throw WeightFileException.of(file, "the data holds " + dataLength + " bytes but the tensors cover "
                    + covered + (covered < dataLength ? " (trailing bytes)" : ""));
        }
        return entries;
    }

    private static Entry entry(String key, Object value, long dataLength) throws BadInput {
        if (!(value instanceof Map<?, ?> fields)) {
            throw new BadInput("expected an object with dtype, shape and data_offsets, found " + kind(value));
        }
        if (!fields.keySet().equals(FIELDS)) {
            throw new BadInput("the tensor's fields are " + fields.keySet()
                    + "; safetensors gives exactly dtype, shape and data_offsets");
        }
        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new BadInput("dtype is not a string: " + kind(fields.get("dtype")));
        }
        StoredType type = StoredType.ofSafetensors(dtype);
        if (type == null) {
            throw new BadInput("unsupported dtype \"" + dtype + "\"; weights must be F32, F64, F16 or BF16 (I64 only "
                    + "for *" + StoredType.COUNTER_SUFFIX + ")");
        }
        if (type == StoredType.INT64 && StoredType.int64Refusal(key) != null) {
            throw new BadInput("dtype I64: " + StoredType.int64Refusal(key));
        }
        long[] shape = longs(fields.get("shape"), "shape", -1);
        long[] offsets = longs(fields.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new BadInput("data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataLength) {
            throw new BadInput("data_offsets [" + begin + ", " + end + "] run past the end of the data ("
                    + dataLength + " bytes; truncated?)");
        }
        long count = Shapes.elementCount(shape);
        long bytes = count * type.size;
        if (end - begin != bytes) {
            throw new BadInput("shape " + Shapes.list(shape) + " of " + dtype + " needs " + bytes
                    + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(key, type, shape, begin, end);
    }

    private static long[] longs(Object value, String field, int length) throws BadInput {
        if (!(value instanceof List<?> list)) {
            throw new BadInput(field + " is not an array of integers: " + kind(value));
        }
        if (length >= 0 && list.size() != length) {
            throw new BadInput(field + " has " + list.size() + " elements, expected " + length);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Json.Number number)) {
                throw new BadInput(field + " holds " + kind(list.get(i)) + ", expected non-negative integers");
            }
            try {
                out[i] = number.nonNegativeLong();
            } catch (BadInput e) {
                throw new BadInput(field + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static void checkMetadata(Path file, Object value) throws WeightFileException {
        if (!(value instanceof Map<?, ?> metadata)) {
            throw WeightFileException.of(file, "__metadata__ is not an object of strings");
        }
        for (Map.Entry<?, ?> item : metadata.entrySet()) {
            if (!(item.getValue() instanceof String)) {
                throw WeightFileException.of(file, "__metadata__ \"" + item.getKey() + "\" is not a string: "
                        + kind(item.getValue()));
            }
        }
    }

    private static String kind(Object value) {
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\"";
        }
        if (value instanceof Json.Number n) {
            return "the number " + n;
        }
        return String.valueOf(value);
    }

    private static String range(Entry entry) {
        return "[" + entry.begin() + ", " + entry.end() + "]";
    }

    /** Fills {@code buffer} from {@code position}; false if the file ends first. */
    private static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }

    /** The bytes [begin, end) of a file, by positional reads: the channel's own position is never moved. */
    private static final class RangeInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RangeInputStream(FileChannel channel, long begin, long end) {
            this.channel = channel;
            this.position = begin;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            long left = end - position;
            if (left <= 0) {
                return -1;
            }
            ByteBuffer target = ByteBuffer.wrap(bytes, offset, (int) Math.min(length, left));
            int n = channel.read(target, position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() {
            // The channel belongs to the reader.
        }
    }
}
