package dev.shapeproof.io;

import java.util.Arrays;

/** Element counts and the two ways shapes are printed. */
final class Shapes {
    private Shapes() {}

    /** The most elements one tensor may have: the longest Java array. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The element count, or a {@link BadInput} when it overflows or exceeds {@link #MAX_ELEMENTS}. */
    static long elementCount(long[] shape) throws BadInput {
        for (long dim : shape) {
            if (dim < 0) {
                throw new BadInput("negative dimension in shape " + list(shape));
            }
            if (dim == 0) {
                return 0;
            }
        }
        long count = 1;
        for (long dim : shape) {
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new BadInput("the element count of shape " + list(shape) + " overflows a 64-bit integer");
            }
        }
        if (count > MAX_ELEMENTS) {
            throw new BadInput("shape " + list(shape) + " has " + count + " elements, more than one tensor may hold ("
                    + MAX_ELEMENTS + ")");
        }
        return count;
    }

    /** {@code [10, 1, 5, 5]}; {@code []} for a 0-d scalar. As PyTorch's {@code torch.Size} lists it. */
    static String list(long[] shape) {
        return Arrays.toString(shape);
    }

    /** {@code (10, 1, 5, 5)}, {@code (5,)}, {@code ()}: a Python tuple, as numpy writes a shape. */
    static String tuple(long[] shape) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(shape[i]);
        }
        if (shape.length == 1) {
            out.append(',');
        }
        return out.append(')').toString();
    }
}
