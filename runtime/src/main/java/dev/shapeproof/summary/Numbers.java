package dev.shapeproof.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** The number spellings every format shares, independent of the default locale. */
final class Numbers {
    /** torchsummary's (and our) size of one number: float32. */
    static final int BYTES_PER_NUMBER = 4;

    /** torchsummary divides by 1024²: its "MB" are MiB. */
    static final double BYTES_PER_MB = 1024.0 * 1024.0;

    private Numbers() {}

    /** Python's {@code "{:,}".format(n)}: {@code 1,234,567}, whatever the default locale. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Python's {@code "%0.2f" % x}: the exact binary value of {@code x} rounded half-even to two decimals, so
     * {@code 0.125} gives {@code 0.12} (Java's {@code %.2f} gives {@code 0.13}) and {@code 1.005}, stored as
     * 1.00499999999999989…, gives {@code 1.00}. No thousands separators, like Python.
     */
    static String fixed2(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("not a finite size: " + x);
        }
        return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Bytes as torchsummary's "MB" (MiB), formatted as {@link #fixed2}. */
    static String megabytes(long bytes) {
        return fixed2(bytes / BYTES_PER_MB);
    }

    /** An integer as itself, any other value as Java's shortest round-trip spelling ({@code 0.5}). */
    static String real(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
