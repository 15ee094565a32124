package dev.shapeproof.io;

/**
 * IEEE binary16 (float16) and bfloat16 to and from float32, bit for bit.
 *
 * <p>Widening is exact. Narrowing rounds to nearest, ties to even, as numpy's {@code astype(np.float16)} and
 * PyTorch's {@code .to(torch.bfloat16)} do; values past the largest finite one become infinity, and NaN stays NaN
 * (quiet). Java 17 has no {@code Float.float16ToFloat}; it arrived in Java 20.
 */
final class HalfFloats {
    private HalfFloats() {}

    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            // Infinity, or NaN with its payload moved to float32's top mantissa bits.
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa units of 2^-24, exactly representable in float32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7fff_ffff;
        if (magnitude >= 0x7f80_0000) {
            if (magnitude == 0x7f80_0000) {
                return (short) (sign | 0x7c00);
            }
            return (short) (sign | 0x7e00 | ((magnitude >>> 13) & 0x3ff));
        }
        if (magnitude >= 0x477f_f000) {
            // 65520 and above: halfway to 2^16 or past it, which rounds (ties to even) to infinity.
            return (short) (sign | 0x7c00);
        }
        if (magnitude >= 0x3880_0000) {
            // A normal float16 (>= 2^-14): rebias the exponent, then round away the low 13 mantissa bits.
            int rebiased = magnitude - 0x3800_0000;
            int rounded = rebiased + 0x0fff + ((rebiased >>> 13) & 1);
            return (short) (sign | (rounded >>> 13));
        }
        if (magnitude < 0x3300_0000) {
            // Below 2^-25, half the smallest subnormal: rounds to zero.
            return (short) sign;
        }
        // Subnormal float16: count units of 2^-24 and round the remainder, ties to even. A result of 0x400 is the
        // smallest normal number, which is also the right encoding.
        int exponent = magnitude >>> 23;
        int significand = (magnitude & 0x7f_ffff) | 0x80_0000;
        int shift = 126 - exponent;
        int units = significand >>> shift;
        int remainder = significand & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (units & 1) != 0)) {
            units++;
        }
        return (short) (sign | units);
    }

    static float bfloat16ToFloat(short value) {
        return Float.intBitsToFloat((value & 0xffff) << 16);
    }

    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Round to nearest even on the dropped 16 bits; a carry into the exponent is the right result, up to
        // infinity for the largest floats.
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
