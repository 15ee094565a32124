package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.shape.Window;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J and oneDNN's presets each ship a {@code libgomp.so.1}; the runtime loads ND4J first (every other test runs that
 * way). This test starts a JVM that loads oneDNN first ({@link #main}), then runs a convolution on oneDNN directly and
 * on ND4J without helpers, and checks that they agree and that one {@code libgomp.so.1} is mapped.
 */
class DnnlLoadOrderTest {
    @Test
    void oneDnnLoadedBeforeNd4j() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Dnnl.on(), "the direct oneDNN path is off: " + Dnnl.describe());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                DnnlLoadOrderTest.class.getName()).redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertWithMessage(output).that(process.exitValue()).isEqualTo(0);
        assertWithMessage(output).that(output).contains("libgomp mapped: 1");
        assertWithMessage(output).that(output).contains("agree");
    }

    /** The child JVM: oneDNN first, then ND4J. */
    public static void main(String[] args) throws IOException {
        System.out.println("loaded " + DnnlNative.load()); // before any ND4J class initialises its backend
        Random random = new Random(3);
        INDArray x = Nd4j.randn(random.nextLong(), new long[] {2, 8, 24, 24}).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray w = Nd4j.randn(random.nextLong(), new long[] {8, 8, 3, 3}).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        Window d2 = Window.of(3, 1, 2, 2);
        INDArray direct = DnnlConv.conv2d(ConvActivation.of(x), w, null, d2, d2, 1, 24, 24, Float.NaN,
                Float.POSITIVE_INFINITY, null, false, false).array();
        INDArray nd4j = Helpers.withoutHelpers(() -> Nd4j.cnn().conv2d(x, w,
                org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1)
                        .pH(2).pW(2).dH(2).dW(2).dataFormat("NCHW")
                        .weightsFormat(org.nd4j.enums.WeightsFormat.OIYX)
                        .paddingMode(org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode.VALID)
                        .build()));
        double error = direct.dup('c').sub(nd4j).amaxNumber().doubleValue();
        System.out.println("max |oneDNN − ND4J| = " + error);
        if (!(error < 1e-4)) {
            System.exit(2);
        }
        System.out.println("agree");
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        long gomp = maps.stream().map(MappedFile::parse).filter(m -> m != null && m.isLibgomp())
                .map(MappedFile::file).distinct().count();
        System.out.println("libgomp mapped: " + gomp);
    }

    /**
     * A line of /proc/self/maps that maps a file: the file is its device and inode, since the path can read
     * {@code ... (deleted)} once another process re-extracts JavaCPP's cache; a second copy of the library, loaded
     * from any path, is another inode.
     */
    private record MappedFile(String file, String path) {
        private static final String DELETED = " (deleted)";

        /** Fields: address, permissions, offset, device, inode, path (which may hold spaces); null without a path. */
        static MappedFile parse(String line) {
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length < 6 || fields[4].equals("0")) {
                return null;
            }
            String path = fields[5].endsWith(DELETED)
                    ? fields[5].substring(0, fields[5].length() - DELETED.length()) : fields[5];
            return new MappedFile(fields[3] + ":" + fields[4], path);
        }

        boolean isLibgomp() {
            return path.endsWith("/libgomp.so.1");
        }
    }
}
