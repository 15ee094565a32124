package dev.shapeproof.nn;

import dev.shapeproof.shape.Window;

/** Formats a pair of per-axis windows the way PyTorch's module repr does. */
final class Window2d {
    private Window2d() {}

    static String describe(Window height, Window width, boolean withDilation) {
        StringBuilder text = new StringBuilder();
        text.append("kernel_size=").append(pair(height.kernel(), width.kernel()));
        text.append(", stride=").append(pair(height.stride(), width.stride()));
        if (height.padBefore() == height.padAfter() && width.padBefore() == width.padAfter()) {
            text.append(", padding=").append(pair(height.padBefore(), width.padBefore()));
        } else {
            text.append(", padding=same");
        }
        if (withDilation) {
            text.append(", dilation=").append(pair(height.dilation(), width.dilation()));
        }
        if (height.ceilMode()) {
            text.append(", ceil_mode=True");
        }
        return text.toString();
    }

    static String pair(int h, int w) {
        return "(" + h + ", " + w + ")";
    }
}
