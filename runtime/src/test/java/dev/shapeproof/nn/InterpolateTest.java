package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.nn.Reference.Tensor;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link F#interpolate} against {@link Reference} on seeded random inputs, and against values printed by PyTorch
 * 1.13 ({@code tools/golden/check_resize.py}, hard-coded here).
 */
class InterpolateTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    /** A resize: output size and the scale factor it came from (0 when a size was given). */
    private record Resize(int inH, int inW, int outH, int outW, double scaleH, double scaleW) {
        static Resize size(int inH, int inW, int outH, int outW) {
            return new Resize(inH, inW, outH, outW, 0, 0);
        }

        /** PyTorch's output size for a scale factor: floor(in · scale). */
        static Resize scale(int inH, int inW, double scaleH, double scaleW) {
            return new Resize(inH, inW, (int) Math.floor(inH * scaleH), (int) Math.floor(inW * scaleW), scaleH,
                    scaleW);
        }

        @Override
        public String toString() {
            return inH + "x" + inW + " -> " + outH + "x" + outW
                    + (scaleH > 0 ? " (scale " + scaleH + ", " + scaleW + ")" : " (size)");
        }
    }

    private static Arguments resize(String name, Resize resize) {
        return Arguments.of(name, resize);
    }

    static Stream<Arguments> nearestCases() {
        return Stream.of(
                resize("scale 2", Resize.scale(3, 4, 2, 2)),
                resize("size x2", Resize.size(5, 3, 10, 6)),
                resize("scale 3", Resize.scale(4, 5, 3, 3)),
                resize("scale (2, 3)", Resize.scale(3, 4, 2, 3)),
                resize("size (7, 5) from (3, 4)", Resize.size(3, 4, 7, 5)),
                resize("scale 1.5", Resize.scale(3, 5, 1.5, 1.5)),
                resize("scale 2.5", Resize.scale(4, 4, 2.5, 2.5)),
                resize("size (9, 13) from (4, 4)", Resize.size(4, 4, 9, 13)),
                resize("down size (2, 3) from (5, 7)", Resize.size(5, 7, 2, 3)),
                resize("down scale 0.5", Resize.scale(6, 8, 0.5, 0.5)),
                resize("1x1 to 8x8", Resize.size(1, 1, 8, 8)),
                resize("height only", Resize.scale(4, 5, 2, 1)),
                resize("width only, non-integer", Resize.size(4, 5, 4, 7)),
                resize("scale 2.05, out == 2·in", Resize.scale(2, 10, 2.05, 2.05)),
                resize("same size", Resize.size(3, 4, 3, 4)));
    }

    static Stream<Arguments> bilinearCases() {
        return Stream.of(
                resize("scale 4 from 4x4", Resize.scale(4, 4, 4, 4)),
                resize("size 16x16 from 4x4", Resize.size(4, 4, 16, 16)),
                resize("size (9, 13) from 4x4", Resize.size(4, 4, 9, 13)),
                resize("1x1 to 8x8", Resize.size(1, 1, 8, 8)),
                resize("scale 2 from 5x7", Resize.scale(5, 7, 2, 2)),
                resize("scale 1.5 from 5x5", Resize.scale(5, 5, 1.5, 1.5)),
                resize("size 7x7 from 5x5", Resize.size(5, 5, 7, 7)),
                resize("down size (3, 5) from (7, 11)", Resize.size(7, 11, 3, 5)),
                resize("down scale 0.5", Resize.scale(8, 6, 0.5, 0.5)),
                resize("scale 1.2, out == in", Resize.scale(4, 4, 1.2, 1.2)),
                resize("height only", Resize.size(4, 6, 8, 6)),
                resize("to one row", Resize.size(5, 6, 1, 3)),
                resize("from one row", Resize.size(1, 6, 4, 9)),
                resize("scale 8 from 3x2 (DeepLab-like)", Resize.scale(3, 2, 8, 8)),
                resize("same size", Resize.size(3, 4, 3, 4)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("nearestCases")
    void nearestMatchesReference(String name, Resize r) {
        Random random = new Random(name.hashCode());
        checkNearest(name, randn(random, 1, 2, 3, r.inH(), r.inW()), r);
        checkNearest(name + ", permuted view", Kernels.asPermutedView(randn(random, 1, 2, 3, r.inH(), r.inW())), r);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("bilinearCases")
    void bilinearMatchesReference(String name, Resize r) {
        Random random = new Random(name.hashCode());
        for (boolean alignCorners : new boolean[] {false, true}) {
            checkBilinear(name, randn(random, 1, 2, 3, r.inH(), r.inW()), r, alignCorners);
            checkBilinear(name + ", permuted view", Kernels.asPermutedView(randn(random, 1, 2, 3, r.inH(), r.inW())),
                    r, alignCorners);
        }
    }

    /** Seeded random sizes and scale factors, both modes. */
    @Test
    void randomResizes() {
        Random random = new Random(2024);
        double[] scales = {0.5, 0.75, 1.25, 1.5, 2, 2.5, 3, 4, 1.0 / 3};
        for (int i = 0; i < 60; i++) {
            int inH = 1 + random.nextInt(9);
            int inW = 1 + random.nextInt(9);
            Resize r;
            if (random.nextBoolean()) {
                r = Resize.size(inH, inW, 1 + random.nextInt(20), 1 + random.nextInt(20));
            } else {
                r = Resize.scale(inH, inW, scales[random.nextInt(scales.length)], scales[random.nextInt(scales.length)]);
                if (r.outH() < 1 || r.outW() < 1) {
                    continue;
                }
            }
            INDArray x = randn(random, 1, 1 + random.nextInt(3), 1 + random.nextInt(4), inH, inW);
            String name = "random " + i;
            checkNearest(name, x, r);
            checkBilinear(name, x, r, random.nextBoolean());
            if (x.size(1) > 1 && inH * inW > 1) { // a convolution's result: channels last, read image by image
                INDArray channelsLast = Kernels.asPermutedView(x);
                checkNearest(name + ", channels last", channelsLast, r);
                checkBilinear(name + ", channels last", channelsLast, r, random.nextBoolean());
            }
        }
    }

    private static void checkNearest(String name, INDArray x, Resize r) {
        INDArray y = untouched(() -> F.interpolate(x, r.outH(), r.outW(), r.scaleH(), r.scaleW(), "nearest", false), x);
        assertThat(y.ordering()).isEqualTo('c');
        assertClose("interpolate nearest", name + " " + r, y,
                Reference.interpolateNearest(Tensor.of(x), r.outH(), r.outW(), r.scaleH(), r.scaleW()));
    }

    private static void checkBilinear(String name, INDArray x, Resize r, boolean alignCorners) {
        INDArray y = untouched(() -> F.interpolate(x, r.outH(), r.outW(), r.scaleH(), r.scaleW(), "bilinear",
                alignCorners), x);
        assertThat(y.ordering()).isEqualTo('c');
        assertClose("interpolate bilinear" + (alignCorners ? " align_corners" : ""),
                name + " " + r + " alignCorners " + alignCorners, y,
                Reference.interpolateBilinear(Tensor.of(x), r.outH(), r.outW(), r.scaleH(), r.scaleW(), alignCorners));
    }

    /** DeepLab's ASPP image-pooling branch: a 1×1 map upsampled bilinearly is that value everywhere, exactly. */
    @Test
    void bilinearFromOnePixelIsConstant() {
        INDArray x = randn(new Random(5), 1, 2, 4, 1, 1);
        for (boolean alignCorners : new boolean[] {false, true}) {
            INDArray y = untouched(() -> F.interpolate(x, 8, 8, 0, 0, "bilinear", alignCorners), x);
            assertThat(y.shape()).isEqualTo(new long[] {2, 4, 8, 8});
            INDArray expected = x.broadcast(2, 4, 8, 8);
            assertWithMessage("alignCorners %s", alignCorners).that(Tensor.of(y).data()).usingExactEquality()
                    .containsExactly(Tensor.of(expected).data()).inOrder();
        }
    }

    /** Integer nearest upsampling repeats each cell k×k times (the upsampling2d path), exactly. */
    @Test
    void nearestIntegerScaleRepeatsCells() {
        INDArray x = randn(new Random(6), 1, 1, 2, 3, 4);
        INDArray y = F.interpolate(x, 6, 12, 2, 3, "nearest", false);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 12; j++) {
                assertThat(y.getDouble(0, 1, i, j)).isEqualTo(x.getDouble(0, 1, i / 2, j / 3));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ PyTorch 1.13 values

    /** The input of tools/golden/check_resize.py: x[flat] = float32(((flat·37) mod 101)/10 − 5), c order. */
    static INDArray pattern(long... shape) {
        int count = 1;
        for (long s : shape) {
            count *= (int) s;
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (((i * 37L) % 101) / 10.0 - 5.0);
        }
        return Nd4j.create(values, shape, 'c');
    }

    private static Arguments torch(String name, long[] shape, int outH, int outW, double scaleH, double scaleW,
                                   String mode, boolean alignCorners, int[] indices, float[] values) {
        return Arguments.of(name, shape, new Object[] {outH, outW, scaleH, scaleW, mode, alignCorners}, indices,
                values);
    }

    /** Printed by /usr/bin/python3 tools/golden/check_resize.py (torch 1.13.0a0). */
    static Stream<Arguments> torchCases() {
        return Stream.of(
                torch("nearest x2", new long[] {1, 2, 3, 4}, 6, 8, 2, 2, "nearest", false,
                        new int[] {0, 1, 13, 32, 48, 64, 94, 95},
                        new float[] {-5.0f, -5.0f, 2.4f, 4.4f, -1.0f, 3.7f, -0.7f, -0.7f}),
                torch("nearest size (7,5)", new long[] {1, 2, 3, 4}, 7, 5, 0, 0, "nearest", false,
                        new int[] {0, 1, 10, 23, 35, 46, 68, 69},
                        new float[] {-5.0f, -5.0f, -5.0f, -3.0f, -1.0f, -1.0f, -4.4f, -0.7f}),
                torch("nearest x1.5", new long[] {1, 1, 3, 5}, 4, 7, 1.5, 1.5, "nearest", false,
                        new int[] {0, 1, 4, 9, 14, 18, 26, 27},
                        new float[] {-5.0f, -5.0f, 2.4f, -1.3f, 3.4f, 0.7f, 2.7f, -3.7f}),
                torch("bilinear x4 align False", new long[] {1, 2, 4, 4}, 16, 16, 4, 4, "bilinear", false,
                        new int[] {0, 1, 73, 170, 256, 341, 510, 511},
                        new float[] {-5.0f, -5.0f, -0.64843744f, 0.3828126f, 3.7f, 1.1078125f, -1.4f, -1.4f}),
                torch("bilinear x4 align True", new long[] {1, 2, 4, 4}, 16, 16, 4, 4, "bilinear", true,
                        new int[] {0, 1, 73, 170, 256, 341, 510, 511},
                        new float[] {-5.0f, -4.26f, -1.0440001f, 1.6999998f, 3.7f, 1.9999999f, -0.12000048f, -1.4f}),
                torch("bilinear size (9,13) align False", new long[] {2, 1, 4, 4}, 9, 13, 0, 0, "bilinear", false,
                        new int[] {0, 1, 33, 78, 117, 156, 232, 233},
                        new float[] {-5.0f, -5.0f, -0.4245728f, 2.3f, 3.7f, -1.4388889f, -1.3999999f, -1.4f}),
                torch("bilinear size (9,13) align True", new long[] {2, 1, 4, 4}, 9, 13, 0, 0, "bilinear", true,
                        new int[] {0, 1, 33, 78, 117, 156, 232, 233},
                        new float[] {-5.0f, -4.075f, -0.68125f, 3.0500002f, 3.7f, -1.1125001f, 0.20000002f, -1.4f}),
                torch("bilinear 1x1 -> 8x8", new long[] {1, 3, 1, 1}, 8, 8, 0, 0, "bilinear", false,
                        new int[] {0, 1, 27, 64, 96, 128, 190, 191},
                        new float[] {-5.0f, -5.0f, -5.0f, -1.3f, -1.3f, 2.4f, 2.4f, 2.4f}),
                torch("bilinear x1.5 align False", new long[] {1, 1, 5, 5}, 7, 7, 1.5, 1.5, "bilinear", false,
                        new int[] {0, 1, 7, 16, 24, 32, 47, 48},
                        new float[] {-5.0f, -3.15f, -0.79999995f, -2.6666663f, -1.3333333f, 2.3841858e-07f,
                                0.20000009f, 2.666667f}),
                torch("bilinear size (7,7) align False", new long[] {1, 1, 5, 5}, 7, 7, 0, 0, "bilinear", false,
                        new int[] {0, 1, 7, 16, 24, 32, 47, 48},
                        new float[] {-5.0f, -2.885714f, -0.19999973f, -2.4285712f, -0.9999999f, 0.42857158f,
                                0.88571465f, 3.0f}),
                torch("bilinear down (3,5) align False", new long[] {1, 1, 7, 11}, 3, 5, 0, 0, "bilinear", false,
                        new int[] {0, 1, 2, 5, 7, 10, 13, 14},
                        new float[] {-2.58f, -2.5200005f, 3.5999994f, -1.8799999f, 4.299999f, -1.1800001f,
                                1.0199988f, 1.0800008f}),
                torch("bilinear x1.2, out == in", new long[] {1, 1, 4, 4}, 4, 4, 1.2, 1.2, "bilinear", false,
                        new int[] {0, 1, 2, 5, 8, 10, 14, 15},
                        new float[] {-5.0f, -1.3f, 2.4f, 3.4f, 4.4f, 1.7f, -3.7f, 0.0f}),
                torch("nearest x2.05, out == 2*in", new long[] {1, 1, 2, 10}, 4, 20, 2.05, 2.05, "nearest", false,
                        new int[] {0, 1, 11, 26, 40, 53, 78, 79},
                        new float[] {-5.0f, -5.0f, 3.4f, -4.0f, 1.7f, 3.7f, 4.7f, 4.7f}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("torchCases")
    void matchesPyTorch(String name, long[] shape, Object[] args, int[] indices, float[] values) {
        int outH = (Integer) args[0];
        int outW = (Integer) args[1];
        INDArray x = pattern(shape);
        INDArray y = untouched(() -> F.interpolate(x, outH, outW, (Double) args[2], (Double) args[3],
                (String) args[4], (Boolean) args[5]), x);
        assertThat(y.shape()).isEqualTo(new long[] {shape[0], shape[1], outH, outW});
        // float32 rounding differs from PyTorch's order of operations: allow 1e-6 of the input's magnitude (5)
        double tolerance = 1e-6 * Math.max(1, x.amaxNumber().doubleValue());
        double maxError = 0;
        for (int k = 0; k < indices.length; k++) {
            double error = Math.abs(y.getDouble(indices[k]) - values[k]);
            maxError = Math.max(maxError, error);
            assertWithMessage("%s at flat index %s", name, indices[k]).that(error).isAtMost(tolerance);
        }
        Kernels.record("interpolate vs torch " + args[4], maxError);
    }

    // ---------------------------------------------------------------------------------------------------- errors

    @Test
    void rejectsWhatPyTorchRejects() {
        INDArray x = randn(new Random(7), 1, 1, 2, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> F.interpolate(x, 8, 8, 0, 0, "bicubic", false));
        assertThrows(IllegalArgumentException.class, () -> F.interpolate(x, 8, 8, 0, 0, "nearest", true));
        assertThrows(IllegalArgumentException.class, () -> F.interpolate(x, 0, 8, 0, 0, "nearest", false));
        assertThrows(IllegalArgumentException.class, () -> F.interpolate(x, 8, 8, -2, 2, "bilinear", false));
        assertThrows(IllegalArgumentException.class,
                () -> F.interpolate(randn(new Random(8), 1, 2, 4, 4), 8, 8, 0, 0, "bilinear", false));
    }
}
