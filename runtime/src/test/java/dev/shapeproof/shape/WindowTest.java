package dev.shapeproof.shape;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Window}: PyTorch's output-size rule. Every expected size was produced by PyTorch 1.13
 * ({@code tools/shape/check_shape_rules.py}).
 */
class WindowTest {

    private static Window pool(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return new Window(kernel, stride, padding, padding, dilation, ceilMode);
    }

    @Test
    void effectiveKernelAddsDilationGaps() {
        assertThat(Window.of(5, 1, 0, 1).effectiveKernel()).isEqualTo(5);
        assertThat(Window.of(5, 1, 0, 2).effectiveKernel()).isEqualTo(9);
        assertThat(Window.of(3, 1, 0, 3).effectiveKernel()).isEqualTo(7);
        assertThat(Window.of(3, 1, 0, 16).effectiveKernel()).isEqualTo(33);
        assertThat(Window.of(1, 1, 0, 4).effectiveKernel()).isEqualTo(1);
    }

    @Test
    void paddedSizeAddsBothSides() {
        assertThat(new Window(4, 1, 1, 2, 1, false).paddedSize(10)).isEqualTo(13);
        assertThat(Window.of(3, 1, 3, 1).paddedSize(28)).isEqualTo(34);
    }

    @ParameterizedTest(name = "conv k{0} s{1} p{2} d{3} on {4} -> {5}")
    @CsvSource({
        // kernel, stride, padding, dilation, input, output (all confirmed with PyTorch nn.Conv2d)
        "5, 1, 0, 2, 28, 20",
        "3, 1, 0, 3, 28, 22",
        "3, 1, 3, 3, 28, 28",
        "3, 1, 2, 2, 28, 28",
        "3, 2, 0, 1, 28, 13",
        "3, 2, 1, 1, 28, 14",
        "5, 3, 0, 1, 28, 8",
        "3, 3, 1, 2, 17, 5",
        "7, 2, 3, 1, 224, 112",
        "5, 1, 2, 1, 28, 28",
    })
    void convolutionOutputSize(int kernel, int stride, int padding, int dilation, int input, int output) {
        assertThat(Window.of(kernel, stride, padding, dilation).outputSize(input)).isEqualTo(output);
    }

    @Test
    void dilatedConvolutionShrinksByEffectiveKernel() {
        // o = floor((28 + 0 - 2·4 - 1) / 1) + 1 = 20, not the 24 an undilated 5×5 gives
        assertThat(Window.of(5, 1, 0, 2).outputSize(28)).isEqualTo(20);
        assertThat(Window.of(5, 1, 0, 1).outputSize(28)).isEqualTo(24);
        // dilation 3, k 3: k_eff 7
        assertThat(Window.of(3, 1, 0, 3).outputSize(10)).isEqualTo(4);
    }

    @Test
    void strideFloorsTheDivision() {
        // (28 − 3) / 2 = 12.5 → 12, + 1
        assertThat(Window.of(3, 2, 0, 1).outputSize(28)).isEqualTo(13);
        // (28 − 5) / 3 = 7.67 → 7, + 1
        assertThat(Window.of(5, 3, 0, 1).outputSize(28)).isEqualTo(8);
        // (29 − 5) / 3 = 8 exactly, + 1
        assertThat(Window.of(5, 3, 0, 1).outputSize(29)).isEqualTo(9);
    }

    @Test
    void mnistChain() {
        Window conv5 = Window.of(5, 1, 0, 1);
        Window pool2 = Window.of(2, 2, 0, 1);
        int size = 28;
        size = conv5.outputSize(size);
        assertThat(size).isEqualTo(24);
        size = pool2.outputSize(size);
        assertThat(size).isEqualTo(12);
        size = conv5.outputSize(size);
        assertThat(size).isEqualTo(8);
        size = pool2.outputSize(size);
        assertThat(size).isEqualTo(4);
    }

