package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.nn.Reference.Tensor;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link F#conv2d} against {@link Reference#conv2d}. */
class Conv2dTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    /** name, N, C, H, W, out, height window, width window, groups, bias. */
    static Stream<Arguments> configs() {
        return Stream.of(
                conv("3x3 s1 p1", 2, 3, 9, 10, 5, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 1, true),
                conv("3x3 s2 p1", 2, 3, 11, 9, 4, Window.of(3, 2, 1, 1), Window.of(3, 2, 1, 1), 1, true),
                conv("3x3 s3 p0", 1, 2, 13, 14, 3, Window.of(3, 3, 0, 1), Window.of(3, 3, 0, 1), 1, true),
                conv("3x3 d2 p2", 2, 4, 12, 12, 6, Window.of(3, 1, 2, 2), Window.of(3, 1, 2, 2), 1, true),
                conv("3x3 d3 p3", 2, 4, 12, 11, 6, Window.of(3, 1, 3, 3), Window.of(3, 1, 3, 3), 1, true),
                // kernel wider than a 1-pixel-wide map: some taps lie in the padding for every output column
                conv("5x5 p2 on 3x1", 1, 1, 3, 1, 1, Window.of(5, 1, 2, 1), Window.of(5, 1, 2, 1), 1, true),
                conv("same 5x5 d2 on 2x2", 2, 2, 2, 2, 3, Window.same(5, 2), Window.same(5, 2), 1, false),
                // large enough for one convolution per phase on oneDNN (F.dilatedPhaseByPhase): padded, unpadded
                // (strided views of the input itself), and asymmetric 'same' padding
                conv("3x3 d2 p2 80x80", 2, 8, 80, 80, 8, Window.of(3, 1, 2, 2), Window.of(3, 1, 2, 2), 1, true),
                conv("3x3 d2 p0 80x80", 2, 8, 80, 80, 8, Window.of(3, 1, 0, 2), Window.of(3, 1, 0, 2), 1, false),
                conv("same 4x4 d3 90x90", 4, 8, 90, 90, 8, Window.same(4, 3), Window.same(4, 3), 1, true),
                // dilated phases: padding wider than the dilation, and an output smaller than one phase period
                conv("3x3 d2 p5", 2, 3, 7, 6, 4, Window.of(3, 1, 5, 2), Window.of(3, 1, 5, 2), 1, true),
                conv("3x3 d3 p1 out 1x2", 1, 2, 5, 6, 3, Window.of(3, 1, 1, 3), Window.of(3, 1, 1, 3), 1, true),
                conv("3x3 s2 d3 p0", 2, 3, 15, 16, 4, Window.of(3, 2, 0, 3), Window.of(3, 2, 0, 3), 1, true),
                conv("3x3 s3 d2 p1", 1, 3, 16, 17, 4, Window.of(3, 3, 1, 2), Window.of(3, 3, 1, 2), 1, true),
                conv("5x3 s(2,1) p(2,1) d(2,3)", 2, 3, 14, 12, 4, Window.of(5, 2, 2, 2), Window.of(3, 1, 1, 3), 1,
                        true),
                conv("1x3 s(1,2) p(0,1)", 2, 5, 7, 9, 3, Window.of(1, 1, 0, 1), Window.of(3, 2, 1, 1), 1, true),
                conv("5x5 p0", 2, 3, 12, 12, 4, Window.of(5, 1, 0, 1), Window.of(5, 1, 0, 1), 1, true),
                conv("1x1", 2, 6, 5, 4, 7, Window.of(1, 1, 0, 1), Window.of(1, 1, 0, 1), 1, true),
                conv("3x3 no bias", 2, 3, 8, 8, 5, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 1, false),
                conv("3x3 d2 no bias", 2, 3, 10, 10, 5, Window.of(3, 1, 2, 2), Window.of(3, 1, 2, 2), 1, false),
                // padding='same': the odd pixel goes to the bottom/right
                conv("same 4x4", 2, 3, 9, 8, 4, Window.same(4, 1), Window.same(4, 1), 1, true),
                conv("same 2x3 d3", 2, 3, 9, 10, 4, Window.same(2, 3), Window.same(3, 3), 1, true),
                conv("same 4x2 d2 no bias", 1, 3, 11, 9, 4, Window.same(4, 2), Window.same(2, 1), 1, false),
                conv("asymmetric s2", 2, 3, 10, 9, 4, new Window(3, 2, 0, 1, 1, false),
                        new Window(4, 2, 2, 1, 1, false), 1, true),
                // groups
                conv("groups 4", 2, 8, 9, 9, 12, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 4, true),
                conv("groups 4 d3 p3", 2, 8, 12, 12, 8, Window.of(3, 1, 3, 3), Window.of(3, 1, 3, 3), 4, true),
                conv("groups 4 s2 no bias", 2, 8, 11, 10, 4, Window.of(3, 2, 1, 1), Window.of(3, 2, 1, 1), 4,
                        false),
                conv("groups 2 same 4", 1, 6, 8, 9, 4, Window.same(4, 1), Window.same(4, 1), 2, true),
                conv("groups 3 d2 s2", 2, 6, 13, 12, 9, Window.of(3, 2, 2, 2), Window.of(3, 2, 2, 2), 3, true),
                // depthwise
                conv("depthwise", 2, 6, 9, 10, 6, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 6, true),
                conv("depthwise no bias", 2, 6, 9, 10, 6, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 6, false),
                conv("depthwise x2", 2, 4, 9, 8, 8, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 4, true),
                conv("depthwise x3 s2 no bias", 2, 4, 9, 8, 12, Window.of(3, 2, 1, 1), Window.of(3, 2, 1, 1), 4,
                        false),
                conv("depthwise d2", 2, 8, 12, 12, 8, Window.of(3, 1, 2, 2), Window.of(3, 1, 2, 2), 8, true),
                conv("depthwise d3 s2", 2, 8, 15, 13, 8, Window.of(3, 2, 3, 3), Window.of(3, 2, 3, 3), 8, true),
                conv("depthwise same 4", 2, 5, 9, 9, 5, Window.same(4, 1), Window.same(4, 1), 5, true),
                conv("depthwise 5x3", 2, 3, 9, 9, 3, Window.of(5, 1, 2, 1), Window.of(3, 1, 1, 1), 3, true),
                conv("single channel", 2, 1, 8, 8, 3, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 1, true));
    }

    private static Arguments conv(String name, int n, int c, int h, int w, int out, Window height, Window width,
                                  int groups, boolean bias) {
        return Arguments.of(name, new int[] {n, c, h, w, out}, height, width, groups, bias);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void matchesReference(String name, int[] dims, Window height, Window width, int groups, boolean hasBias) {
        check(name, new Random(name.hashCode()), dims, height, width, groups, hasBias, false);
    }

    @ParameterizedTest(name = "{0}, permuted input view")
    @MethodSource("configs")
    void acceptsNonContiguousInput(String name, int[] dims, Window height, Window width, int groups,
                                   boolean hasBias) {
        check(name, new Random(name.hashCode() + 1), dims, height, width, groups, hasBias, true);
    }

    /** Seeded random configurations: kernel 1–4, stride 1–3, padding 0–2 (per side), dilation 1–3, any groups. */
    @Test
    void randomConfigurations() {
        Random random = new Random(20240601);
        int checked = 0;
        while (checked < 60) {
            int groups = new int[] {1, 1, 2, 3, 4}[random.nextInt(5)];
            int c = groups * (1 + random.nextInt(3));
            boolean depthwise = random.nextInt(4) == 0;
            if (depthwise) {
                groups = c;
            }
            int out = groups * (1 + random.nextInt(3));
            Window height = randomWindow(random);
            Window width = randomWindow(random);
            int h = 1 + random.nextInt(14);
            int w = 1 + random.nextInt(14);
            if (!height.fits(h) || !width.fits(w)) {
                continue;
            }
            int[] dims = {1 + random.nextInt(3), c, h, w, out};
            check("random " + checked + " " + height + " " + width + " groups " + groups, random, dims, height, width,
                    groups, random.nextBoolean(), random.nextInt(5) == 0);
            checked++;
        }
    }

    private static Window randomWindow(Random random) {
        int kernel = 1 + random.nextInt(4);
        int before = random.nextInt(3);
        int after = random.nextInt(4) == 0 ? random.nextInt(3) : before;
        return new Window(kernel, 1 + random.nextInt(3), before, after, 1 + random.nextInt(3), false);
    }

    private static void check(String name, Random random, int[] dims, Window height, Window width, int groups,
                              boolean hasBias, boolean permuted) {
        int n = dims[0], c = dims[1], h = dims[2], w = dims[3], out = dims[4];
        INDArray x = randn(random, 1, n, c, h, w);
        if (permuted) {
            x = Kernels.asPermutedView(x);
        }
        INDArray weight = randn(random, 1, out, c / groups, height.kernel(), width.kernel());
        INDArray bias = hasBias ? randn(random, 1, out) : null;
        INDArray xFinal = x;
        INDArray y = untouched(() -> F.conv2d(xFinal, weight, bias, height, width, groups), x, weight, bias);
        Tensor expected = Reference.conv2d(Tensor.of(x), Tensor.of(weight), hasBias ? Tensor.of(bias) : null,
                height, width, groups);
        String op = "conv2d" + (groups == 1 ? "" : groups == c ? " depthwise" : " grouped")
                + (height.dilation() > 1 || width.dilation() > 1 ? " dilated" : "");
        assertClose(op, name, y, expected);
        assertThat(y.shape()).isEqualTo(new long[] {n, out, height.outputSize(h), width.outputSize(w)});
    }

    @Test
    void rejectsMismatchedParameters() {
        Random random = new Random(1);
        INDArray x = randn(random, 1, 1, 4, 6, 6);
        Window k3 = Window.of(3, 1, 1, 1);
        List<Runnable> bad = new ArrayList<>();
        bad.add(() -> F.conv2d(x, randn(random, 1, 6, 3, 3, 3), null, k3, k3, 1)); // in/groups wrong
        bad.add(() -> F.conv2d(x, randn(random, 1, 6, 1, 3, 3), null, k3, k3, 3)); // 3 does not divide 4
        bad.add(() -> F.conv2d(x, randn(random, 1, 6, 4, 3, 3), randn(random, 1, 5), k3, k3, 1)); // bias
        bad.add(() -> F.conv2d(x, randn(random, 1, 6, 4, 5, 5), null, k3, k3, 1)); // kernel vs window
        bad.add(() -> F.conv2d(x.reshape(4, 6, 6), randn(random, 1, 6, 4, 3, 3), null, k3, k3, 1)); // rank 3
        bad.add(() -> F.conv2d(x, randn(random, 1, 6, 4, 3, 3), null, Window.of(3, 1, 0, 4), k3, 1)); // too big
        for (Runnable call : bad) {
            assertThrows(IllegalArgumentException.class, call::run);
        }
    }
}
