package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The committed fixtures (tools/golden/make_io_fixtures.py) and builders for hand-made, often hostile, files. */
final class IoFixtures {
    private IoFixtures() {}

    static Path resource(String name) {
        URL url = IoFixtures.class.getResource("/io/" + name);
        assertWithMessage("test resource io/%s (run tools/golden/make_io_fixtures.py)", name).that(url).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One tensor of net_expected.txt. */
    record Expected(String key, DataType type, long[] shape, float[] floats, long[] longs) {}

    /** net_expected.txt: the Net's state_dict as PyTorch wrote it, in state_dict order. */
    static Map<String, Expected> expectedNet() {
        Map<String, Expected> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(resource("net_expected.txt"), StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\\|", -1);
                long[] shape = parts[2].isEmpty() ? new long[0]
                        : Arrays.stream(parts[2].split(",")).mapToLong(Long::parseLong).toArray();
                String[] values = parts[3].split(" ");
                if (parts[1].equals("float32")) {
                    float[] floats = new float[values.length];
                    for (int i = 0; i < values.length; i++) {
                        floats[i] = Float.parseFloat(values[i]);
                    }
                    out.put(parts[0], new Expected(parts[0], DataType.FLOAT, shape, floats, null));
                } else {
                    long[] longs = Arrays.stream(values).mapToLong(Long::parseLong).toArray();
                    out.put(parts[0], new Expected(parts[0], DataType.LONG, shape, null, longs));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The expected shapes of the Net, as a generated model would declare them. */
    static Map<String, long[]> netShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        expectedNet().forEach((key, expected) -> shapes.put(key, expected.shape()));
        return shapes;
    }

    /** Asserts that {@code state} holds exactly the Net's tensors, values bit for bit, in state_dict order. */
    static void assertIsNet(LoadedState state) {
        Map<String, Expected> expected = expectedNet();
        assertThat(state.keys()).containsExactlyElementsIn(expected.keySet()).inOrder();
        assertTensorsMatch(state.tensors(), expected);
    }

    static void assertTensorsMatch(Map<String, INDArray> tensors, Map<String, Expected> expected) {
        expected.forEach((key, want) -> {
            INDArray got = tensors.get(key);
            assertWithMessage(key).that(got).isNotNull();
            assertWithMessage("%s dtype", key).that(got.dataType()).isEqualTo(want.type());
            assertWithMessage("%s shape", key).that(got.shape()).isEqualTo(want.shape());
            assertWithMessage("%s order", key).that(got.ordering()).isEqualTo('c');
            if (want.type() == DataType.FLOAT) {
                assertWithMessage("%s values", key).that(floats(got)).isEqualTo(want.floats());
            } else {
                assertWithMessage("%s values", key).that(longs(got)).isEqualTo(want.longs());
            }
        });
    }

    static float[] floats(INDArray array) {
        if (array.length() == 0) {
            return new float[0];
        }
        return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    static long[] longs(INDArray array) {
        return array.dup('c').data().asLong();
    }

    /**
     * Asserts that reading {@code file} fails fast with a {@link WeightFileException} whose message starts with the
     * file and contains every fragment.
     */
    static WeightFileException assertRejected(Path file, String... fragments) {
        long start = System.nanoTime();
        WeightFileException error = org.junit.jupiter.api.Assertions.assertThrows(WeightFileException.class,
                () -> StateDictFiles.read(file));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertWithMessage("time to reject %s", file).that(millis).isLessThan(5_000L);
        assertThat(error).hasMessageThat().startsWith(file + ": ");
        assertThat(error.file()).isEqualTo(file);
        for (String fragment : fragments) {
            assertThat(error).hasMessageThat().contains(fragment);
        }
        return error;
    }

    // ---- .npy and .npz by hand ----

    /** A .npy: magic, version, header length in the version's width, the header text verbatim, then data. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(12 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(NpyFormat.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        out.put(text).put(data);
        return Arrays.copyOf(out.array(), out.position());
    }

    static byte[] npy(String descr, String fortranOrder, String shape, byte[] data) {
        return npy(1, "{'descr': '" + descr + "', 'fortran_order': " + fortranOrder + ", 'shape': " + shape + ", }\n",
                data);
    }

    static byte[] littleEndianFloats(float... values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            out.putFloat(value);
        }
        return out.array();
    }

    static byte[] littleEndianLongs(long... values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            out.putLong(value);
        }
        return out.array();
    }

    /** Zip entries, name then bytes, in order. */
    static final class Zip {
        private final List<String> names = new ArrayList<>();
        private final List<byte[]> contents = new ArrayList<>();
        private boolean deflate;

        Zip add(String name, byte[] content) {
            names.add(name);
            contents.add(content);
            return this;
        }

        Zip deflated() {
            deflate = true;
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
                for (int i = 0; i < names.size(); i++) {
                    ZipEntry entry = new ZipEntry(names.get(i));
                    byte[] content = contents.get(i);
                    if (!deflate) {
                        CRC32 crc = new CRC32();
                        crc.update(content);
                        entry.setMethod(ZipEntry.STORED);
                        entry.setSize(content.length);
                        entry.setCompressedSize(content.length);
                        entry.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(entry);
                    zip.write(content);
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        }

        Path write(Path file) {
            try {
                return Files.write(file, bytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---- .safetensors by hand ----

    /** A .safetensors file: the 8-byte length of {@code header}, the header, the data. */
    static byte[] safetensors(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return safetensors(json.length, json, data);
    }

    static byte[] safetensors(long declaredLength, byte[] header, byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(declaredLength).put(header).put(data);
        return out.array();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length) in {@code bytes}. */
    static byte[] replaceAll(byte[] bytes, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = to.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(b.length).isEqualTo(a.length);
        byte[] out = bytes.clone();
        int found = 0;
        for (int i = 0; i + a.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, out, i, b.length);
                found++;
            }
        }
        assertWithMessage("occurrences of %s", from).that(found).isGreaterThan(0);
        return out;
    }
}
