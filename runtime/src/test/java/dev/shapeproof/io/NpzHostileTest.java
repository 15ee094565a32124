package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.io.IoFixtures.assertRejected;
import static dev.shapeproof.io.IoFixtures.littleEndianFloats;
import static dev.shapeproof.io.IoFixtures.littleEndianLongs;
import static dev.shapeproof.io.IoFixtures.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Malformed and hostile {@code .npz} files: each fails fast, naming the file, the entry and the problem. */
class NpzHostileTest {
    @TempDir
    Path dir;

    private Path npz(byte[] npyBytes) {
        return new IoFixtures.Zip().add("conv1.weight.npy", npyBytes).write(dir.resolve("w.npz"));
    }

    private Path npz(String descr, String fortranOrder, String shape, byte[] data) {
        return npz(npy(descr, fortranOrder, shape, data));
    }

    @Test
    void aHandMadeEntryIsReadWhenItIsRight() throws Exception {
        LoadedState state = StateDictFiles.read(npz("<f4", "False", "(2, 2)", littleEndianFloats(1, 2, 3, 4)));

        assertThat(state.keys()).containsExactly("conv1.weight");
        assertThat(IoFixtures.floats(state.tensors().get("conv1.weight"))).isEqualTo(new float[] {1, 2, 3, 4});
    }

    @Test
    void anEmptyArchiveHoldsNoTensors() throws Exception {
        Path file = new IoFixtures.Zip().write(dir.resolve("empty.npz"));

        assertThat(StateDictFiles.read(file).tensors()).isEmpty();
    }

    @Test
    void headerLengthOf4GiBInVersion2IsRejectedBeforeAllocating() {
        ByteBuffer bytes = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(NpyFormat.MAGIC).put((byte) 2).put((byte) 0).putInt(0xFFFF_FFFF)
                .put("{'descr': '<f4'".getBytes(StandardCharsets.ISO_8859_1));

        WeightFileException error = assertRejected(npz(bytes.array()),
                "entry 'conv1.weight.npy': header length 4294967295 exceeds the limit of 65536 bytes");
        assertThat(error.key()).isEqualTo("conv1.weight");
    }

    @Test
    void headerLongerThanTheEntry() {
        ByteBuffer bytes = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(NpyFormat.MAGIC).put((byte) 1).put((byte) 0).putShort((short) 60000).put(new byte[20]);

        assertRejected(npz(bytes.array()), "header length 60000 runs past the end of the entry (30 bytes)");
    }

    @Test
    void badMagicAndUnknownVersions() {
        byte[] good = npy("<f4", "False", "(1,)", littleEndianFloats(1));
        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        byte[] version4 = good.clone();
        version4[6] = 4;
        byte[] version1dot1 = good.clone();
        version1dot1[7] = 1;

        assertRejected(npz(badMagic), "entry 'conv1.weight.npy': not a .npy array");
        assertRejected(npz(version4), "unsupported .npy format version 4.0");
        assertRejected(npz(version1dot1), "unsupported .npy format version 1.1");
        assertRejected(npz(Arrays.copyOf(good, 7)), "truncated: the entry ends inside the .npy prefix");
    }

    @ParameterizedTest(name = "shape {0}")
    @CsvSource(delimiter = ';', value = {
        "(4294967296, 4294967296, 4); overflows a 64-bit integer",
        "(1099511627776,); has 1099511627776 elements, more than one tensor may hold",
        "(-2,); negative dimension",
        "(99999999999999999999,); does not fit in 64 bits",
        "(5); '(n)' is an integer in Python, not a tuple",
        "[5]; expected a string, True, False or a tuple",
        "(2, 'a'); expected a non-negative integer in the shape"})
    void absurdShapesAreRejected(String shape, String message) {
        assertRejected(npz("<f4", "False", shape, littleEndianFloats(1, 2, 3, 4)), message);
    }

