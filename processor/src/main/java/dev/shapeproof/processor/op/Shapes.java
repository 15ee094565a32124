package dev.shapeproof.processor.op;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.shape.TensorShape;

/** Input checks several ops share, and the limits of what a tensor can be. */
public final class Shapes {
    /** A dimension is a Java int, as in TensorShape, Java arrays and ND4J's int-indexed kernels. */
    static final long MAX_DIM = Integer.MAX_VALUE;

    /**
     * One sample of one tensor holds at most 2⁴⁸ elements (a PiB of float32, more than any machine holds), and a
     * layer does at most 2⁵² multiply-accumulates and has at most 2⁴⁸ weights per sample: so that every count, and
     * the summary's sums of thousands of them times 4 bytes, stays exact in a long and in a double.
     */
    public static final long MAX_ELEMENTS = 1L << 48;

    static final long MAX_MACS = 1L << 52;

    private Shapes() {}

    /**
     * Whether {@code input} is an image batch {@code [N, C, H, W]}; otherwise reports a rank mismatch on the layer's
     * annotation. A flattened input gets a hint about the flatten, since that is how a 4-D layer usually ends up there.
     */
    static boolean requireImage(TensorShape input, NodeContext node, String opName) {
        if (input.rank() == 4) {
            return true;
        }
        String hint = node.flattenedFrom() != null
                ? "move " + node.name() + " before the flatten (or view) that made its input flat, or remove it"
                : opName + " works on images: declare the model input as {C, H, W}";
        node.report(node.location(), Message.RANK_MISMATCH, node.name(), opName, "4-D", input.rank(), input,
                node.inputOrigin(), "rank 4, [N, C, H, W]", hint);
        return false;
    }

    /** {@code a·b}, or {@code Long.MAX_VALUE} when that overflows (both non-negative): for comparisons with limits. */
    static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    /**
     * {@code 2,147,483,647}: how messages print large numbers, in every locale. Written out by hand: ops build their
     * messages' numbers as they check, and a model with free sizes is checked at thousands of sizes, where
     * {@code String.format} would cost more than the checks.
     */
    public static String count(long n) {
        String digits = Long.toString(n);
        int sign = n < 0 ? 1 : 0;
        if (digits.length() - sign <= 3) {
            return digits;
        }
        StringBuilder text = new StringBuilder(digits.length() + digits.length() / 3);
        text.append(digits, 0, sign);
        int first = (digits.length() - sign) % 3;
        if (first == 0) {
            first = 3;
        }
        text.append(digits, sign, sign + first);
        for (int i = sign + first; i < digits.length(); i += 3) {
            text.append(',').append(digits, i, i + 3);
        }
        return text.toString();
    }

    /**
     * The shape with {@code input}'s batch axis and the sample sizes {@code sample}, computed exactly, or {@code null}
     * after reporting at {@code blame} ({@code what} is how the message names it, {@code padding = 1,000,000}) that a
     * size is beyond an int or the sample beyond {@link #MAX_ELEMENTS}.
     */
    static TensorShape output(TensorShape input, long[] sample, NodeContext node, Location blame, String what,
            String hint) {
        long elements = 1;
        StringBuilder written = new StringBuilder("[-1");
        for (long size : sample) {
            written.append(", ").append(count(size));
        }
        written.append(']');
        for (long size : sample) {
            if (size > MAX_DIM) {
                node.report(blame, Message.SIZE_OVERFLOW, node.name(), what, "the output",
                        "output " + written + ", a dimension of " + count(size),
                        "every dimension ≤ " + count(MAX_DIM), hint);
                return null;
            }
            elements = times(elements, size);
        }
        if (elements > MAX_ELEMENTS) {
            node.report(blame, Message.SIZE_OVERFLOW, node.name(), what, "the output",
                    "output " + written + ", " + (elements == Long.MAX_VALUE ? "more than 2⁶³" : count(elements))
                            + " elements per sample",
                    "at most " + count(MAX_ELEMENTS) + " (2⁴⁸) elements per sample", hint);
            return null;
        }
        int[] dims = new int[sample.length];
        for (int i = 0; i < sample.length; i++) {
            dims[i] = (int) sample[i];
        }
        return input.withSample(dims);
    }

    /**
     * Whether a layer's weights ({@code weights} elements) and multiply-accumulates per sample stay within the
     * limits; otherwise reports at {@code blame}.
     */
    static boolean checkCost(long weights, long macs, NodeContext node, Location blame, String what, String hint) {
        if (weights > MAX_ELEMENTS) {
            node.report(blame, Message.SIZE_OVERFLOW, node.name(), what, "the weight",
                    "a weight of " + (weights == Long.MAX_VALUE ? "more than 2⁶³" : count(weights)) + " elements",
                    "at most " + count(MAX_ELEMENTS) + " (2⁴⁸) elements", hint);
            return false;
        }
        if (macs > MAX_MACS) {
            node.report(blame, Message.SIZE_OVERFLOW, node.name(), what, "the layer's work",
                    (macs == Long.MAX_VALUE ? "more than 2⁶³" : count(macs))
                            + " multiply-accumulates per sample",
                    "at most " + count(MAX_MACS) + " (2⁵²) per sample", hint);
            return false;
        }
        return true;
    }
}
