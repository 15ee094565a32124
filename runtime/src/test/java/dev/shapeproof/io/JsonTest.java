package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The safetensors header's JSON reader: RFC 8259, nothing more. */
class JsonTest {

    @Test
    void readsObjectsInDocumentOrder() throws Exception {
        Object value = Json.parse(" {\"b\": [1, -2.5e3, true, false, null], \"a\": {\"x\": \"\\u00e9\\n\\\"\"}} ");

        assertThat(value).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) value;
        assertThat(List.copyOf(map.keySet())).containsExactly("b", "a").inOrder();
        assertThat((List<?>) map.get("b")).containsExactly(new Json.Number("1"), new Json.Number("-2.5e3"),
                Boolean.TRUE, Boolean.FALSE, Json.NULL).inOrder();
        assertThat(((Map<?, ?>) map.get("a")).get("x")).isEqualTo("é\n\"");
    }

    @Test
    void surrogatePairs() throws Exception {
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("\ud83d\ude00");
        assertThat(assertThrows(BadInput.class, () -> Json.parse("\"\\ud83d\""))).hasMessageThat()
                .contains("unpaired surrogate");
        assertThat(assertThrows(BadInput.class, () -> Json.parse("\"\\ude00\""))).hasMessageThat()
                .contains("unpaired surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "\"a", "\"\\x\"",
        "\"\\u12g4\"", "\"\t\"", "tru", "nul", "{\"a\" 1}", "{1:2}", "[1 2]", "{} {}", "NaN", "Infinity",
        "\"\\u٣٣٣٣\""})
    void rejectsWhatIsNotJson(String text) {
        assertThat(assertThrows(BadInput.class, () -> Json.parse(text))).hasMessageThat()
                .startsWith("invalid JSON header at character ");
    }

    @Test
    void integersAreCheckedExactly() throws Exception {
        assertThat(new Json.Number("9223372036854775807").nonNegativeLong()).isEqualTo(Long.MAX_VALUE);
        assertThrows(BadInput.class, () -> new Json.Number("9223372036854775808").nonNegativeLong());
        assertThrows(BadInput.class, () -> new Json.Number("1e999999999").nonNegativeLong());
        assertThrows(BadInput.class, () -> new Json.Number("-0").nonNegativeLong());
    }

    @Test
    void quoteEscapesWhatJsonRequires() throws Exception {
        String tricky = "a\"b\\c\nd\u0001é";
        assertThat(Json.quote(tricky)).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001é\"");
        assertThat(Json.parse(Json.quote(tricky))).isEqualTo(tricky);
    }
}
