package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.nn.Reference.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link F#flatten} and {@link F#linear}. */
class FlattenLinearTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    /** start, end, expected shape of a [2, 3, 4, 5] input. */
    static Stream<Arguments> flattenCases() {
        return Stream.of(
                Arguments.of(1, -1, new long[] {2, 60}), Arguments.of(0, -1, new long[] {120}),
                Arguments.of(1, 2, new long[] {2, 12, 5}), Arguments.of(-3, -2, new long[] {2, 12, 5}),
                Arguments.of(2, 3, new long[] {2, 3, 20}), Arguments.of(0, 1, new long[] {6, 4, 5}),
                Arguments.of(2, 2, new long[] {2, 3, 4, 5}), Arguments.of(-1, -1, new long[] {2, 3, 4, 5}),
                Arguments.of(0, 0, new long[] {2, 3, 4, 5}));
    }

    @ParameterizedTest(name = "flatten({0}, {1})")
    @MethodSource("flattenCases")
    void flattenKeepsTheValuesInOrder(int start, int end, long[] shape) {
        INDArray x = randn(new Random(start * 10 + end), 1, 2, 3, 4, 5);
        INDArray y = F.flatten(x, start, end);
        assertThat(y.shape()).isEqualTo(shape);
        Tensor expected = Tensor.of(x);
        assertClose("flatten", "c-contiguous", y, new Tensor(expected.data(), Tensor.of(y).shape()));

        // a view: writing through it changes x
        INDArray probe = x.dup();
        F.flatten(probe, start, end).putScalar(7, 1234.5);
        assertThat(probe.getDouble(7)).isEqualTo(1234.5);

        // a permuted input gives the values in logical order, as a copy
        INDArray view = Kernels.asPermutedView(randn(new Random(start - end), 1, 2, 3, 4, 5));
        INDArray flat = untouched(() -> F.flatten(view, start, end), view);
        assertThat(flat.shape()).isEqualTo(shape);
        assertClose("flatten", "permuted view", flat, new Tensor(Tensor.of(view).data(), Tensor.of(flat).shape()));
    }

    @Test
    void flattenRejectsBadDims() {
        INDArray x = randn(new Random(1), 1, 2, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> F.flatten(x, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> F.flatten(x, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> F.flatten(x, -4, 1));
    }

    // ------------------------------------------------------------------------------------------------------ linear

    static Stream<Arguments> linearCases() {
        return Stream.of(
                Arguments.of(new long[] {5, 20}, 7, true), Arguments.of(new long[] {5, 20}, 7, false),
                Arguments.of(new long[] {1, 320}, 50, true), Arguments.of(new long[] {64, 50}, 10, true),
                Arguments.of(new long[] {3, 4, 16}, 6, true), Arguments.of(new long[] {3, 4, 16}, 6, false),
                Arguments.of(new long[] {2, 3, 2, 8}, 5, true), Arguments.of(new long[] {12}, 4, true));
    }

    @ParameterizedTest(name = "{0} -> {1}, bias {2}")
    @MethodSource("linearCases")
    void linearMatchesReference(long[] shape, int out, boolean hasBias) {
        Random random = new Random(Arrays.hashCode(shape) + out);
        INDArray x = randn(random, 1, shape);
        long in = shape[shape.length - 1];
        INDArray weight = randn(random, 1, out, in);
        INDArray bias = hasBias ? randn(random, 1, out) : null;
        INDArray y = untouched(() -> F.linear(x, weight, bias), x, weight, bias);
        Tensor expected = Reference.linear(Tensor.of(x), Tensor.of(weight), hasBias ? Tensor.of(bias) : null);
        assertClose("linear rank " + shape.length, Arrays.toString(shape), y, expected);
    }

    @Test
    void linearOnViews() {
        Random random = new Random(42);
        INDArray x = randn(random, 1, 30, 6).transpose(); // [6, 30], f-order view
        INDArray weight = randn(random, 1, 30, 9).transpose(); // [9, 30]
        INDArray bias = randn(random, 1, 9);
        INDArray y = untouched(() -> F.linear(x, weight, bias), x, weight, bias);
        assertClose("linear rank 2", "transposed views", y,
                Reference.linear(Tensor.of(x), Tensor.of(weight), Tensor.of(bias)));
        INDArray x3 = randn(random, 1, 4, 30, 3).permute(0, 2, 1); // [4, 3, 30]
        INDArray y3 = untouched(() -> F.linear(x3, weight, bias), x3, weight, bias);
        assertClose("linear rank 3", "permuted view", y3,
                Reference.linear(Tensor.of(x3), Tensor.of(weight), Tensor.of(bias)));
    }

    @Test
    void linearRejectsMismatchedWeights() {
        Random random = new Random(2);
        INDArray x = randn(random, 1, 3, 8);
        assertThrows(IllegalArgumentException.class, () -> F.linear(x, randn(random, 1, 4, 7), null));
        assertThrows(IllegalArgumentException.class,
                () -> F.linear(x, randn(random, 1, 4, 8), randn(random, 1, 5)));
    }
}
