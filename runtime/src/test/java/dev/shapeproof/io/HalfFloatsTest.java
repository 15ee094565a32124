package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.shapeproof.io.IoFixtures.resource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** float16 and bfloat16 conversions, against exhaustive round trips and against numpy's and PyTorch's rounding. */
class HalfFloatsTest {

    @Test
    void everyFloat16SurvivesWideningAndNarrowing() {
        for (int h = 0; h <= 0xffff; h++) {
            float wide = HalfFloats.halfToFloat((short) h);
            short back = HalfFloats.floatToHalf(wide);
            if (Float.isNaN(wide)) {
                assertWithMessage("NaN 0x%s", Integer.toHexString(h)).that(Float.isNaN(HalfFloats.halfToFloat(back)))
                        .isTrue();
            } else {
                assertWithMessage("float16 0x%s", Integer.toHexString(h)).that(back & 0xffff).isEqualTo(h);
            }
        }
    }

    @Test
    void everyBfloat16SurvivesWideningAndNarrowing() {
        for (int b = 0; b <= 0xffff; b++) {
            float wide = HalfFloats.bfloat16ToFloat((short) b);
            short back = HalfFloats.floatToBfloat16(wide);
            if (Float.isNaN(wide)) {
                assertThat(Float.isNaN(HalfFloats.bfloat16ToFloat(back))).isTrue();
            } else {
                assertWithMessage("bfloat16 0x%s", Integer.toHexString(b)).that(back & 0xffff).isEqualTo(b);
            }
        }
    }

    @Test
    void float16WideningKnownValues() {
        assertThat(HalfFloats.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(HalfFloats.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(HalfFloats.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.halfToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(HalfFloats.halfToFloat((short) 0x7c00)).isPositiveInfinity();
        assertThat(Float.floatToRawIntBits(HalfFloats.halfToFloat((short) 0x8000))).isEqualTo(0x8000_0000);
    }

    @Test
    void float16NarrowingRoundsLikeNumpy() throws Exception {
        // numpy's astype(np.float16) of random and boundary values (ties, subnormals, 65519/65520, infinities).
        float[] source = npzFloats("special_f16.npz", "rounding_source.npy", 4);
        short[] numpy = npzShorts("special_f16.npz", "rounding_f16.npy", source.length);
        for (int i = 0; i < source.length; i++) {
            assertWithMessage("float16 of %s", source[i]).that(HalfFloats.floatToHalf(source[i]))
                    .isEqualTo(numpy[i]);
        }
    }

    @Test
    void bfloat16NarrowingRoundsLikePyTorch() throws Exception {
        LoadedState state = StateDictFiles.read(resource("special_bf16.safetensors"));
        float[] source = IoFixtures.floats(state.tensors().get("rounding_source"));
        float[] torch = IoFixtures.floats(state.tensors().get("rounding_bf16"));
        for (int i = 0; i < source.length; i++) {
            assertWithMessage("bfloat16 of %s", source[i])
                    .that(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(source[i]))).isEqualTo(torch[i]);
        }
    }

    /** Raw little-endian data of one .npy entry (version 1.0 header), skipping our reader on purpose. */
    private static ByteBuffer npyData(String file, String entry) throws Exception {
        Path path = resource(file);
        assertThat(Files.exists(path)).isTrue();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            byte[] bytes = zip.getInputStream(zip.getEntry(entry)).readAllBytes();
            int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            return ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static float[] npzFloats(String file, String entry, int size) throws Exception {
        ByteBuffer data = npyData(file, entry);
        float[] out = new float[data.remaining() / size];
        data.asFloatBuffer().get(out);
        return out;
    }

    private static short[] npzShorts(String file, String entry, int count) throws Exception {
        ByteBuffer data = npyData(file, entry);
        short[] out = new short[count];
        data.asShortBuffer().get(out);
        return out;
    }
}