    @ParameterizedTest(name = "maxpool k{0} s{1} p{2} d{3} ceil={4} on {5} -> {6}")
    @CsvSource({
        // kernel, stride, padding, dilation, ceil, input, output (all confirmed with PyTorch nn.MaxPool2d)
        "2, 2, 1, 1, true, 11, 6",
        "2, 2, 1, 1, false, 11, 6",
        "2, 2, 1, 1, true, 9, 5",
        "2, 2, 0, 1, true, 5, 3",
        "2, 2, 0, 1, false, 5, 2",
        "3, 2, 0, 1, true, 8, 4",
        "3, 2, 0, 1, false, 8, 3",
        "2, 2, 0, 1, true, 4, 2",
        "3, 2, 1, 1, true, 6, 4",
        "3, 2, 1, 1, false, 112, 56",
        "3, 3, 1, 1, true, 7, 3",
        "3, 3, 1, 1, true, 8, 3",
        "3, 3, 1, 1, false, 8, 3",
        "2, 2, 0, 2, true, 6, 3",
    })
    void poolingOutputSize(int kernel, int stride, int padding, int dilation, boolean ceil, int input, int output) {
        assertThat(pool(kernel, stride, padding, dilation, ceil).outputSize(input)).isEqualTo(output);
    }

    @Test
    void ceilModeDropsALastWindowThatStartsInTheRightPadding() {
        // MaxPool2d(2, stride=2, padding=1, ceil_mode=True) on 11: ⌈11/2⌉ + 1 = 7, but the 7th window would start at
        // padded index 12, which is the right padding (input occupies 1..11), so PyTorch gives 6.
        Window window = pool(2, 2, 1, 1, true);
        assertThat(window.outputSize(11)).isEqualTo(6);
        assertThat(window.outputSize(11)).isNotEqualTo(7);
        // the same drop for k3 s3 p1 on 8: ⌈7/3⌉ + 1 = 4, the 4th window starts at padded 9 = right padding
        assertThat(pool(3, 3, 1, 1, true).outputSize(8)).isEqualTo(3);
    }

    @Test
    void ceilModeAddsOneWhenTheLastWindowStartsInsideTheInput() {
        assertThat(pool(2, 2, 0, 1, false).outputSize(5)).isEqualTo(2);
        assertThat(pool(2, 2, 0, 1, true).outputSize(5)).isEqualTo(3);
        assertThat(pool(3, 2, 0, 1, false).outputSize(8)).isEqualTo(3);
        assertThat(pool(3, 2, 0, 1, true).outputSize(8)).isEqualTo(4);
        // with padding: last window starts at padded 6 = input pixel 5, so it is kept
        assertThat(pool(3, 2, 1, 1, false).outputSize(6)).isEqualTo(3);
        assertThat(pool(3, 2, 1, 1, true).outputSize(6)).isEqualTo(4);
    }

    @Test
    void ceilModeChangesNothingWhenTheDivisionIsExact() {
        assertThat(pool(2, 2, 0, 1, true).outputSize(4)).isEqualTo(2);
        assertThat(pool(2, 2, 0, 1, true).outputSize(24)).isEqualTo(12);
    }

    @ParameterizedTest(name = "same k{0} d{1} -> {2} before, {3} after")
    @CsvSource({
        // kernel, dilation, before, after (split confirmed with PyTorch: padding='same' equals F.pad(before, after))
        "4, 1, 1, 2",
        "3, 3, 3, 3",
        "4, 3, 4, 5",
        "5, 2, 4, 4",
        "2, 1, 0, 1",
        "1, 1, 0, 0",
    })
    void sameSplitsTheOddPixelAfter(int kernel, int dilation, int before, int after) {
        Window window = Window.same(kernel, dilation);
        assertThat(window.padBefore()).isEqualTo(before);
        assertThat(window.padAfter()).isEqualTo(after);
        assertThat(window.padBefore() + window.padAfter()).isEqualTo(dilation * (kernel - 1));
        assertThat(window.stride()).isEqualTo(1);
        assertThat(window.kernel()).isEqualTo(kernel);
        assertThat(window.dilation()).isEqualTo(dilation);
        assertThat(window.ceilMode()).isFalse();
    }

    @Test
    void sameKeepsTheSize() {
        for (int kernel = 1; kernel <= 7; kernel++) {
            for (int dilation = 1; dilation <= 4; dilation++) {
                for (int input : new int[] {1, 2, 5, 10, 28}) {
                    assertThat(Window.same(kernel, dilation).outputSize(input)).isEqualTo(input);
                }
            }
        }
    }

