package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.shapeproof.nn.Reference.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Activations and batch norm against {@link Reference}, in place and not. */
class PointwiseTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    /** name, kernel (x, inPlace), reference per element. */
    static Stream<Arguments> activations() {
        return Stream.of(
                activation("relu", F::relu, Reference::relu),
                activation("leaky_relu 0.01", (x, inPlace) -> F.leakyRelu(x, 0.01, inPlace),
                        v -> Reference.leakyRelu(v, 0.01)),
                activation("leaky_relu 0.2", (x, inPlace) -> F.leakyRelu(x, 0.2, inPlace),
                        v -> Reference.leakyRelu(v, 0.2)),
                activation("sigmoid", F::sigmoid, Reference::sigmoid),
                activation("tanh", F::tanh, Math::tanh),
                activation("gelu", (x, inPlace) -> F.gelu(x, false, inPlace), Reference::gelu),
                activation("gelu tanh", (x, inPlace) -> F.gelu(x, true, inPlace), Reference::geluTanh));
    }

    private static Arguments activation(String name, BiFunction<INDArray, Boolean, INDArray> kernel,
                                        DoubleUnaryOperator reference) {
        return Arguments.of(name, kernel, reference);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activationMatchesReference(String name, BiFunction<INDArray, Boolean, INDArray> kernel,
                                    DoubleUnaryOperator reference) {
        Random random = new Random(name.hashCode());
        for (long[] shape : new long[][] {{2, 3, 5, 7}, {4, 10}, {3, 4, 5}, {17}}) {
            // scale 4 reaches the tails (erf, tanh saturation); also exact zeros
            INDArray x = randn(random, 4, shape);
            x.putScalar(0, 0.0);
            Tensor expected = Reference.map(Tensor.of(x), reference);

            INDArray copy = untouched(() -> kernel.apply(x, false), x);
            assertClose(name, "not in place " + Arrays.toString(shape), copy, expected);

            INDArray target = x.dup();
            INDArray inPlace = kernel.apply(target, true);
            assertClose(name, "in place " + Arrays.toString(shape), inPlace, expected);
            assertThat(inPlace).isSameInstanceAs(target);
            assertClose(name, "in place, the input itself", target, expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activationOnAView(String name, BiFunction<INDArray, Boolean, INDArray> kernel,
                           DoubleUnaryOperator reference) {
        Random random = new Random(name.hashCode() + 1);
        INDArray x = Kernels.asPermutedView(randn(random, 3, 2, 3, 4, 5));
        Tensor expected = Reference.map(Tensor.of(x), reference);
        assertClose(name, "permuted view", untouched(() -> kernel.apply(x, false), x), expected);
        INDArray whole = randn(random, 3, 2, 3, 4, 5);
        INDArray slice = whole.get(all(),
                interval(1, 3));
        INDArray before = whole.dup();
        Tensor sliceExpected = Reference.map(Tensor.of(slice), reference);
        kernel.apply(slice, true);
        assertClose(name, "in place on a channel slice", slice, sliceExpected);
        // the rest of the buffer is untouched
        assertThat(whole.get(all(),
                point(0)))
                .isEqualTo(before.get(all(),
                        point(0)));
    }

    @Test
    void geluFormsDiffer() {
        // the two forms differ by up to ~5e-4 near |x| ≈ 2; make sure each is the one asked for
        INDArray x = Nd4j.createFromArray(new float[] {-3f, -2f, -1f, 0.5f, 2f, 3f});
        double exact = F.gelu(x, false, false).getDouble(1);
        double tanh = F.gelu(x, true, false).getDouble(1);
        assertThat(exact).isWithin(1e-6).of(Reference.gelu(-2));
        assertThat(tanh).isWithin(1e-6).of(Reference.geluTanh(-2));
        assertThat(Math.abs(exact - tanh)).isGreaterThan(1e-5);
    }

    @Test
    void erfReferenceIsAccurate() {
        // known values of erf
        assertThat(Reference.erf(0.5)).isWithin(1e-15).of(0.5204998778130465);
        assertThat(Reference.erf(1)).isWithin(1e-15).of(0.8427007929497149);
        assertThat(Reference.erf(2.9)).isWithin(1e-15).of(0.9999589021219005);
        assertThat(Reference.erf(3.5)).isWithin(1e-15).of(0.9999992569016276);
        assertThat(Reference.erf(-1.5)).isWithin(1e-15).of(-0.9661051464753108);
    }

    // ------------------------------------------------------------------------------------------------- batch norm

    @Test
    void batchNormMatchesReference() {
        Random random = new Random(99);
        for (boolean affine : new boolean[] {true, false}) {
            for (double eps : new double[] {1e-5, 1e-3}) {
                for (INDArray x : new INDArray[] {randn(random, 2, 3, 6, 5, 4),
                        Kernels.asPermutedView(randn(random, 2, 2, 4, 3, 3))}) {
                    int c = (int) x.size(1);
                    INDArray mean = randn(random, 1, c);
                    INDArray var = Kernels.uniform(random, 0.1, 3, c);
                    INDArray weight = affine ? randn(random, 1, c) : null;
                    INDArray bias = affine ? randn(random, 1, c) : null;
                    INDArray y = untouched(() -> F.batchNorm2d(x, mean, var, weight, bias, eps),
                            x, mean, var, weight, bias);
                    Tensor expected = Reference.batchNorm2d(Tensor.of(x), Tensor.of(mean), Tensor.of(var),
                            affine ? Tensor.of(weight) : null, affine ? Tensor.of(bias) : null, eps);
                    assertClose("batch_norm" + (affine ? "" : " affine=False"), "eps " + eps, y, expected);
                }
            }
        }
    }

    @Test
    void batchNormRejectsWrongStatistics() {
        Random random = new Random(1);
        INDArray x = randn(random, 1, 2, 3, 4, 4);
        assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm2d(x, randn(random, 1, 4), randn(random, 1, 3), null, null, 1e-5));
        assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm2d(x, randn(random, 1, 3), randn(random, 1, 3), randn(random, 1, 2), null, 1e-5));
    }
}