    @Test
    void dataShorterOrLongerThanTheShapeSays() {
        assertRejected(npz("<f4", "False", "(100,)", littleEndianFloats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
                "entry 'conv1.weight.npy': ",
                "shape (100,) of float32 needs 400 data bytes, the entry holds 40 (truncated?)");
        assertRejected(npz("<f4", "False", "(2,)", littleEndianFloats(1, 2, 3)),
                "shape (2,) of float32 needs 8 data bytes, the entry holds 12");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "|b1; unsupported dtype '|b1' (bool)",
        "<i4; unsupported dtype '<i4' (int32)",
        "|u1; unsupported dtype '|u1' (uint8)",
        "<c8; unsupported dtype '<c8' (complex64)",
        "|O; unsupported dtype '|O' (object: pickled Python objects)",
        "=f4; unsupported dtype '=f4' (byte order '=': a file must say '<' or '>')",
        "<i8; dtype '<i8': int64 is accepted only for keys ending in 'num_batches_tracked'",
        "<U5; unsupported dtype '<U5'"})
    void unsupportedDtypesAreNamed(String descr, String message) {
        assertRejected(npz(descr, "False", "(4,)", new byte[64]), "entry 'conv1.weight.npy': " + message);
    }

    @Test
    void anUnsupportedDtypeMessageSaysWhatIsSupported() {
        assertRejected(npz("|b1", "False", "(4,)", new byte[4]), "entry 'conv1.weight.npy': unsupported dtype '|b1' "
                + "(bool); weights must be float32, float64, float16 or bfloat16 (int64 only for *num_batches_tracked)");
    }

    @Test
    void int64IsAcceptedForTheCounterInEitherByteOrder() throws Exception {
        byte[] big = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(42).array();
        Path file = new IoFixtures.Zip()
                .add("bn1.num_batches_tracked.npy", npy("<i8", "False", "()", littleEndianLongs(7)))
                .add("bn2.num_batches_tracked.npy", npy(">i8", "False", "()", big))
                .write(dir.resolve("w.npz"));

        LoadedState state = StateDictFiles.read(file);

        assertThat(state.tensors().get("bn1.num_batches_tracked").getLong(0)).isEqualTo(7);
        assertThat(state.tensors().get("bn2.num_batches_tracked").getLong(0)).isEqualTo(42);
        assertThat(state.tensors().get("bn2.num_batches_tracked").dataType()).isEqualTo(DataType.LONG);
    }

