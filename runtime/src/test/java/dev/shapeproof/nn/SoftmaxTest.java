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
import org.nd4j.linalg.factory.Nd4j;

/** {@link F#softmax} and {@link F#logSoftmax} against {@link Reference#softmax}. */
class SoftmaxTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    /** shape, dim. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new long[] {6, 10}, 1), Arguments.of(new long[] {6, 10}, -1),
                Arguments.of(new long[] {6, 10}, 0), Arguments.of(new long[] {1, 10}, 1),
                Arguments.of(new long[] {2, 5, 4, 3}, 1), Arguments.of(new long[] {2, 5, 4, 3}, -1),
                Arguments.of(new long[] {2, 5, 4, 3}, 2), Arguments.of(new long[] {2, 5, 4, 3}, 0),
                Arguments.of(new long[] {3, 10, 1, 1}, 1), Arguments.of(new long[] {3, 4, 7}, 1),
                Arguments.of(new long[] {3, 4, 7}, -1), Arguments.of(new long[] {9}, 0),
                Arguments.of(new long[] {2, 3, 4, 2, 3}, 2));
    }

    @ParameterizedTest(name = "{0} dim {1}")
    @MethodSource("cases")
    void softmaxMatchesReference(long[] shape, int dim) {
        Random random = new Random(Arrays.hashCode(shape) * 31 + dim);
        INDArray x = randn(random, 3, shape);
        INDArray y = untouched(() -> F.softmax(x, dim), x);
        assertClose("softmax rank " + shape.length, Arrays.toString(shape) + " dim " + dim, y,
                Reference.softmax(Tensor.of(x), dim, false));
    }

    @ParameterizedTest(name = "{0} dim {1}")
    @MethodSource("cases")
    void logSoftmaxMatchesReference(long[] shape, int dim) {
        Random random = new Random(Arrays.hashCode(shape) * 31 + dim + 1);
        INDArray x = randn(random, 3, shape);
        INDArray y = untouched(() -> F.logSoftmax(x, dim), x);
        assertClose("log_softmax rank " + shape.length, Arrays.toString(shape) + " dim " + dim, y,
                Reference.softmax(Tensor.of(x), dim, true));
    }

    @Test
    void softmaxOnPermutedViews() {
        Random random = new Random(8);
        INDArray x = Kernels.asPermutedView(randn(random, 3, 2, 6, 3, 4));
        assertClose("softmax rank 4", "permuted view", untouched(() -> F.softmax(x, 1), x),
                Reference.softmax(Tensor.of(x), 1, false));
        assertClose("log_softmax rank 4", "permuted view", untouched(() -> F.logSoftmax(x, 1), x),
                Reference.softmax(Tensor.of(x), 1, true));
        INDArray t = randn(random, 3, 10, 6).transpose();
        assertClose("log_softmax rank 2", "transposed", untouched(() -> F.logSoftmax(t, 1), t),
                Reference.softmax(Tensor.of(t), 1, true));
    }

    @Test
    void logSoftmaxStaysFiniteWhereSoftmaxUnderflows() {
        // PyTorch: log_softmax([0, -200, 5]) = [-5.0067, -205.0067, -0.0067]; log(softmax) would give -inf
        INDArray x = Nd4j.createFromArray(new float[][] {{0f, -200f, 5f}, {1000f, 0f, -1000f}});
        INDArray y = F.logSoftmax(x, 1);
        assertClose("log_softmax rank 2", "large logits", y, Reference.softmax(Tensor.of(x), 1, true));
        assertThat(y.getDouble(0, 1)).isWithin(1e-3).of(-205.0067153);
        assertThat(y.getDouble(1, 2)).isWithin(1e-3).of(-2000.0);
        INDArray column = F.logSoftmax(x, 0);
        assertThat(column.getDouble(0, 0)).isWithin(1e-3).of(-1000.0);
        assertThat(F.softmax(x, 1).getDouble(1, 0)).isEqualTo(1.0);
    }

    @Test
    void rejectsDimOutOfRange() {
        INDArray x = randn(new Random(1), 1, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> F.softmax(x, 2));
        assertThrows(IllegalArgumentException.class, () -> F.logSoftmax(x, -3));
    }
}
