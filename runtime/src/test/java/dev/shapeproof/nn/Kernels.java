package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.nn.Reference.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Test support: seeded float32 inputs, comparison with {@link Reference} at a tolerance relative to the magnitude
 * of the expected values, the "input untouched" check, and the record of the largest error seen per op.
 */
public final class Kernels {
    /** Allowed max |actual − expected| / max(1, max |expected|): float32 arithmetic with some accumulation. */
    static final double TOLERANCE = 1e-5;

    /** Per op: the largest absolute error, and the largest error relative to max(1, magnitude). */
    private static final Map<String, double[]> MAX_ERRORS = new TreeMap<>();

    private Kernels() {}

    /** N(0, 1) · scale, float32, c-order. */
    public static INDArray randn(Random random, double scale, long... shape) {
        float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return Nd4j.create(values, shape, 'c');
    }

    /** Uniform in [lo, hi), float32, c-order. */
    static INDArray uniform(Random random, double lo, double hi, long... shape) {
        float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return Nd4j.create(values, shape, 'c');
    }

    /** The same values as {@code x}, held as a permuted (non c-contiguous) view of an NHWC array. */
    static INDArray asPermutedView(INDArray x) {
        INDArray nhwc = x.permute(0, 2, 3, 1).dup('c');
        INDArray view = nhwc.permute(0, 3, 1, 2);
        assertWithMessage("strides of a permuted view").that(view.stride())
                .isNotEqualTo(Nd4j.create(DataType.FLOAT, view.shape()).stride());
        return view;
    }

    /** Runs a non-in-place kernel on {@code inputs} and checks that it left every one of them untouched. */
    static INDArray untouched(Supplier<INDArray> kernel, INDArray... inputs) {
        INDArray[] before = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            before[i] = inputs[i] == null ? null : inputs[i].dup();
        }
        INDArray result = kernel.get();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                // exact: INDArray.equals allows a small tolerance
                assertWithMessage("input %s was modified", i).that(Tensor.of(inputs[i]).data())
                        .usingExactEquality().containsExactly(Tensor.of(before[i]).data()).inOrder();
                assertWithMessage("result is input %s", i).that(result).isNotSameInstanceAs(inputs[i]);
            }
        }
        return result;
    }

    /** Asserts {@code actual} matches {@code expected} in shape and values; records the error under {@code op}. */
    public static double assertClose(String op, String context, INDArray actual, Tensor expected) {
        Tensor got = Tensor.of(actual);
        assertWithMessage("%s shape (%s)", op, context).that(got.shape()).isEqualTo(expected.shape());
        double maxError = 0;
        double magnitude = 1;
        for (int i = 0; i < got.data().length; i++) {
            double e = expected.data()[i];
            double a = got.data()[i];
            if (Double.isInfinite(e) || Double.isInfinite(a)) {
                assertWithMessage("%s element %s (%s)", op, i, context).that(a).isEqualTo(e);
                continue;
            }
            maxError = Math.max(maxError, Math.abs(a - e));
            magnitude = Math.max(magnitude, Math.abs(e));
            if (Double.isNaN(a)) {
                maxError = Double.POSITIVE_INFINITY;
            }
        }
        record(op, maxError, maxError / magnitude);
        assertWithMessage("%s max error %s, magnitude %s (%s)", op, maxError, magnitude, context)
                .that(maxError).isAtMost(TOLERANCE * magnitude);
        return maxError;
    }

    public static void record(String op, double error) {
        record(op, error, error);
    }

    static synchronized void record(String op, double absolute, double relative) {
        MAX_ERRORS.merge(op, new double[] {absolute, relative},
                (a, b) -> new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
    }

    /** Which native build runs the tests, as its build information says. */
    static String backend() {
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        return info.toUpperCase(Locale.ROOT).contains("ONEDNN") ? "onednn" : "plain";
    }

    /** Writes the max errors recorded so far to target/kernel-max-errors-<backend>.txt. */
    public static synchronized void writeMaxErrors() {
        StringBuilder text = new StringBuilder("backend " + backend() + " (helpers allowed: "
                + Nd4j.getEnvironment().helpersAllowed() + "; small tensors on "
                + (kernelsSuffix().isEmpty() ? "the Java kernels" : "ND4J") + ")\n");
        text.append(String.format(Locale.ROOT, "%-30s %10s %10s%n", "op", "max abs", "max rel"));
        MAX_ERRORS.forEach((op, error) -> text.append(
                String.format(Locale.ROOT, "%-30s %10.3g %10.3g%n", op, error[0], error[1])));
        try {
            Path file = Path.of("target", "kernel-max-errors-" + backend() + kernelsSuffix() + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * "-nd4j-kernels-only" when the Java kernels are switched off (the property of ops.SmallTensors), then
     * "-without-dnnl" when oneDNN's direct path is (ops.Dnnl), else "".
     */
    static String kernelsSuffix() {
        return ("never".equals(System.getProperty("shapeproof.smallTensorKernels")) ? "-nd4j-kernels-only" : "")
                + ("never".equals(System.getProperty("shapeproof.dnnl")) ? "-without-dnnl" : "");
    }

    static INDArray float32(INDArray x) {
        return x.castTo(DataType.FLOAT);
    }
}
