package dev.shapeproof.summary;

import static com.google.common.truth.Truth.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@link Numbers}: Python's {@code "%0.2f"} and {@code "{:,}"}. Expected values are what CPython 3 prints: its float
 * formatting rounds the exact binary value half-even.
 */
class NumbersTest {

    @Test
    void exactTiesRoundToEven() {
        assertThat(Numbers.fixed2(0.125)).isEqualTo("0.12"); // Python: '%0.2f' % 0.125 == '0.12'
        assertThat(Numbers.fixed2(0.375)).isEqualTo("0.38");
        assertThat(Numbers.fixed2(0.625)).isEqualTo("0.62");
        assertThat(Numbers.fixed2(2.5 / 1024)).isEqualTo("0.00");
        assertThat(Numbers.fixed2(1.125)).isEqualTo("1.12");
        assertThat(Numbers.fixed2(1.375)).isEqualTo("1.38");
    }

    @Test
    void decimalLookingTiesFollowTheBinaryValue() {
        // 0.135 is stored as 0.13500000000000000888…: above the tie, so 0.14
        assertThat(Numbers.fixed2(0.135)).isEqualTo("0.14");
        // 1.005 is stored as 1.00499999999999989…: below the tie, so 1.00 (a decimal HALF_UP would give 1.01)
        assertThat(Numbers.fixed2(1.005)).isEqualTo("1.00");
        // 2.675 is stored as 2.67499999999999982…
        assertThat(Numbers.fixed2(2.675)).isEqualTo("2.67");
        assertThat(Numbers.fixed2(0.145)).isEqualTo("0.14"); // 0.14499999999999999…
    }

    @Test
    void plainDigitsWithoutSeparators() {
        assertThat(Numbers.fixed2(0)).isEqualTo("0.00");
        assertThat(Numbers.fixed2(260_992)).isEqualTo("260992.00");
        assertThat(Numbers.fixed2(1e20)).isEqualTo("100000000000000000000.00");
    }

    @Test
    void megabytesAreMebibytes() {
        assertThat(Numbers.megabytes(131_072)).isEqualTo("0.12"); // 0.125 MiB
        assertThat(Numbers.megabytes(87_360)).isEqualTo("0.08");
        assertThat(Numbers.megabytes(1_048_576)).isEqualTo("1.00");
        assertThat(Numbers.megabytes(1_000_000)).isEqualTo("0.95"); // not 1.00: MiB, not MB
    }

    @Test
    void countsUseCommasInEveryLocale() {
        Locale saved = Locale.getDefault();
        try {
            for (Locale locale : new Locale[] {Locale.GERMANY, Locale.FRANCE, new Locale("hi", "IN"), Locale.US}) {
                Locale.setDefault(locale);
                assertThat(Numbers.count(1_234_567)).isEqualTo("1,234,567");
                assertThat(Numbers.count(1_000_000)).isEqualTo("1,000,000");
                assertThat(Numbers.count(999)).isEqualTo("999");
                assertThat(Numbers.count(0)).isEqualTo("0");
                assertThat(Numbers.fixed2(0.5)).isEqualTo("0.50");
            }
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void realsPrintIntegersWithoutAFraction() {
        assertThat(Numbers.real(67.0)).isEqualTo("67");
        assertThat(Numbers.real(0.5)).isEqualTo("0.5");
        assertThat(Numbers.real(-1.0)).isEqualTo("-1");
    }
}
