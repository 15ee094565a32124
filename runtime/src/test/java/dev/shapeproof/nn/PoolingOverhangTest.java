package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;

import dev.shapeproof.nn.Reference.Tensor;
import dev.shapeproof.shape.Window;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ceil-mode pooling whose kernel overhangs the padded input (by up to {@code stride − 1}): PyTorch runs it (ATen wants
 * one output, not a fitting kernel) and so must {@link F#maxPool2d} and {@link F#avgPool2d}, on the Java kernels and on
 * ND4J's (this class also runs with {@code -Dshapeproof.smallTensorKernels=never}). The first two windows are the
 * differential campaign's false rejects; values against {@link Reference}, PyTorch's loops.
 */
class PoolingOverhangTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    private static Window ceil(int kernel, int stride, int padding) {
        return Window.kernel(kernel).stride(stride).padding(padding).ceilMode(true);
    }

    @Test
    void avgPoolKernelFiveStrideTwoOnFour() {
        // AvgPool2d(5, stride=2, ceil_mode=True) on 4×4: PyTorch gives 1×1, the mean of all 16 (divisor 4·4)
        Window window = ceil(5, 2, 0);
        INDArray x = randn(new Random(1), 1, 2, 3, 4, 4);
        for (boolean countIncludePad : new boolean[] {true, false}) {
            INDArray y = untouched(() -> F.avgPool2d(x, window, window, countIncludePad), x);
            assertThat(y.shape()).isEqualTo(new long[] {2, 3, 1, 1});
            assertClose("avg_pool2d ceil overhang", "5 s2 on 4x4", y,
                    Reference.avgPool2d(Tensor.of(x), window, window, countIncludePad));
            assertThat(y.getDouble(1, 2, 0, 0)).isWithin(1e-5).of(x.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(2))
                    .meanNumber().doubleValue());
        }
    }

    @Test
    void maxPoolKernelFourStrideThreePaddingOneOnOne() {
        // MaxPool2d(4, stride=3, padding=1, ceil_mode=True) on 1×1: PyTorch gives 1×1, the pixel itself
        Window window = ceil(4, 3, 1);
        INDArray x = randn(new Random(2), 1, 2, 3, 1, 1);
        INDArray y = untouched(() -> F.maxPool2d(x, window, window), x);
        assertThat(y.shape()).isEqualTo(new long[] {2, 3, 1, 1});
        assertClose("max_pool2d ceil overhang", "4 s3 p1 on 1x1", y, Reference.maxPool2d(Tensor.of(x), window, window));
        assertThat(y.equals(x)).isTrue();
    }

    /**
     * A window whose taps all fall in the padding (dilation 3 on a height of 2) is PyTorch's maximum of nothing, −∞,
     * on both kernels; the 20,000-model campaign found ND4J's path giving the lowest finite float instead.
     */
    @Test
    void windowWithNoTapInTheInputIsMinusInfinity() {
        Window height = Window.kernel(2).stride(2).padding(1).dilation(3);
        Window width = Window.of(1, 1, 0, 1);
        for (int w : new int[] {11, 2000}) { // the Java kernel's size, and past its crossover: ND4J's path
            INDArray x = randn(new Random(5), 1, 1, 4, 2, w);
            INDArray y = untouched(() -> F.maxPool2d(x, height, width), x);
            // one output row, its taps at rows -1 and 2: none inside
            assertThat(y.shape()).isEqualTo(new long[] {1, 4, 1, w});
            assertThat(y.maxNumber().floatValue()).isEqualTo(Float.NEGATIVE_INFINITY);
            // and a pooling of those -inf is -inf again (ND4J's path once gave the lowest finite float)
            Window one = Window.of(1, 1, 0, 1);
            assertThat(F.maxPool2d(y, one, one).maxNumber().floatValue()).isEqualTo(Float.NEGATIVE_INFINITY);
        }
    }

    /** Every overhanging window of kernels up to 6 and strides up to 4 on inputs up to 7, dilation 1. */
    @Test
    void everySmallOverhang() {
        Random random = new Random(31);
        int checked = 0;
        for (int kernel = 2; kernel <= 6; kernel++) {
            for (int stride = 2; stride <= 4; stride++) {
                for (int padding = 0; padding <= kernel / 2; padding++) {
                    for (int input = 1; input <= 7; input++) {
                        Window window = ceil(kernel, stride, padding);
                        if (window.effectiveKernel() <= window.paddedSize(input) || !window.fits(input)) {
                            continue;
                        }
                        Window plain = Window.of(1, 1, 0, 1);
                        String name = window + " on " + input;
                        INDArray x = randn(random, 1, 1, 2, input, input);
                        assertClose("max_pool2d ceil overhang", name, untouched(() -> F.maxPool2d(x, window, plain), x),
                                Reference.maxPool2d(Tensor.of(x), window, plain));
                        boolean countIncludePad = random.nextBoolean();
                        assertClose("avg_pool2d ceil overhang", name,
                                untouched(() -> F.avgPool2d(x, plain, window, countIncludePad), x),
                                Reference.avgPool2d(Tensor.of(x), plain, window, countIncludePad));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isAtLeast(40);
    }
}
