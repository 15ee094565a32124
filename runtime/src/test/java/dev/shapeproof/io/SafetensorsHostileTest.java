package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.io.IoFixtures.assertRejected;
import static dev.shapeproof.io.IoFixtures.littleEndianFloats;
import static dev.shapeproof.io.IoFixtures.safetensors;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed and hostile {@code .safetensors} files: each fails fast, naming the file, the key and the problem. */
class SafetensorsHostileTest {
    @TempDir
    Path dir;

    private Path file(byte[] bytes) {
        return IoFixtures.write(dir.resolve("w.safetensors"), bytes);
    }

    /** One F32 tensor "a" of shape [2] over 8 bytes of data, with the given header. */
    private Path withHeader(String header, byte[] data) {
        return file(safetensors(header, data));
    }

    private Path withHeader(String header) {
        return withHeader(header, littleEndianFloats(1, 2));
    }

    @Test
    void aHandMadeFileIsReadWhenItIsRight() throws Exception {
        LoadedState state = StateDictFiles.read(withHeader(
                "{\"__metadata__\":{\"format\":\"pt\"},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}   "));

        assertThat(state.keys()).containsExactly("a");
        assertThat(IoFixtures.floats(state.tensors().get("a"))).isEqualTo(new float[] {1, 2});
    }

    @Test
    void absurdHeaderLengths() {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        assertRejected(file(safetensors(1L << 62, header, new byte[0])),
                "header length 4611686018427387904 exceeds the limit of 104857600 bytes");
        assertRejected(file(safetensors(-1L, header, new byte[0])),
                "header length 18446744073709551615 exceeds the limit");
        assertRejected(file(safetensors(1000, header, new byte[0])),
                "header length 1000 runs past the end of the file (10 bytes; truncated?)");
        assertRejected(file(safetensors(1, "{".getBytes(StandardCharsets.UTF_8), new byte[0])),
                "header length 1 is too short for a JSON object");
        assertRejected(file(new byte[] {8, 0, 0, 0}), "too short for a safetensors file (4 bytes");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "[1, 2]; the header is not a JSON object",
        "{\"a\":1,}; invalid JSON header at character 7: expected a member name in quotes",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} x; unexpected text after the JSON value",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{}}; duplicate member name \"a\"",
        "{'a': 1}; expected a member name in quotes",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}; the JSON ends too early"})
    void malformedJson(String header, String message) {
        assertRejected(withHeader(header), message);
    }

    @Test
    void deepNestingIsRefusedWithoutRecursingIntoIt() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertRejected(withHeader(deep), "nested more than 64 levels deep");
    }

    @Test
    void headerMustBeUtf8() {
        byte[] header = "{\"\u00e9\":1}".getBytes(StandardCharsets.ISO_8859_1);
        assertRejected(file(safetensors(header.length, header, new byte[0])), "the header is not valid UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}; unsupported dtype \"I32\"",
        "{\"dtype\":\"BOOL\",\"shape\":[8],\"data_offsets\":[0,8]}; unsupported dtype \"BOOL\"",
        "{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}; unsupported dtype \"F8_E4M3\"",
        "{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}; dtype I64: int64 is accepted only for keys ending in 'num_batches_tracked'",
        "{\"dtype\":\"F32\",\"shape\":[2]}; the tensor's fields are [dtype, shape]",
        "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}; the tensor's fields are [dtype, shape, data_offsets, x]",
        "{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}; dtype is not a string: the number 32",
        "{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}; shape is not an array of integers: the number 2",
        "{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}; shape: expected a non-negative integer, found -2",
        "{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}; shape: expected a non-negative integer, found 2.0",
        "{\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]}; found 2e0",
        "{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}; shape holds the string \"2\", expected non-negative integers",
        "{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}; does not fit in 64 bits",
        "{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4],\"data_offsets\":[0,8]}; overflows a 64-bit integer",
        "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}; data_offsets has 1 elements, expected 2",
        "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}; data_offsets [8, 0] end before they begin",
        "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,9223372036854775807]}; run past the end of the data (8 bytes",
        "{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}; shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8",
        "[1]; expected an object with dtype, shape and data_offsets, found an array"})
    void malformedTensorEntries(String entry, String message) {
        WeightFileException error = assertRejected(withHeader("{\"a\":" + entry + "}"), "key 'a': ", message);
        assertThat(error.key()).isEqualTo("a");
    }

    @Test
    void anUnsupportedDtypeMessageSaysWhatIsSupported() {
        assertRejected(withHeader("{\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}"),
                "key 'a': unsupported dtype \"I32\"; weights must be F32, F64, F16 or BF16 (I64 only for "
                        + "*num_batches_tracked)");
    }

    @Test
    void int64IsAcceptedForTheCounter() throws Exception {
        LoadedState state = StateDictFiles.read(withHeader(
                "{\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}",
                IoFixtures.littleEndianLongs(12)));

        assertThat(state.tensors().get("bn.num_batches_tracked").getLong(0)).isEqualTo(12);
        assertThat(state.tensors().get("bn.num_batches_tracked").rank()).isEqualTo(0);
    }

    @Test
    void tensorsMustTileTheDataExactly() {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        assertRejected(withHeader("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                littleEndianFloats(1, 2, 3)), "key 'b': data_offsets [4, 8] overlap those of 'a' [0, 8]");
        assertRejected(withHeader("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}"),
                "the data bytes [0, 4) belong to no tensor (a hole before 'b')");
        assertRejected(withHeader("{" + a + "}", littleEndianFloats(1, 2, 3)),
                "the data holds 12 bytes but the tensors cover 8 (trailing bytes)");
    }

    @Test
    void metadataMustMapStringsToStrings() {
        assertRejected(withHeader("{\"__metadata__\":{\"format\":1}}", new byte[0]),
                "__metadata__ \"format\" is not a string: the number 1");
        assertRejected(withHeader("{\"__metadata__\":[]}", new byte[0]), "__metadata__ is not an object of strings");
    }

    @Test
    void aTensorOfNoElementsAndA0dScalar() throws Exception {
        LoadedState state = StateDictFiles.read(withHeader("{\"e\":{\"dtype\":\"F32\",\"shape\":[0,4],"
                + "\"data_offsets\":[0,0]},\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}",
                littleEndianFloats(5)));

        assertThat(state.tensors().get("e").shape()).isEqualTo(new long[] {0, 4});
        assertThat(state.tensors().get("s").rank()).isEqualTo(0);
        assertThat(state.tensors().get("s").getFloat(0)).isEqualTo(5f);
    }
}
