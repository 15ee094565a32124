package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.io.IoFixtures.floats;
import static dev.shapeproof.io.IoFixtures.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tensors of many decoding chunks, in every float encoding and both orders, stored (decoded straight into native
 * memory) and deflated (decoded on the growing heap path): each reads as the same c-order values.
 */
class LargeTensorDecodeTest {
    /** {@code [37, 29, 41]}: 43,993 elements, several 64 KiB chunks of every element size, no dimension a power of 2. */
    private static final long[] SHAPE = {37, 29, 41};
    private static final int COUNT = 37 * 29 * 41;

    @TempDir
    Path dir;

    /** Element {@code (i, j, k)}'s value, exact in half precision: small integers over 8. */
    private static float value(int i, int j, int k) {
        return ((i * 29 + j) * 41 + k) % 2001 / 8f - 125f;
    }

    private static float[] cOrder() {
        float[] values = new float[COUNT];
        int n = 0;
        for (int i = 0; i < SHAPE[0]; i++) {
            for (int j = 0; j < SHAPE[1]; j++) {
                for (int k = 0; k < SHAPE[2]; k++) {
                    values[n++] = value(i, j, k);
                }
            }
        }
        return values;
    }

    private static float[] fortranOrder() {
        float[] values = new float[COUNT];
        int n = 0;
        for (int k = 0; k < SHAPE[2]; k++) {
            for (int j = 0; j < SHAPE[1]; j++) {
                for (int i = 0; i < SHAPE[0]; i++) {
                    values[n++] = value(i, j, k);
                }
            }
        }
        return values;
    }

    private static byte[] encode(String descr, float[] values) {
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int size = Integer.parseInt(descr.substring(2));
        ByteBuffer out = ByteBuffer.allocate(values.length * size).order(order);
        for (float v : values) {
            switch (size) {
                case 2 -> out.putShort(HalfFloats.floatToHalf(v));
                case 4 -> out.putFloat(v);
                case 8 -> out.putDouble(v);
                default -> throw new AssertionError(descr);
            }
        }
        return out.array();
    }

    private INDArray read(String descr, boolean fortran, boolean deflated) throws Exception {
        byte[] data = encode(descr, fortran ? fortranOrder() : cOrder());
        IoFixtures.Zip zip = new IoFixtures.Zip().add("w.npy", npy(descr, fortran ? "True" : "False", "(37, 29, 41)",
                data));
        if (deflated) {
            zip.deflated();
        }
        return StateDictFiles.read(zip.write(dir.resolve("w.npz"))).tensors().get("w");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<f4", ">f4", "<f2", ">f8"})
    void everyEncodingAndOrderReadsAsTheSameCOrderValues(String descr) throws Exception {
        for (boolean fortran : new boolean[] {false, true}) {
            for (boolean deflated : new boolean[] {false, true}) {
                INDArray tensor = read(descr, fortran, deflated);

                assertThat(tensor.shape()).isEqualTo(SHAPE);
                assertThat(tensor.ordering()).isEqualTo('c');
                assertThat(tensor.isView()).isFalse();
                assertThat(floats(tensor)).isEqualTo(cOrder());
                assertThat(tensor.getFloat(36, 28, 40)).isEqualTo(value(36, 28, 40));
                assertThat(tensor.getFloat(1, 2, 3)).isEqualTo(value(1, 2, 3));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16", "BF16"})
    void aLargeSafetensorsTensorReadsAsItsValues(String dtype) throws Exception {
        float[] values = cOrder();
        int size = dtype.equals("F32") ? 4 : 2;
        ByteBuffer data = ByteBuffer.allocate(COUNT * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < COUNT; i++) {
            switch (dtype) {
                case "F32" -> data.putFloat(values[i]);
                case "F16" -> data.putShort(HalfFloats.floatToHalf(values[i]));
                default -> {
                    // bfloat16 keeps 8 significant bits: expect the rounded value
                    short rounded = HalfFloats.floatToBfloat16(values[i]);
                    data.putShort(rounded);
                    values[i] = HalfFloats.bfloat16ToFloat(rounded);
                }
            }
        }
        String header = "{\"w\": {\"dtype\": \"" + dtype + "\", \"shape\": [37, 29, 41], \"data_offsets\": [0, "
                + COUNT * size + "]}}";
        Path file = IoFixtures.write(dir.resolve("w.safetensors"), IoFixtures.safetensors(header, data.array()));

        INDArray tensor = StateDictFiles.read(file).tensors().get("w");

        assertThat(tensor.shape()).isEqualTo(SHAPE);
        assertThat(floats(tensor)).isEqualTo(values);
    }
}
