package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.io.IoFixtures.assertIsNet;
import static dev.shapeproof.io.IoFixtures.floats;
import static dev.shapeproof.io.IoFixtures.resource;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Files written by numpy and PyTorch ({@code tools/golden/make_io_fixtures.py}) load to PyTorch's values. The Net's
 * parameters are multiples of 1/64, exact in every float type, so every variant must match net_expected.txt bit
 * for bit.
 */
class FixtureReadTest {

    @ParameterizedTest
    @ValueSource(strings = {"net_f32.npz", "net_f32_compressed.npz", "net_big_endian.npz", "net_fortran.npz",
        "net_npy_v2_v3.npz", "net_f32.safetensors"})
    void float32FilesLoadExactlyWithoutNotes(String name) throws Exception {
        LoadedState state = StateDictFiles.read(resource(name));

        assertThat(state.file()).isEqualTo(resource(name));
        assertThat(state.notes()).isEmpty();
        if (name.endsWith(".npz")) {
            assertIsNet(state);
        } else {
            // A safetensors header is ordered by alignment, then name, as the reference implementation writes it.
            assertThat(state.keys().get(0)).isEqualTo("bn1.num_batches_tracked");
            IoFixtures.assertTensorsMatch(state.tensors(), IoFixtures.expectedNet());
            assertThat(state.tensors()).hasSize(IoFixtures.expectedNet().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"net_f64.npz", "net_f16.npz", "net_f64.safetensors", "net_f16.safetensors",
        "net_bf16.safetensors"})
    void otherFloatTypesBecomeFloat32WithANote(String name) throws Exception {
        LoadedState state = StateDictFiles.read(resource(name));

        IoFixtures.assertTensorsMatch(state.tensors(), IoFixtures.expectedNet());
        String type = name.contains("f64") ? "float64" : name.contains("bf16") ? "bfloat16" : "float16";
        String how = type.equals("float64") ? "rounded to nearest" : "exact";
        assertThat(state.notes()).hasSize(1);
        assertThat(state.notes().get(0)).startsWith("converted " + type + " to float32 (" + how + ") for 8 tensors: ");
        assertThat(state.notes().get(0)).contains("conv1.weight");
        assertThat(state.notes().get(0)).doesNotContain("num_batches_tracked");
    }

    @Test
    void batchNormCounterIsA0dInt64() throws Exception {
        for (String name : List.of("net_f32.npz", "net_big_endian.npz", "net_f32.safetensors")) {
            INDArray counter = StateDictFiles.read(resource(name)).tensors().get("bn1.num_batches_tracked");

            assertThat(counter.dataType()).isEqualTo(DataType.LONG);
            assertThat(counter.rank()).isEqualTo(0);
            assertThat(counter.getLong(0)).isEqualTo(7L);
        }
    }

    @Test
    void fortranOrderIsReadAsTheSameValuesInCOrder() throws Exception {
        LoadedState state = StateDictFiles.read(resource("fortran_3d.npz"));
        INDArray fortran = state.tensors().get("fortran");
        INDArray c = state.tensors().get("c");

        assertThat(fortran.shape()).isEqualTo(new long[] {2, 3, 4});
        assertThat(fortran.ordering()).isEqualTo('c');
        assertThat(floats(fortran)).isEqualTo(floats(c));
        assertThat(fortran.getFloat(1, 2, 3)).isEqualTo(23 - 11.5f);
        assertThat(fortran.getFloat(0, 1, 2)).isEqualTo(6 - 11.5f);
    }

    @Test
    void float16WideningMatchesNumpyForSpecialValues() throws Exception {
        LoadedState state = StateDictFiles.read(resource("special_f16.npz"));

        // Zeros keep their sign, subnormals and ±65504 are exact, NaN stays NaN: bit for bit as numpy widens them.
        assertThat(bits(state.tensors().get("values"))).isEqualTo(bits(state.tensors().get("expected")));
        assertThat(state.notes()).containsExactly(
                "converted float16 to float32 (exact) for 2 tensors: values, rounding_f16");
    }

    @Test
    void float64NarrowingRoundsAndCountsOverflowAndUnderflow() throws Exception {
        LoadedState state = StateDictFiles.read(resource("special_f64.npz"));

        // 1e300, -1e300, and the midpoint between float32's largest value and 2^128, which ties to even: infinity.
        assertThat(bits(state.tensors().get("values"))).isEqualTo(bits(state.tensors().get("expected")));
        assertThat(state.notes()).containsExactly(
                "converted float64 to float32 (rounded to nearest) for 1 tensor: values",
                "values: 3 finite float64 value(s) beyond float32's range became infinity",
                "values: 1 non-zero float64 value(s) below float32's range became zero").inOrder();
    }

    @Test
    void bfloat16WideningMatchesPyTorch() throws Exception {
        LoadedState state = StateDictFiles.read(resource("special_bf16.safetensors"));

        assertThat(bits(state.tensors().get("values"))).isEqualTo(bits(state.tensors().get("expected")));
        assertThat(state.notes()).containsExactly(
                "converted bfloat16 to float32 (exact) for 2 tensors: rounding_bf16, values");
    }

    @Test
    void tensorsOwnTheirBuffersAndAreNotViews() throws Exception {
        for (INDArray tensor : StateDictFiles.read(resource("net_fortran.npz")).tensors().values()) {
            assertThat(tensor.isView()).isFalse();
            assertThat(tensor.ordering()).isEqualTo('c');
        }
    }

    static int[] bits(INDArray array) {
        float[] values = floats(array);
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            // NaN payloads differ between numpy's and our widening only in ways that do not matter; compare NaN-ness.
            bits[i] = Float.isNaN(values[i]) ? 0x7fc00000 : Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