    @Test
    void fitsWhenTheEffectiveKernelEqualsThePaddedInput() {
        Window conv = Window.of(5, 1, 0, 2); // k_eff 9
        assertThat(conv.fits(9)).isTrue();
        assertThat(conv.outputSize(9)).isEqualTo(1);
        assertThat(conv.fits(8)).isFalse();

        Window padded = Window.of(5, 1, 1, 2); // k_eff 9 over input + 2
        assertThat(padded.fits(7)).isTrue();
        assertThat(padded.outputSize(7)).isEqualTo(1);
        assertThat(padded.fits(6)).isFalse();

        Window same = new Window(4, 1, 1, 2, 1, false); // asymmetric padding counts both sides
        assertThat(same.fits(1)).isTrue();
        assertThat(new Window(5, 1, 1, 2, 1, false).fits(1)).isFalse();
    }

    @Test
    void outputSizeThrowsWhenTheKernelDoesNotFit() {
        // PyTorch: "Kernel size can't be greater than actual input size" (conv) / "Output size is too small" (pool)
        assertThrows(IllegalArgumentException.class, () -> Window.of(5, 1, 0, 2).outputSize(8));
        assertThrows(IllegalArgumentException.class, () -> Window.of(5, 1, 1, 2).outputSize(6));
        assertThrows(IllegalArgumentException.class, () -> pool(3, 3, 0, 1, false).outputSize(2));
        assertThrows(IllegalArgumentException.class, () -> pool(5, 2, 0, 1, true).outputSize(3));
    }

    /**
     * Ceil mode admits a kernel up to {@code stride − 1} larger than the padded input: ATen requires an output of at
     * least one (pool2d_shape_check), not a kernel that fits. Every value checked with PyTorch 1.13; the first two are
     * the campaign's false rejects.
     */
    @Test
    void ceilModePoolingNeedsOneOutputNotAFittingKernel() {
        assertThat(pool(5, 2, 0, 1, true).fits(4)).isTrue(); // AvgPool2d(5, stride=2, ceil_mode=True) on 4×4
        assertThat(pool(5, 2, 0, 1, true).outputSize(4)).isEqualTo(1);
        assertThat(pool(4, 3, 1, 1, true).outputSize(1)).isEqualTo(1); // MaxPool2d(4, 3, padding=1, ceil) on 1×1
        assertThat(pool(3, 3, 0, 1, true).outputSize(2)).isEqualTo(1);
        assertThat(pool(6, 4, 0, 1, true).outputSize(3)).isEqualTo(1); // overhang 3 = stride − 1
        assertThat(pool(6, 4, 0, 1, true).largestEffectiveKernel(3)).isEqualTo(6);
        assertThat(pool(5, 2, 0, 1, true).fits(3)).isFalse(); // overhang 2 > stride − 1
        assertThat(pool(2, 2, 0, 3, true).fits(1)).isFalse(); // dilated: k_eff 4 on 1 with stride 2
        assertThat(pool(3, 1, 0, 1, true).fits(2)).isFalse(); // stride 1: ceil mode admits nothing more
        assertThat(pool(5, 2, 0, 1, false).fits(4)).isFalse(); // floor mode: the kernel must fit
    }

    /** Exact arithmetic: d·(k−1)+1 of 1,073,741,825·4+1 does not wrap to 5, so it does not fit 8. */
    @Test
    void effectiveKernelIsExactBeyondAnInt() {
        Window dilated = Window.of(5, 1, 0, 1_073_741_825);
        assertThat(dilated.effectiveKernel()).isEqualTo(4_294_967_301L);
        assertThat(dilated.fits(8)).isFalse();
        Window padded = Window.of(3, 1, Integer.MAX_VALUE, 1);
        assertThat(padded.paddedSize(8)).isEqualTo(4_294_967_302L);
        assertThat(padded.outputLength(8)).isEqualTo(4_294_967_300L);
        assertThrows(ArithmeticException.class, () -> padded.outputSize(8));
        assertThrows(ArithmeticException.class, () -> Window.same(3, Integer.MAX_VALUE));
    }

    @Test
    void ofUsesSymmetricPaddingAndFloor() {
        Window window = Window.of(3, 2, 1, 2);
        assertThat(window).isEqualTo(new Window(3, 2, 1, 1, 2, false));
    }
}
