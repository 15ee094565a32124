package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.io.IoFixtures.assertRejected;
import static dev.shapeproof.io.IoFixtures.littleEndianFloats;
import static dev.shapeproof.io.IoFixtures.npy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Why {@code dev.shapeproof.io} has its own {@code .npz} reader: what ND4J 1.0.0-M2.1's
 * {@code Nd4j.createFromNpzFile} does with the same files. It reads well-formed {@code np.savez} files of arrays
 * of rank 1 and more, but it scans the raw file with a {@code FileInputStream} instead of opening the zip, and
 * checks nothing:
 *
 * <ul>
 *   <li>any 0-d array fails with {@code NumberFormatException: For input string: ""}; every PyTorch state_dict
 *       with a BatchNorm has one ({@code num_batches_tracked}), so ND4J cannot read those at all;
 *   <li>a truncated entry loads without error, its missing elements filled with whatever bytes follow in the file
 *       (the zip's central directory);
 *   <li>a shape whose element count overflows loads as an array of that shape;
 *   <li>big-endian data and {@code np.savez_compressed} files fail with "Unsupported data type";
 *   <li>a version 2.0 header whose length field is {@code 0xFFFFFFFF} <b>hangs</b>: the reader appends header
 *       characters to a {@code String} one at a time past the end of the file (BaseNativeNDArrayFactory line 536).
 *       Measured by hand (a separate JVM, killed after 120 s of 100% CPU); not run here, since a test thread cannot
 *       be stopped.
 * </ul>
 *
 * Each case below runs both readers on the same file.
 */
class Nd4jNpzReaderTest {
    @TempDir
    Path dir;

    private Path npz(String name, byte[] npyBytes) {
        return new IoFixtures.Zip().add("a.npy", npyBytes).write(dir.resolve(name));
    }

    @Test
    void nd4jReadsAWellFormedSavezFileWithoutScalarsAsWeDo() throws Exception {
        Path file = IoFixtures.resource("fortran_3d.npz");
        Map<String, INDArray> nd4j = Nd4j.createFromNpzFile(file.toFile());
        LoadedState ours = StateDictFiles.read(file);

        assertThat(nd4j.get("c").equals(ours.tensors().get("c"))).isTrue();
        assertThat(nd4j.get("fortran").equals(ours.tensors().get("fortran"))).isTrue();
    }

    @Test
    void aStateDictWithBatchNorm_nd4jFailsOnThe0dCounter_weRead() throws Exception {
        // np.savez writes num_batches_tracked with shape (): ND4J parses the empty tuple as a number.
        Path file = IoFixtures.resource("net_f32.npz");

        assertThrows(NumberFormatException.class, () -> Nd4j.createFromNpzFile(file.toFile()));

        IoFixtures.assertIsNet(StateDictFiles.read(file));
    }

    @Test
    void truncatedEntry_nd4jLoadsMadeUpValues_weReject() throws Exception {
        // Shape (100,) but only 10 floats of data.
        Path file = npz("truncated.npz",
                npy("<f4", "False", "(100,)", littleEndianFloats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)));

        INDArray nd4j = Nd4j.createFromNpzFile(file.toFile()).get("a");
        assertThat(nd4j.shape()).isEqualTo(new long[] {100});
        assertThat(nd4j.getFloat(9)).isEqualTo(10f);   // the real data, then 90 values from elsewhere in the file

        assertRejected(file, "shape (100,) of float32 needs 400 data bytes, the entry holds 40 (truncated?)");
    }

    @Test
    void overflowingShape_nd4jReturnsAnArrayOfThatShape_weReject() throws Exception {
        Path file = npz("overflow.npz", npy("<f4", "False", "(4294967296, 4294967296, 4)", littleEndianFloats(1, 2)));

        INDArray nd4j = Nd4j.createFromNpzFile(file.toFile()).get("a");
        assertThat(nd4j.shape()).isEqualTo(new long[] {4294967296L, 4294967296L, 4});

        assertRejected(file, "overflows a 64-bit integer");
    }

    @Test
    void bigEndianData_nd4jFails_weRead() throws Exception {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f).array();
        Path file = npz("big.npz", npy(">f4", "False", "(2,)", data));

        Exception nd4j = assertThrows(Exception.class, () -> Nd4j.createFromNpzFile(file.toFile()));
        assertThat(nd4j).hasMessageThat().contains("Unsupported data type");

        assertThat(IoFixtures.floats(StateDictFiles.read(file).tensors().get("a"))).isEqualTo(new float[] {1.5f, -2f});
    }

    @Test
    void savezCompressed_nd4jFails_weRead() throws Exception {
        Path file = IoFixtures.resource("net_f32_compressed.npz");

        Exception nd4j = assertThrows(Exception.class, () -> Nd4j.createFromNpzFile(file.toFile()));
        assertThat(nd4j).hasMessageThat().contains("Unsupported data type");

        IoFixtures.assertIsNet(StateDictFiles.read(file));
    }
}
