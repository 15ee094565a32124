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
     * The output's spatial size for both axes, or {@code null} after reporting the axis whose window PyTorch rejects:
     * a dilated kernel larger than the padded input (plus {@code stride − 1} in ceil mode, ATen's
     * {@code pooling_output_shape}), or a kernel or padded input beyond any tensor. Exact arithmetic: nothing wraps.
     *
     * @param maxPadding the largest padding the op allows, for the hint ({@code Integer.MAX_VALUE} for convolution)
     */
    static int[] outputSize(Window[] windows, TensorShape input, NodeContext node, Pair maxPadding) {
        int[] sizes = new int[2];
        for (int axis = 0; axis < 2; axis++) {
            Window window = windows[axis];
            int size = input.dim(2 + axis);
            if (window.effectiveKernel() > Shapes.MAX_DIM) {
                reportKernelBeyondAnyTensor(window, axis, input, node);
                return null;
            }
            if (window.paddedSize(size) > Shapes.MAX_DIM) {
                Attribute padding = node.attribute("padding");
                long keep = (window.effectiveKernel() - 1) / 2;
                node.report(padding.location(), Message.SIZE_OVERFLOW, node.name(),
                        "padding = " + Shapes.count(window.padBefore()), "the padded input",
                        "input + 2·padding = " + size + " + 2·" + Shapes.count(window.padBefore()) + " = "
                                + Shapes.count(window.paddedSize(size)) + " (" + Pair.AXIS_NAMES[axis] + " axis)",
                        "input + 2·padding ≤ " + Shapes.count(Shapes.MAX_DIM),
                        "set padding = " + Math.min(keep, maxPadding.get(axis))
                                + (keep <= maxPadding.get(axis) && window.stride() == 1 ? " to keep the size" : ""));
                return null;
            }
            if (!window.fits(size)) {
                reportKernelTooLarge(window, axis, input, node, maxPadding.get(axis));
                return null;
            }
            sizes[axis] = (int) window.outputLength(size);
        }
        return sizes;
    }

    /** The window's kernel attribute, or its dilation when that is what made the kernel too large. */
    private static Location blame(Window window, NodeContext node) {
        return window.dilation() > 1 && node.findAttribute("dilation").map(Attribute::explicit).orElse(false)
                ? node.attribute("dilation").location()
                : node.attribute("kernel").location();
    }

    /** A kernel no tensor can hold: "dilation = 1,073,741,825 makes the kernel larger than any tensor". */
    private static void reportKernelBeyondAnyTensor(Window window, int axis, TensorShape input, NodeContext node) {
        int size = input.dim(2 + axis);
        long largest = window.largestEffectiveKernel(size);
        boolean dilated = window.dilation() > 1;
        String what = dilated && node.findAttribute("dilation").map(Attribute::explicit).orElse(false)
                ? "dilation = " + Shapes.count(window.dilation())
                : "kernel = " + Shapes.count(window.kernel());
        String formula = dilated
                ? "d·(k−1)+1 = " + Shapes.count(window.dilation()) + "·(" + window.kernel() + "−1)+1 = "
                        + Shapes.count(window.effectiveKernel())
                : "k = " + Shapes.count(window.kernel());
        String fix = dilated && window.kernel() > 1 && (largest - 1) / (window.kernel() - 1) >= 1
                ? "set dilation = " + (largest - 1) / (window.kernel() - 1) + ", the largest that fits the input"
                : "set kernel = " + Math.max(1, (largest - 1) / window.dilation() + 1) + ", the largest that fits";
        node.report(blame(window, node), Message.SIZE_OVERFLOW, node.name(), what, "the kernel",
                "effective kernel " + formula + " (" + Pair.AXIS_NAMES[axis] + " axis)",
                "effective kernel ≤ " + bound(window, size) + " (no size exceeds " + Shapes.count(Shapes.MAX_DIM)
                        + ")",
                fix);
    }

    /** {@code input + 2·padding = 8}, or in ceil mode {@code input + 2·padding + stride − 1 = 9 (ceil mode)}. */
    private static String bound(Window window, int size) {
        return window.ceilMode()
                ? "input + 2·padding + stride − 1 = " + window.largestEffectiveKernel(size) + " (ceil mode)"
                : "input + 2·padding = " + window.largestEffectiveKernel(size);
    }

    private static void reportKernelTooLarge(Window window, int axis, TensorShape input, NodeContext node,
            int maxPadding) {
        int size = input.dim(2 + axis);
        int k = window.kernel();
        int d = window.dilation();
        long kEff = window.effectiveKernel();
        String formula = d == 1
                ? "k = " + kEff
                : "d·(k−1)+1 = " + d + "·(" + k + "−1)+1 = " + kEff;
        List<String> fixes = new ArrayList<>();
        int padding = window.padBefore();
        long slack = window.ceilMode() ? window.stride() - 1L : 0;
        long neededPadding = Math.max(0, (kEff - size - slack + 1) / 2);
        if (neededPadding <= maxPadding) {
            fixes.add("set padding = " + neededPadding);
        }
        long largest = window.largestEffectiveKernel(size);
        if (d > 1 && k > 1) {
            long largestDilation = (largest - 1) / (k - 1);
            if (largestDilation >= 1) {
                fixes.add("dilation = " + largestDilation);
            }
        }
        long largestKernel = (largest - 1) / d + 1;
        if (largestKernel >= 1 && fixes.size() < 2) {
            fixes.add("kernel = " + largestKernel);
        }
        String hint = fixes.isEmpty() ? "use a smaller kernel" : String.join(", or ", fixes);
        if (node.attribute("kernel").explicit() && fixes.size() == 1) {
            hint += ", or downsample less before " + node.name();
        }
        node.report(blame(window, node), Message.KERNEL_TOO_LARGE, node.name(), d > 1 ? "dilated kernel" : "kernel",
                Pair.AXIS_NAMES[axis], formula, input.dim(2) + "×" + input.dim(3), padding, bound(window, size), hint);
    }

    /** Both axes' receptive fields after the windows. */
    static ReceptiveField[] receptiveField(Window[] windows, ReceptiveField height, ReceptiveField width) {
        return new ReceptiveField[] {height.through(windows[0]), width.through(windows[1])};
    }

    /**
     * Flattening an image's spatial axes into features (a flatten, a view to rank 2) is one window over the whole
     * map: its receptive field is the whole input.
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
