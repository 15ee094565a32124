package dev.shapeproof.processor.op;

import static com.google.common.truth.Truth.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Messages print counts as {@code String.format("%,d")} does in the root locale; Shapes writes them by hand. */
class ShapesCountTest {
    @Test
    void countsAsFormatDoes() {
        long[] values = {0, 7, -7, 999, 1_000, -1_000, 12_345, 999_999, 1_000_000, 2_147_483_647L, -2_147_483_648L,
            Long.MAX_VALUE, Long.MIN_VALUE};
        for (long value : values) {
            assertThat(Shapes.count(value)).isEqualTo(String.format(Locale.ROOT, "%,d", value));
        }
    }
}
