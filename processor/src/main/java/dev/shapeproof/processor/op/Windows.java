package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * The sliding-window part that convolution and pooling share: the kernel-fits check with its message and hint, the
 * output shape, the receptive-field step and the generated {@code Window} expression.
 */
final class Windows {
    private Windows() {}

    /**
     * The output's spatial size for both axes, or {@code null} after reporting the axis whose dilated kernel does not
     * fit its padded input. PyTorch checks the fit before the output-size formula, and so do we.
     *
     * @param maxPadding the largest padding the op allows, for the hint ({@code Integer.MAX_VALUE} for convolution)
     */
    static int[] outputSize(Window[] windows, TensorShape input, NodeContext node, Pair maxPadding) {
        int[] sizes = new int[2];
        for (int axis = 0; axis < 2; axis++) {
            Window window = windows[axis];
            int size = input.dim(2 + axis);
            if (!window.fits(size)) {
                reportKernelTooLarge(window, axis, input, node, maxPadding.get(axis));
                return null;
            }
            sizes[axis] = window.outputSize(size);
        }
        return sizes;
    }

    private static void reportKernelTooLarge(Window window, int axis, TensorShape input, NodeContext node,
            int maxPadding) {
        int size = input.dim(2 + axis);
        int k = window.kernel();
        int d = window.dilation();
        int kEff = window.effectiveKernel();
        String formula = d == 1
                ? "k = " + kEff
                : "d·(k−1)+1 = " + d + "·(" + k + "−1)+1 = " + kEff;
        List<String> fixes = new ArrayList<>();
        int padding = window.padBefore();
        int neededPadding = (int) Math.ceil((kEff - size) / 2.0);
        if (neededPadding <= maxPadding) {
            fixes.add("set padding = " + neededPadding);
        }
        long padded = window.paddedSize(size);
        if (d > 1 && k > 1) {
            long largestDilation = (padded - 1) / (k - 1);
            if (largestDilation >= 1) {
                fixes.add("dilation = " + largestDilation);
            }
        }
        long largestKernel = (padded - 1) / d + 1;
        if (largestKernel >= 1 && fixes.size() < 2) {
            fixes.add("kernel = " + largestKernel);
        }
        String hint = fixes.isEmpty() ? "use a smaller kernel" : String.join(", or ", fixes);
        if (node.attribute("kernel").explicit() && fixes.size() == 1) {
            hint += ", or downsample less before " + node.name();
        }
        Location location = d > 1 && node.attribute("dilation").explicit()
                ? node.attribute("dilation").location()
                : node.attribute("kernel").location();
        node.report(location, Message.KERNEL_TOO_LARGE, node.name(), d > 1 ? "dilated kernel" : "kernel",
                Pair.AXIS_NAMES[axis], formula, input.dim(2) + "×" + input.dim(3), padding, padded, hint);
    }

    /** Both axes' receptive fields after the windows. */
    static ReceptiveField[] receptiveField(Window[] windows, ReceptiveField height, ReceptiveField width) {
        return new ReceptiveField[] {height.through(windows[0]), width.through(windows[1])};
    }

    /**
     * Flattening an image's spatial axes into features (a flatten, a view to rank 2) is one window over the whole
     * map (DESIGN.md §4).
     */
    static ReceptiveField[] wholeMap(TensorShape input, ReceptiveField height, ReceptiveField width) {
        return new ReceptiveField[] {
            height.through(input.dim(2), input.dim(2)), width.through(input.dim(3), input.dim(3))
        };
    }

    /** The checks of a pooling padding: PyTorch requires {@code p ≤ ⌊k/2⌋} on the raw kernel. */
    static boolean checkPoolPadding(Pair kernel, Pair padding, NodeContext node) {
        for (int axis = 0; axis < 2; axis++) {
            int half = kernel.get(axis) / 2;
            if (padding.get(axis) > half) {
                node.report(node.attribute("padding").location(), Message.POOL_PADDING_TOO_LARGE, node.name(),
                        padding.get(axis), Pair.AXIS_NAMES[axis], kernel.get(axis), half);
                return false;
            }
        }
        return true;
    }

    /** The stride attribute, or the kernel when it is omitted, as PyTorch's pooling does. */
    static Pair strideOrKernel(NodeContext node, Pair kernel) {
        Attribute stride = node.attribute("stride");
        return stride.explicit() ? Pair.of(stride) : kernel;
    }

    /** The padding the hint may suggest: half the kernel for pooling. */
    static Pair halfKernel(Pair kernel) {
        return new Pair(kernel.height() / 2, kernel.width() / 2);
    }

    /**
     * Generated code for a window, naming only what differs from PyTorch's defaults:
     * {@code Window.kernel(3).padding(2).dilation(2)}.
     */
    static CodeBlock code(Window window) {
        CodeBlock.Builder code = CodeBlock.builder().add("$T.kernel($L)", Window.class, window.kernel());
        if (window.stride() != 1) {
            code.add(".stride($L)", window.stride());
        }
        if (window.padBefore() != window.padAfter()) {
            code.add(".padding($L, $L)", window.padBefore(), window.padAfter());
        } else if (window.padBefore() != 0) {
            code.add(".padding($L)", window.padBefore());
        }
        if (window.dilation() != 1) {
            code.add(".dilation($L)", window.dilation());
        }
        if (window.ceilMode()) {
            code.add(".ceilMode(true)");
        }
        return code.build();
    }
}
