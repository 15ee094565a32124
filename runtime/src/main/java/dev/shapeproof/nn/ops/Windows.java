package dev.shapeproof.nn.ops;

import dev.shapeproof.shape.Window;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What convolution and pooling share about their windows: the output size, PyTorch's pooling-padding rule, and how a
 * window ND4J cannot express (asymmetric padding, ceil mode) becomes explicit padding plus one it can.
 */
final class Windows {
    private Windows() {}

    static boolean isSymmetric(Window window) {
        return window.padBefore() == window.padAfter();
    }

    static boolean isDilated(Window height, Window width) {
        return height.dilation() != 1 || width.dilation() != 1;
    }

    static int outputSize(String op, Window window, long input) {
        int size = Math.toIntExact(input);
        if (!window.fits(size)) {
            throw new IllegalArgumentException(op + ": the window " + window + " does not fit an input of " + input);
        }
        return window.outputSize(size);
    }

    static void requirePoolPadding(String op, Window height, Window width) {
        for (Window window : new Window[] {height, width}) {
            if (window.padBefore() > window.kernel() / 2 || window.padAfter() > window.kernel() / 2) {
                throw new IllegalArgumentException(op + ": padding of " + window + " must be at most half the kernel");
            }
        }
    }

    /**
     * The padding after the input that makes an unpadded floor-mode window give exactly {@code output} positions:
     * {@code (output − 1)·s + d·(k − 1) + 1} cells in all. Never negative: any surplus is shorter than a stride.
     */
    static long padAfterFor(Window window, long input, int output) {
        long needed = (long) (output - 1) * window.stride() + window.effectiveKernel();
        return Math.max(0, needed - input - window.padBefore());
    }

    /** A pooling config; {@code nativePadding} passes the windows' (symmetric) padding to ND4J, else none. */
    static Pooling2DConfig.Pooling2DConfigBuilder poolConfig(Window height, Window width, boolean nativePadding) {
        return Pooling2DConfig.builder()
                .kH(height.kernel()).kW(width.kernel())
                .sH(height.stride()).sW(width.stride())
                .pH(nativePadding ? height.padBefore() : 0).pW(nativePadding ? width.padBefore() : 0)
                .dH(height.dilation()).dW(width.dilation())
                .paddingMode(PaddingMode.VALID)
                .isNHWC(false);
    }

    /** {@code x} padded on the spatial axes with a constant; a new array. */
    static INDArray pad(INDArray x, long top, long bottom, long left, long right, double value) {
        INDArray paddings = Nd4j.createFromArray(new long[][] {{0, 0}, {0, 0}, {top, bottom}, {left, right}});
        return Nd4j.nn().pad(x, paddings, PadMode.CONSTANT, value);
    }
}
