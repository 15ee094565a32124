package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.io.IoFixtures.floats;
import static dev.shapeproof.io.IoFixtures.longs;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link StateDictFiles#write} then {@link StateDictFiles#read}: same keys, order, shapes and values. */
class RoundTripTest {
    @TempDir
    Path dir;

    private static INDArray ramp(long[] shape, float start) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = rampValue(start, i);
        }
        return Nd4j.create(values, shape, DataType.FLOAT);
    }

    private static float rampValue(float start, int i) {
        return start + i * 0.25f - (i % 3) * 1e-3f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"net.npz", "net.safetensors", "NET.SAFETENSORS"})
    void theNetFixtureRoundTrips(String name) throws Exception {
        LoadedState original = StateDictFiles.read(IoFixtures.resource("net_f32.npz"));
        Path file = dir.resolve(name);

        StateDictFiles.write(file, original.tensors());
        LoadedState back = StateDictFiles.read(file);

        IoFixtures.assertIsNet(back);
        assertThat(back.notes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"w.npz", "w.safetensors"})
    void viewsAndFortranOrderArraysAreWrittenInCOrder(String name) throws Exception {
        INDArray base = ramp(new long[] {3, 4}, 1f);
        INDArray transposed = base.transpose();                   // f order, not a view
        INDArray permuted = ramp(new long[] {2, 3, 4}, -3f).permute(2, 0, 1);
        INDArray row = base.getRow(1);                            // a view with an offset
        INDArray fOrder = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'f');
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("transposed", transposed);
        state.put("permuted", permuted);
        state.put("row", row);
        state.put("f_order", fOrder);
        Path file = dir.resolve(name);

        StateDictFiles.write(file, state);
        LoadedState back = StateDictFiles.read(file);

        assertThat(back.keys()).containsExactly("transposed", "permuted", "row", "f_order").inOrder();
        for (Map.Entry<String, INDArray> entry : state.entrySet()) {
            INDArray got = back.tensors().get(entry.getKey());
            assertThat(got.shape()).isEqualTo(entry.getValue().shape());
            assertThat(got.equals(entry.getValue())).isTrue();   // element-wise, whatever the layouts
        }
        assertThat(floats(back.tensors().get("row"))).isEqualTo(new float[] {rampValue(1f, 4), rampValue(1f, 5),
            rampValue(1f, 6), rampValue(1f, 7)});
        assertThat(floats(back.tensors().get("f_order"))).isEqualTo(new float[] {1, 3, 5, 2, 4, 6});
    }

    @ParameterizedTest
    @ValueSource(strings = {"w.npz", "w.safetensors"})
    void scalarsEmptyTensorsAndTheCounter(String name) throws Exception {
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("scale", Nd4j.scalar(2.5f));
        state.put("empty", Nd4j.create(DataType.FLOAT, new long[] {0, 3}, 'c'));
        state.put("bn.num_batches_tracked", Nd4j.scalar(123456789012L));
        state.put("vector", ramp(new long[] {5}, 0f));
        Path file = dir.resolve(name);

        StateDictFiles.write(file, state);
        LoadedState back = StateDictFiles.read(file);

        assertThat(back.tensors().get("scale").rank()).isEqualTo(0);
        assertThat(back.tensors().get("scale").getFloat(0)).isEqualTo(2.5f);
        assertThat(back.tensors().get("empty").shape()).isEqualTo(new long[] {0, 3});
        assertThat(back.tensors().get("empty").isEmpty()).isTrue();
        INDArray counter = back.tensors().get("bn.num_batches_tracked");
        assertThat(counter.dataType()).isEqualTo(DataType.LONG);
        assertThat(counter.rank()).isEqualTo(0);
        assertThat(longs(counter)).isEqualTo(new long[] {123456789012L});
        assertThat(floats(back.tensors().get("vector"))).isEqualTo(floats(state.get("vector")));
    }

    @Test
    void otherFloatTypesAreWrittenAsTheyAreAndReadAsFloat32() throws Exception {
        INDArray source = ramp(new long[] {2, 3}, 0.1f);
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("double", source.castTo(DataType.DOUBLE));
        state.put("half", source.castTo(DataType.HALF));
        state.put("bfloat", source.castTo(DataType.BFLOAT16));
        Path file = dir.resolve("w.safetensors");

        StateDictFiles.write(file, state);
        LoadedState back = StateDictFiles.read(file);

        assertThat(back.notes()).containsExactly(
                "converted float16 to float32 (exact) for 1 tensor: half",
                "converted bfloat16 to float32 (exact) for 1 tensor: bfloat",
                "converted float64 to float32 (rounded to nearest) for 1 tensor: double");
        assertThat(floats(back.tensors().get("double"))).isEqualTo(floats(source));
        assertThat(floats(back.tensors().get("half"))).isEqualTo(floats(state.get("half")));
        assertThat(floats(back.tensors().get("bfloat"))).isEqualTo(floats(state.get("bfloat")));
        for (INDArray tensor : back.tensors().values()) {
            assertThat(tensor.dataType()).isEqualTo(DataType.FLOAT);
        }
    }

    @Test
    void npzWriterOutputHasNumpysLayout() throws Exception {
        Path file = dir.resolve("w.npz");
        StateDictFiles.write(file, Map.of("conv1.weight", ramp(new long[] {2, 1, 3, 3}, 0f)));

        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("PK\3\4");
        // No extra fields (no timezone-dependent timestamps): the name is followed directly by the .npy magic.
        assertThat(text).contains("conv1.weight.npy\u0093NUMPY\1\0");
        assertThat(text).contains("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 3, 3), }");
        // numpy pads magic + length + header to a multiple of 64, ending in a newline.
        int magic = text.indexOf("\u0093NUMPY");
        int headerLength = (bytes[magic + 8] & 0xff) | (bytes[magic + 9] & 0xff) << 8;
        assertThat((10 + headerLength) % 64).isEqualTo(0);
        assertThat(text.charAt(magic + 10 + headerLength - 1)).isEqualTo('\n');
    }

    @Test
    void writingIsDeterministic() throws Exception {
        Map<String, INDArray> state = StateDictFiles.read(IoFixtures.resource("net_f32.npz")).tensors();
        for (String name : List.of("a.npz", "b.npz", "a.safetensors", "b.safetensors")) {
            StateDictFiles.write(dir.resolve(name), state);
        }
        assertThat(Files.readAllBytes(dir.resolve("a.npz"))).isEqualTo(Files.readAllBytes(dir.resolve("b.npz")));
        assertThat(Files.readAllBytes(dir.resolve("a.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b.safetensors")));
    }

    @Test
    void safetensorsWriterPadsTheHeaderTo8BytesAndEscapesKeys() throws Exception {
        Path file = dir.resolve("w.safetensors");
        StateDictFiles.write(file, Map.of("odd \"key\"\\é", ramp(new long[] {3}, 0f)));

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isEqualTo(0);
        assertThat(bytes.length).isEqualTo(8 + headerLength + 12);
        assertThat(StateDictFiles.read(file).keys()).containsExactly("odd \"key\"\\é");
    }

    @Test
    void overwritesAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("w.npz");
        StateDictFiles.write(file, Map.of("a", ramp(new long[] {4}, 0f)));
        StateDictFiles.write(file, Map.of("b", ramp(new long[] {2}, 7f)));

        assertThat(StateDictFiles.read(file).keys()).containsExactly("b");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("w.npz");
        }
    }

    @Test
    void aTensorThatCannotBeWrittenLeavesTheTargetUntouched() throws Exception {
        Path file = dir.resolve("w.npz");
        StateDictFiles.write(file, Map.of("a", ramp(new long[] {4}, 0f)));
        byte[] before = Files.readAllBytes(file);
        Map<String, INDArray> bad = new LinkedHashMap<>();
        bad.put("fine", ramp(new long[] {2}, 0f));
        bad.put("fc.weight", Nd4j.createFromArray(1, 2, 3)); // int32

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> StateDictFiles.write(file, bad));

        assertThat(error).hasMessageThat().contains("w.npz");
        assertThat(error).hasMessageThat().contains("'fc.weight': cannot write a INT tensor");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(1);
        }
    }

    @Test
    void refusesWhatTheReadersWouldRefuse() {
        Path npz = dir.resolve("w.npz");
        Path safetensors = dir.resolve("w.safetensors");
        INDArray longs = Nd4j.createFromArray(1L, 2L);
        INDArray bfloat = Nd4j.scalar(1f).castTo(DataType.BFLOAT16);

        assertThat(assertThrows(IllegalArgumentException.class,
                () -> StateDictFiles.write(npz, Map.of("fc.weight", longs)))).hasMessageThat()
                .contains("'fc.weight': int64 is accepted only for keys ending in 'num_batches_tracked'");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> StateDictFiles.write(npz, Map.of("x", bfloat)))).hasMessageThat()
                .contains(".npz (numpy) has no bfloat16 type");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> StateDictFiles.write(safetensors, Map.of("__metadata__", Nd4j.scalar(1f))))).hasMessageThat()
                .contains("reserved");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> StateDictFiles.write(dir.resolve("w.pt"), Map.of("x", Nd4j.scalar(1f))))).hasMessageThat()
                .contains("unknown weight file extension");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> StateDictFiles.write(npz, Map.of("", Nd4j.scalar(1f))))).hasMessageThat()
                .contains("empty key");
        assertThat(npz.toFile().exists()).isFalse();
    }
}
