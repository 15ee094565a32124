package dev.shapeproof.spark;

import dev.shapeproof.io.StateDictFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tests' shared pieces: one local[2] SparkSession, the examples' files, .npy bytes. */
final class TestData {
    private static SparkSession spark;

    private TestData() {}

    /**
     * One {@code local[2]} session for every test class (Surefire runs them in one JVM): a real engine, two task
     * threads sharing one model, partitions shipped through Spark's serialisation. Loopback only; no UI.
     */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("shapeproof-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return spark;
    }

    /** A resource of the examples' jar (the seed net's weights and digits) as a file: the loaders take paths. */
    static Path resource(String name) {
        try (InputStream in = TestData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            Path file = Files.createTempFile("shapeproof-spark-test-", name.substring(name.lastIndexOf('/') + 1));
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path seedNetWeights() {
        return resource("/seed-net/weights.npz");
    }

    /** digits.npz: images [10, 1, 28, 28] (normalised), labels [10], log_probs [10, 10] (PyTorch's). */
    static Map<String, INDArray> digits() {
        try {
            return StateDictFiles.read(resource("/seed-net/digits.npz")).tensors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Row {@code i} of {@code batch}, flattened in C order. */
    static float[] row(INDArray batch, int i) {
        return batch.slice(i).dup('c').reshape(-1).toFloatVector();
    }

    /** {@code values} as {@code np.save} writes them: a version-1 header, then the data; float32 or float64. */
    static byte[] npy(float[] values, long[] shape, String descr) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "))
                + (shape.length == 1 ? "," : "");
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + dims + "), }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        int itemSize = descr.endsWith("8") ? 8 : descr.endsWith("4") ? 4 : 2;
        ByteBuffer data = ByteBuffer.allocate(values.length * itemSize)
                .order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (itemSize) {
                case 8 -> data.putDouble(v);
                case 4 -> data.putFloat(v);
                default -> data.putShort((short) 0);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        byte[] text = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        out.write(text.length & 0xFF);
        out.write(text.length >> 8);
        out.writeBytes(text);
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    /** The first cause of {@code type} in {@code e}'s chain, or null. */
    static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
