package dev.shapeproof.nn;

import dev.shapeproof.shape.TensorShape;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The one check a generated {@code forward} makes of its input: dtype and shape, with a message that says the fix. */
public final class Inputs {
    private Inputs() {}

    /**
     * Checks that {@code input} is a float32 batch of {@code expected} (whose first dimension, the batch, is free).
     *
     * @throws IllegalArgumentException naming the input, the expected and the actual shape
     */
    public static void check(String name, INDArray input, TensorShape expected) {
        if (input == null) {
            throw new IllegalArgumentException(name + ": expected a " + expected + " array, found null");
        }
        long[] actual = input.shape();
        if (input.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + ": expected float32, found " + input.dataType() + " "
                    + Arrays.toString(actual) + "; convert it with input.castTo(DataType.FLOAT)");
        }
        int[] dims = expected.dims();
        if (actual.length == dims.length - 1 && matchesSample(actual, dims, 0)) {
            throw new IllegalArgumentException(name + ": expected shape " + expected + " (any batch size), found "
                    + Arrays.toString(actual) + ": add a batch dimension, e.g. input.reshape("
                    + batchOfOne(actual) + ")");
        }
        if (actual.length != dims.length || !matchesSample(actual, dims, 1) || actual[0] < 1) {
            throw new IllegalArgumentException(name + ": expected shape " + expected + " (any batch size), found "
                    + Arrays.toString(actual));
        }
    }

    /** Whether {@code actual}, from index {@code from}, equals the sample dimensions of {@code dims}. */
    private static boolean matchesSample(long[] actual, int[] dims, int from) {
        for (int i = 1; i < dims.length; i++) {
            if (actual[i - 1 + from] != dims[i]) {
                return false;
            }
        }
        return true;
    }

    private static String batchOfOne(long[] sample) {
        StringBuilder text = new StringBuilder("1");
        for (long dim : sample) {
            text.append(", ").append(dim);
        }
        return text.toString();
    }
}