    @Test
    void structuredDtypesAreRejected() {
        assertRejected(npz(npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4])),
                "structured dtypes (a list of fields in 'descr') are not supported");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "{'descr': '<f4', 'shape': (1,), }; the header's keys are [descr, shape]",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1, }; expected a string, True, False",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 'y', }; the header's keys are",
        "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }; repeats the key 'descr'",
        "{'descr': '<f4', 'fortran_order': 1, 'shape': (1,), }; expected a string, True, False or a tuple",
        "{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,), }; 'fortran_order' is not True or False: 'no'",
        "{'descr': (1,), 'fortran_order': False, 'shape': (1,), }; 'descr' is not a string: (1,)",
        "{'descr': '<f4', 'fortran_order': False, 'shape': 'x', }; 'shape' is not a tuple of integers: 'x'",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,; malformed header at character",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } junk; unexpected text after the header's dict",
        "{'descr': '<f4\\n', 'fortran_order': False, 'shape': (1,), }; escapes and newlines are not expected",
        "{'descr: '<f4', 'fortran_order': False, 'shape': (1,), }; malformed header",
        "; the header ends too early"})
    void malformedHeaders(String header, String message) {
        String text = header == null ? "" : header;
        assertRejected(npz(npy(1, text, littleEndianFloats(1))), "entry 'conv1.weight.npy': ", message);
    }

    @Test
    void version3HeaderMustBeUtf8() {
        byte[] good = npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", littleEndianFloats(1));
        byte[] bad = good.clone();
        bad[13] = (byte) 0xff; // inside 'descr'

        assertRejected(npz(bad), "the version 3.0 header is not valid UTF-8");
    }

    @Test
    void fortranOrderIsTransposedIntoCOrder() throws Exception {
        // Column-major data of [[1, 2, 3], [4, 5, 6]].
        LoadedState state = StateDictFiles.read(npz("<f4", "True", "(2, 3)", littleEndianFloats(1, 4, 2, 5, 3, 6)));

        assertThat(IoFixtures.floats(state.tensors().get("conv1.weight"))).isEqualTo(new float[] {1, 2, 3, 4, 5, 6});
    }

    @Test
    void entriesThatAreNotNpyArrays() {
        byte[] array = npy("<f4", "False", "(1,)", littleEndianFloats(1));
        assertRejected(new IoFixtures.Zip().add("a.npy", array).add("README.txt", new byte[3])
                .write(dir.resolve("t.npz")), "entry 'README.txt': not a <key>.npy array");
        assertRejected(new IoFixtures.Zip().add("dir/", new byte[0]).write(dir.resolve("d.npz")),
                "entry 'dir/': not a <key>.npy array");
        assertRejected(new IoFixtures.Zip().add(".npy", array).write(dir.resolve("e.npz")),
                "entry '.npy': not a <key>.npy array");
    }

    @Test
    void duplicateKeysAreRejected() {
        byte[] array = npy("<f4", "False", "(1,)", littleEndianFloats(1));
        byte[] zip = new IoFixtures.Zip().add("fc.weight.npy", array).add("fc.wEight.npy", array).bytes();
        // ZipOutputStream refuses duplicate names, so rename the second entry in the bytes.
        Path file = IoFixtures.write(dir.resolve("w.npz"), IoFixtures.replaceAll(zip, "fc.wEight", "fc.weight"));

        WeightFileException error = assertRejected(file,
                "entry 'fc.weight.npy': duplicate entry: the key 'fc.weight' appears twice in the archive");
        assertThat(error.key()).isEqualTo("fc.weight");
    }

    @Test
    void corruptDataFailsTheCrc() throws Exception {
        byte[] zip = new IoFixtures.Zip().add("a.npy", npy("<f4", "False", "(4,)", littleEndianFloats(1, 2, 3, 4)))
                .bytes();
        byte[] corrupt = IoFixtures.replaceAll(zip, new String(littleEndianFloats(3), StandardCharsets.ISO_8859_1),
                new String(littleEndianFloats(-3), StandardCharsets.ISO_8859_1));

        assertRejected(IoFixtures.write(dir.resolve("w.npz"), corrupt), "entry 'a.npy': CRC mismatch");
    }

    @Test
    void corruptOrTruncatedZips() throws Exception {
        byte[] good = Files.readAllBytes(IoFixtures.resource("net_f32.npz"));

        assertRejected(IoFixtures.write(dir.resolve("cut.npz"), Arrays.copyOf(good, good.length - 10)),
                "corrupt or truncated zip archive (");
        byte[] noDirectory = IoFixtures.replaceAll(good, "PK\1\2", "PK\7\7");
        assertRejected(IoFixtures.write(dir.resolve("nocen.npz"), noDirectory), "corrupt or truncated zip archive");
    }

    @Test
    void aDeflatedEntryLyingAboutItsSizeEndsAsTruncatedWithoutAllocatingTheClaim() throws Exception {
        // A deflated entry whose header claims 2^28 floats (1 GiB) and whose zip directory agrees, but whose real
        // data is 16 bytes. The claim is allowed by the file size (deflate compresses zeros ~1000:1), so only the
        // data itself can refute it: the reader must grow its buffer with the data, not trust the claim.
        long claimed = 1L << 28;
        byte[] npyBytes = npy("<f4", "False", "(" + claimed + ",)", littleEndianFloats(1, 2, 3, 4));
        byte[] zip = new IoFixtures.Zip().deflated().add("a.npy", npyBytes).bytes();
        long headerBytes = npyBytes.length - 16;
        patchCentralDirectorySize(zip, npyBytes.length, headerBytes + claimed * 4);
        Path file = IoFixtures.write(dir.resolve("w.npz"), zip);

        long before = usedHeap();
        assertRejected(file, "entry 'a.npy': truncated: the data ends after 16 of 1073741824 bytes");
        assertThat(usedHeap() - before).isLessThan(256L << 20);
    }

    @Test
    void entriesClaimingMoreCompressedBytesThanTheFileHolds() throws Exception {
        byte[] npyBytes = npy("<f4", "False", "(4,)", littleEndianFloats(1, 2, 3, 4));
        byte[] zip = new IoFixtures.Zip().deflated().add("a.npy", npyBytes).bytes();
        patchCentralDirectoryField(zip, 20, 1 << 30); // compressed size: 1 GiB in a file of a few hundred bytes
        assertRejected(IoFixtures.write(dir.resolve("w.npz"), zip));
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Sets the uncompressed size (offset 24) of the central directory entry whose size is {@code from}. */
    private static void patchCentralDirectorySize(byte[] zip, long from, long to) {
        int at = centralDirectory(zip);
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buffer.getInt(at + 24) & 0xffffffffL).isEqualTo(from);
        buffer.putInt(at + 24, (int) to);
    }

    private static void patchCentralDirectoryField(byte[] zip, int offset, int value) {
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(centralDirectory(zip) + offset, value);
    }

    private static int centralDirectory(byte[] zip) {
        for (int i = 0; i + 4 <= zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                return i;
            }
        }
        throw new AssertionError("no central directory");
    }
}
