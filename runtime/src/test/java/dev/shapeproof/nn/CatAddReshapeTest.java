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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link F#cat}, {@link F#add} and {@link F#reshape} against {@link Reference}. */
class CatAddReshapeTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    // --------------------------------------------------------------------------------------------------------- cat

    /** Three random [N, C, H, W] inputs that differ only along {@code dim}; the second one a permuted view. */
    private static INDArray[] catInputs(Random random, int dim, int count) {
        int[] shape = {1 + random.nextInt(3), 1 + random.nextInt(4), 1 + random.nextInt(6), 1 + random.nextInt(6)};
        INDArray[] inputs = new INDArray[count];
        for (int i = 0; i < count; i++) {
            long[] s = Arrays.stream(shape).asLongStream().toArray();
            s[dim] = 1 + random.nextInt(5);
            INDArray x = randn(random, 1, s);
            inputs[i] = i == 1 ? Kernels.asPermutedView(x) : x;
        }
        return inputs;
    }

    @ParameterizedTest(name = "dim {0}")
    @MethodSource("catDims")
    void catMatchesReferenceOnRandomShapes(int dim) {
        Random random = new Random(100 + dim);
        for (int round = 0; round < 8; round++) {
            int d = dim < 0 ? dim + 4 : dim;
            INDArray[] inputs = catInputs(random, d, 3);
            INDArray y = untouched(() -> F.cat(dim, inputs), inputs);
            Tensor[] tensors = Arrays.stream(inputs).map(Tensor::of).toArray(Tensor[]::new);
            String shapes = Arrays.toString(Arrays.stream(inputs).map(x -> Arrays.toString(x.shape())).toArray());
            assertClose("cat", "dim " + dim + " " + shapes, y, Reference.cat(dim, tensors));
            assertThat(y.ordering()).isEqualTo('c');
        }
    }

    static Stream<Integer> catDims() {
        return Stream.of(0, 1, 2, 3, -1, -3);
    }

    @Test
    void catOfThreeInputsAlongChannels() {
        Random random = new Random(7);
        INDArray a = randn(random, 1, 2, 3, 4, 5);
        INDArray b = randn(random, 1, 2, 1, 4, 5);
        INDArray c = randn(random, 1, 2, 6, 4, 5);
        INDArray y = untouched(() -> F.cat(1, a, b, c), a, b, c);
        assertThat(y.shape()).isEqualTo(new long[] {2, 10, 4, 5});
        assertThat(y.getDouble(1, 3, 2, 4)).isEqualTo(b.getDouble(1, 0, 2, 4));
        assertThat(y.getDouble(1, 9, 3, 0)).isEqualTo(c.getDouble(1, 5, 3, 0));
        assertClose("cat", "dim 1, three inputs", y, Reference.cat(1, Tensor.of(a), Tensor.of(b), Tensor.of(c)));
    }

    @Test
    void catOfOtherRanks() {
        Random random = new Random(8);
        INDArray a = randn(random, 1, 3, 4);
        INDArray b = randn(random, 1, 3, 2);
        assertClose("cat", "rank 2 dim 1", untouched(() -> F.cat(1, a, b), a, b),
                Reference.cat(1, Tensor.of(a), Tensor.of(b)));
        INDArray u = randn(random, 1, 5);
        INDArray v = randn(random, 1, 2);
        assertClose("cat", "rank 1", untouched(() -> F.cat(0, u, v, u), u, v),
                Reference.cat(0, Tensor.of(u), Tensor.of(v), Tensor.of(u)));
        INDArray f = randn(random, 1, 4, 3).transpose(); // [3, 4], f-order view
        assertClose("cat", "f-order view dim 0", untouched(() -> F.cat(0, f, a), f, a),
                Reference.cat(0, Tensor.of(f), Tensor.of(a)));
    }

    @Test
    void catOfOneInputIsACopy() {
        INDArray x = randn(new Random(9), 1, 2, 3, 4, 5);
        INDArray y = untouched(() -> F.cat(1, x), x);
        assertClose("cat", "one input", y, Tensor.of(x));
        y.putScalar(0, 99);
        assertThat(x.getDouble(0)).isNotEqualTo(99.0);
    }

    @Test
    void catSkipsEmptyInputs() {
        Random random = new Random(10);
        INDArray a = randn(random, 1, 2, 3, 4, 5);
        INDArray empty = Nd4j.create(DataType.FLOAT, 2, 0, 4, 5);
        INDArray b = randn(random, 1, 2, 2, 4, 5);
        assertClose("cat", "with an empty input", untouched(() -> F.cat(1, a, empty, b), a, b),
                Reference.cat(1, Tensor.of(a), Tensor.of(b)));
        INDArray alone = untouched(() -> F.cat(1, empty, a), a);
        assertClose("cat", "empty and one input", alone, Tensor.of(a));
        assertThat(F.cat(1, empty, empty).shape()).isEqualTo(new long[] {2, 0, 4, 5});
    }

    @Test
    void catRejectsWhatPyTorchRejects() {
        Random random = new Random(11);
        INDArray a = randn(random, 1, 2, 3, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> F.cat(1));
        assertThrows(IllegalArgumentException.class, () -> F.cat(1, a, randn(random, 1, 2, 3, 4, 6)));
        assertThrows(IllegalArgumentException.class, () -> F.cat(1, a, randn(random, 1, 2, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> F.cat(4, a, a));
        assertThrows(IllegalArgumentException.class, () -> F.cat(-5, a, a));
        assertThrows(IllegalArgumentException.class, () -> F.cat(0, Nd4j.scalar(1f), Nd4j.scalar(2f)));
        assertThrows(IllegalArgumentException.class, () -> F.cat(1, a, a.castTo(DataType.DOUBLE)));
    }

    // --------------------------------------------------------------------------------------------------------- add

    /** a's shape, b's shape (all broadcasts PyTorch allows). */
    static Stream<Arguments> addShapes() {
        return Stream.of(
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {2, 3, 4, 5}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {2, 3, 1, 1}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {3, 1, 1}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {1, 3, 1, 1}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {5}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {4, 1}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {}),
                Arguments.of(new long[] {3, 1, 1}, new long[] {2, 3, 4, 5}), // a broadcasts too
                Arguments.of(new long[] {2, 1, 4, 1}, new long[] {1, 3, 1, 5}), // both broadcast
                Arguments.of(new long[] {1, 1, 1, 1}, new long[] {2, 3, 4, 5}),
                Arguments.of(new long[] {6, 7}, new long[] {6, 1}),
                Arguments.of(new long[] {8}, new long[] {8}));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("addShapes")
    void addBroadcastsLikePyTorch(long[] shapeA, long[] shapeB) {
        Random random = new Random(Arrays.hashCode(shapeA) * 31 + Arrays.hashCode(shapeB));
        INDArray a = randn(random, 1, shapeA);
        INDArray b = shapeB.length == 0 ? Nd4j.scalar((float) random.nextGaussian()) : randn(random, 1, shapeB);
        String context = Arrays.toString(shapeA) + " + " + Arrays.toString(shapeB);
        INDArray y = untouched(() -> F.add(a, b, false), a, b);
        Tensor expected = Reference.add(Tensor.of(a), Tensor.of(b));
        assertClose("add", context, y, expected);

        if (shapeA.length == 4 && shapeA[0] > 1) { // the same on views
            INDArray view = Kernels.asPermutedView(a);
            assertClose("add", context + ", permuted a", untouched(() -> F.add(view, b, false), view, b), expected);
        }
        if (Arrays.equals(shapeA, Arrays.stream(expected.shape()).asLongStream().toArray())) {
            INDArray target = a.dup();
            INDArray bBefore = b.dup();
            INDArray result = F.add(target, b, true);
            assertThat(result).isSameInstanceAs(target);
            assertClose("add in place", context, target, expected);
            assertThat(b).isEqualTo(bBefore);
        } else {
            assertThrows(IllegalArgumentException.class, () -> F.add(a.dup(), b, true));
        }
    }

    @Test
    void addInPlaceReturnsA() {
        Random random = new Random(12);
        INDArray a = randn(random, 1, 2, 3, 4, 5);
        INDArray b = randn(random, 1, 3, 1, 1);
        Tensor expected = Reference.add(Tensor.of(a), Tensor.of(b));
        INDArray y = F.add(a, b, true);
        assertThat(y).isSameInstanceAs(a);
        assertClose("add in place", "[2,3,4,5] + [3,1,1]", a, expected);

        // into a permuted view: the values land in the view's base array
        INDArray base = randn(random, 1, 2, 4, 5, 3);
        INDArray view = base.permute(0, 3, 1, 2); // [2, 3, 4, 5]
        Tensor expectedView = Reference.add(Tensor.of(view), Tensor.of(b));
        assertThat(F.add(view, b, true)).isSameInstanceAs(view);
        assertClose("add in place", "permuted view", base.permute(0, 3, 1, 2), expectedView);

        // a + a in place
        INDArray twice = randn(random, 1, 2, 3, 4, 5);
        Tensor expectedTwice = Reference.add(Tensor.of(twice), Tensor.of(twice));
        F.add(twice, twice, true);
        assertClose("add in place", "a + a", twice, expectedTwice);
    }

    @Test
    void addRejectsShapesPyTorchRejects() {
        Random random = new Random(13);
        INDArray a = randn(random, 1, 2, 3, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> F.add(a, randn(random, 1, 2, 4, 1, 1), false));
        assertThrows(IllegalArgumentException.class, () -> F.add(a, randn(random, 1, 4), false));
        assertThrows(IllegalArgumentException.class, () -> F.add(a, randn(random, 1, 3, 4, 4), false));
        assertThrows(IllegalArgumentException.class, () -> F.add(randn(random, 1, 3, 1, 1), a, true));
        assertThrows(IllegalArgumentException.class, () -> F.add(a, a.castTo(DataType.DOUBLE), false));
    }

    // ----------------------------------------------------------------------------------------------------- reshape

    /** input shape, target shape (with -1s), resolved shape. */
    static Stream<Arguments> reshapeCases() {
        return Stream.of(
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {-1, 60}, new long[] {2, 60}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {2, -1}, new long[] {2, 60}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {-1, 3, 20}, new long[] {2, 3, 20}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {6, -1, 5}, new long[] {6, 4, 5}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {-1}, new long[] {120}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {2, 3, 20, 1}, new long[] {2, 3, 20, 1}),
                Arguments.of(new long[] {2, 3, 4, 5}, new long[] {2, 3, 4, 5}, new long[] {2, 3, 4, 5}),
                Arguments.of(new long[] {2, 60}, new long[] {-1, 3, 4, 5}, new long[] {2, 3, 4, 5}),
                Arguments.of(new long[] {4, 6, 2, 2}, new long[] {-1, 1, 24}, new long[] {4, 1, 24}),
                Arguments.of(new long[] {1, 12, 1, 1}, new long[] {-1, 12}, new long[] {1, 12}),
                Arguments.of(new long[] {1}, new long[] {}, new long[] {}));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("reshapeCases")
    void reshapeIsAViewOfCContiguousInput(long[] from, long[] to, long[] resolved) {
        INDArray x = randn(new Random(Arrays.hashCode(from) + Arrays.hashCode(to)), 1, from);
        INDArray y = untouched(() -> F.reshape(x, to), x);
        assertThat(y.shape()).isEqualTo(resolved);
        Tensor expected = Reference.reshape(Tensor.of(x), Arrays.stream(to).mapToInt(Math::toIntExact).toArray());
        assertClose("reshape", Arrays.toString(from) + " -> " + Arrays.toString(to), y, expected);

        // a view: writing through the result changes x (x.view(...) semantics)
        INDArray probe = x.dup();
        INDArray view = F.reshape(probe, to);
        view.putScalar(view.length() - 1, 1234.5f);
        assertThat(probe.getDouble(probe.length() - 1)).isEqualTo(1234.5);
    }

    /** The values of a non-c-contiguous input come out in logical c order (a view where the strides allow one). */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("reshapeCases")
    void reshapeOfTransposedInput(long[] from, long[] to, long[] resolved) {
        Random random = new Random(Arrays.hashCode(to) - Arrays.hashCode(from));
        // the same logical [from] array, stored with its axes reversed: not c-contiguous
        int rank = from.length;
        long[] reversed = new long[rank];
        int[] axes = new int[rank];
        for (int k = 0; k < rank; k++) {
            reversed[k] = from[rank - 1 - k];
            axes[k] = rank - 1 - k;
        }
        INDArray x = randn(random, 1, reversed).permute(axes);
        assertThat(x.shape()).isEqualTo(from);
        INDArray y = untouched(() -> F.reshape(x, to), x);
        assertThat(y.shape()).isEqualTo(resolved);
        assertClose("reshape", "transposed " + Arrays.toString(from) + " -> " + Arrays.toString(to), y,
                Reference.reshape(Tensor.of(x), Arrays.stream(to).mapToInt(Math::toIntExact).toArray()));
    }

    /** A permuted NCHW input flattened per sample cannot be a view: the result is a copy, x stays as it was. */
    @Test
    void reshapeCopiesPermutedInput() {
        INDArray x = Kernels.asPermutedView(randn(new Random(16), 1, 2, 3, 4, 5));
        // ([2, 3, 20] would be a view: H and W stay adjacent in the NHWC storage, as PyTorch's reshape also finds)
        for (long[] shape : new long[][] {{2, -1}, {-1, 60}, {120}, {6, 20}}) {
            INDArray y = untouched(() -> F.reshape(x, shape), x);
            assertClose("reshape", "permuted -> " + Arrays.toString(shape), y,
                    Reference.reshape(Tensor.of(x), Arrays.stream(shape).mapToInt(Math::toIntExact).toArray()));
            assertThat(y.ordering()).isEqualTo('c');
            INDArray before = x.dup();
            y.assign(-7);
            assertThat(Tensor.of(x).data()).usingExactEquality().containsExactly(Tensor.of(before).data()).inOrder();
        }
    }

    @Test
    void reshapeOfAChannelSliceIsCorrect() {
        INDArray buffer = randn(new Random(14), 1, 1, 6, 4, 5);
        INDArray slice = buffer.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray y = untouched(() -> F.reshape(slice, -1, 60), slice);
        assertClose("reshape", "offset channel slice", y, Reference.reshape(Tensor.of(slice), 1, 60));
    }

    @Test
    void reshapeRejectsWhatPyTorchRejects() {
        INDArray x = randn(new Random(15), 1, 2, 3, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> F.reshape(x, -1, -1, 5));
        assertThrows(IllegalArgumentException.class, () -> F.reshape(x, 7, -1));
        assertThrows(IllegalArgumentException.class, () -> F.reshape(x, 2, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> F.reshape(x, 2, -2, 30));
        assertThrows(IllegalArgumentException.class, () -> F.reshape(Nd4j.create(DataType.FLOAT, 0, 4), 0, -1));
    }
}
