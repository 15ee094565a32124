package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.nn.Reference.Tensor;
import dev.shapeproof.shape.Window;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link F#maxPool2d}, {@link F#avgPool2d} and {@link F#adaptiveAvgPool2d} against {@link Reference}. */
class PoolingTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    /** name, H, W, height window, width window. */
    static Stream<Arguments> maxPoolConfigs() {
        return Stream.of(
                pool("2 s2", 12, 12, Window.of(2, 2, 0, 1), Window.of(2, 2, 0, 1)),
                pool("2 s2 odd input", 11, 13, Window.of(2, 2, 0, 1), Window.of(2, 2, 0, 1)),
                pool("3 s2 p1", 11, 10, Window.of(3, 2, 1, 1), Window.of(3, 2, 1, 1)),
                pool("3 s1 p1", 7, 8, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1)),
                pool("3 s1 p1 d2", 9, 10, Window.of(3, 1, 1, 2), Window.of(3, 1, 1, 2)),
                pool("3 s2 d3", 13, 14, Window.of(3, 2, 0, 3), Window.of(3, 2, 0, 3)),
                pool("2 s1 d2 p1", 8, 9, Window.of(2, 1, 1, 2), Window.of(2, 1, 1, 2)),
                pool("3x2 s(2,1)", 9, 8, Window.of(3, 2, 0, 1), Window.of(2, 1, 0, 1)),
                pool("3 s3 p1", 10, 11, Window.of(3, 3, 1, 1), Window.of(3, 3, 1, 1)),
                // ceil mode
                pool("3 s2 ceil", 8, 8, ceil(Window.of(3, 2, 0, 1)), ceil(Window.of(3, 2, 0, 1))),
                pool("2 s2 p1 ceil, last window dropped", 11, 11, ceil(Window.of(2, 2, 1, 1)),
                        ceil(Window.of(2, 2, 1, 1))),
                pool("3 s2 p1 ceil", 10, 9, ceil(Window.of(3, 2, 1, 1)), ceil(Window.of(3, 2, 1, 1))),
                pool("3 s2 p1 d2 ceil", 12, 11, ceil(Window.of(3, 2, 1, 2)), ceil(Window.of(3, 2, 1, 2))),
                pool("2 s3 ceil", 10, 11, ceil(Window.of(2, 3, 0, 1)), ceil(Window.of(2, 3, 0, 1))),
                pool("3 s2 ceil height only", 8, 8, ceil(Window.of(3, 2, 0, 1)), Window.of(3, 2, 0, 1)),
                pool("asymmetric", 9, 8, new Window(3, 1, 0, 1, 1, false), new Window(2, 2, 1, 0, 1, false)));
    }

    /** name, H, W, height window, width window (dilation 1). */
    static Stream<Arguments> avgPoolConfigs() {
        return Stream.of(
                pool("2 s2", 12, 12, Window.of(2, 2, 0, 1), Window.of(2, 2, 0, 1)),
                pool("3 s1 p1", 7, 8, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1)),
                pool("3 s2 p1", 11, 10, Window.of(3, 2, 1, 1), Window.of(3, 2, 1, 1)),
                pool("5 s2 p2", 11, 12, Window.of(5, 2, 2, 1), Window.of(5, 2, 2, 1)),
                pool("3x2 s(2,1) p(1,0)", 9, 8, Window.of(3, 2, 1, 1), Window.of(2, 1, 0, 1)),
                pool("3 s2 ceil", 8, 8, ceil(Window.of(3, 2, 0, 1)), ceil(Window.of(3, 2, 0, 1))),
                pool("3 s2 p1 ceil", 10, 9, ceil(Window.of(3, 2, 1, 1)), ceil(Window.of(3, 2, 1, 1))),
                pool("2 s2 p1 ceil, last window dropped", 11, 11, ceil(Window.of(2, 2, 1, 1)),
                        ceil(Window.of(2, 2, 1, 1))),
                pool("3 s3 p1 ceil", 10, 11, ceil(Window.of(3, 3, 1, 1)), ceil(Window.of(3, 3, 1, 1))),
                pool("4 s3 p2 ceil", 12, 13, ceil(Window.of(4, 3, 2, 1)), ceil(Window.of(4, 3, 2, 1))),
                pool("2 s2 ceil odd", 7, 9, ceil(Window.of(2, 2, 0, 1)), ceil(Window.of(2, 2, 0, 1))),
                pool("asymmetric", 9, 8, new Window(3, 1, 0, 1, 1, false), new Window(2, 2, 1, 0, 1, false)));
    }

    private static Window ceil(Window window) {
        return window.ceilMode(true);
    }

    private static Arguments pool(String name, int h, int w, Window height, Window width) {
        return Arguments.of(name, h, w, height, width);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxPoolConfigs")
    void maxPoolMatchesReference(String name, int h, int w, Window height, Window width) {
        Random random = new Random(name.hashCode());
        checkMax(name, randn(random, 1, 2, 3, h, w), height, width);
        // all-negative input: padding must act as -inf, not 0
        checkMax(name + ", negative", randn(random, 1, 2, 3, h, w).muli(0.1).subi(5), height, width);
        checkMax(name + ", permuted view", Kernels.asPermutedView(randn(random, 1, 2, 3, h, w)), height, width);
    }

    @Test
    void maxPoolDropsTheLastWindowWhenItStartsInThePadding() {
        INDArray x = randn(new Random(3), 1, 1, 1, 11, 11);
        Window window = Window.of(2, 2, 1, 1).ceilMode(true);
        assertThat(F.maxPool2d(x, window, window).shape()).isEqualTo(new long[] {1, 1, 6, 6});
        assertThat(F.avgPool2d(x, window, window, true).shape()).isEqualTo(new long[] {1, 1, 6, 6});
        Window floor = Window.of(3, 2, 0, 1);
        assertThat(F.maxPool2d(randn(new Random(4), 1, 1, 1, 8, 8), floor.ceilMode(true), floor).shape())
                .isEqualTo(new long[] {1, 1, 4, 3});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avgPoolConfigs")
    void avgPoolMatchesReference(String name, int h, int w, Window height, Window width) {
        Random random = new Random(name.hashCode());
        for (boolean countIncludePad : new boolean[] {true, false}) {
            checkAvg(name, randn(random, 1, 2, 3, h, w), height, width, countIncludePad);
            checkAvg(name + ", permuted view", Kernels.asPermutedView(randn(random, 1, 2, 3, h, w)), height, width,
                    countIncludePad);
        }
    }

    /** Seeded random windows within PyTorch's limits (padding ≤ kernel/2). */
    @Test
    void randomConfigurations() {
        Random random = new Random(777);
        int checked = 0;
        while (checked < 80) {
            boolean max = checked % 2 == 0;
            Window height = randomPoolWindow(random, max);
            Window width = randomPoolWindow(random, max).ceilMode(height.ceilMode());
            int h = 1 + random.nextInt(14);
            int w = 1 + random.nextInt(14);
            // Kernels that fit the padded input, the draws this test has always made; ceil mode's overhang, which
            // Window.fits admits too, has tests of its own (PoolingOverhangTest).
            if (height.effectiveKernel() > height.paddedSize(h) || width.effectiveKernel() > width.paddedSize(w)) {
                continue;
            }
            INDArray x = randn(random, 1, 1 + random.nextInt(2), 1 + random.nextInt(3), h, w);
            String name = "random " + checked + " " + height + " " + width + " on " + h + "x" + w;
            if (max) {
                checkMax(name, x, height, width);
            } else {
                checkAvg(name, x, height, width, random.nextBoolean());
            }
            checked++;
        }
    }

    private static Window randomPoolWindow(Random random, boolean dilation) {
        int kernel = 1 + random.nextInt(4);
        return Window.kernel(kernel).stride(1 + random.nextInt(3)).padding(random.nextInt(kernel / 2 + 1))
                .dilation(dilation ? 1 + random.nextInt(3) : 1).ceilMode(random.nextBoolean());
    }

    private static void checkMax(String name, INDArray x, Window height, Window width) {
        INDArray y = untouched(() -> F.maxPool2d(x, height, width), x);
        String op = "max_pool2d" + (height.dilation() > 1 || width.dilation() > 1 ? " dilated" : "")
                + (height.ceilMode() ? " ceil" : "");
        assertClose(op, name, y, Reference.maxPool2d(Tensor.of(x), height, width));
    }

    private static void checkAvg(String name, INDArray x, Window height, Window width, boolean countIncludePad) {
        INDArray y = untouched(() -> F.avgPool2d(x, height, width, countIncludePad), x);
        String op = "avg_pool2d" + (height.ceilMode() ? " ceil" : "") + (countIncludePad ? "" : " exclude-pad");
        assertClose(op, name + ", countIncludePad " + countIncludePad, y,
                Reference.avgPool2d(Tensor.of(x), height, width, countIncludePad));
    }

    @Test
    void poolsRejectWhatPyTorchRejects() {
        INDArray x = randn(new Random(5), 1, 1, 2, 8, 8);
        Window k2 = Window.of(2, 2, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(x, Window.of(2, 2, 2, 1), k2));
        assertThrows(IllegalArgumentException.class, () -> F.avgPool2d(x, Window.of(3, 1, 1, 2), k2, true));
        assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(x, Window.of(9, 1, 0, 1), k2));
    }

    // -------------------------------------------------------------------------------------------- adaptive pooling

    static Stream<Arguments> adaptiveConfigs() {
        return Stream.of(
                Arguments.of(8, 8, 4, 4), Arguments.of(8, 8, 1, 1), Arguments.of(7, 7, 1, 1),
                Arguments.of(12, 6, 3, 2), Arguments.of(8, 8, 8, 8), // divisible
                Arguments.of(7, 7, 3, 3), Arguments.of(10, 9, 4, 5), Arguments.of(5, 7, 5, 3),
                Arguments.of(6, 5, 4, 5), Arguments.of(3, 3, 5, 5), Arguments.of(13, 11, 7, 1),
                Arguments.of(1, 9, 1, 4), Arguments.of(14, 14, 6, 6)); // not divisible
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @MethodSource("adaptiveConfigs")
    void adaptiveAvgPoolMatchesReference(int h, int w, int oh, int ow) {
        Random random = new Random(31L * h + 17L * w + 7L * oh + ow);
        for (INDArray x : new INDArray[] {randn(random, 1, 2, 3, h, w),
                Kernels.asPermutedView(randn(random, 1, 2, 3, h, w))}) {
            INDArray y = untouched(() -> F.adaptiveAvgPool2d(x, oh, ow), x);
            String op = "adaptive_avg_pool2d" + (h % oh == 0 && w % ow == 0 ? "" : " uneven");
            assertClose(op, h + "x" + w + " -> " + oh + "x" + ow, y,
                    Reference.adaptiveAvgPool2d(Tensor.of(x), oh, ow));
        }
    }

    /**
     * Global average pooling of a convolution-sized channels-last batch (a classifier's last pooling): more pixel
     * rows than one chunk the Java kernel reads at a time, in two images.
     */
    @Test
    void globalAveragePoolOfALargeChannelsLastBatch() {
        Random random = new Random(44);
        INDArray x = Kernels.asPermutedView(randn(random, 1, 2, 256, 18, 18));
        INDArray y = untouched(() -> F.adaptiveAvgPool2d(x, 1, 1), x);
        assertThat(y.shape()).isEqualTo(new long[] {2, 256, 1, 1});
        assertClose("adaptive_avg_pool2d", "2x256x18x18 channels last -> 1x1", y,
                Reference.adaptiveAvgPool2d(Tensor.of(x), 1, 1));
    }
}
