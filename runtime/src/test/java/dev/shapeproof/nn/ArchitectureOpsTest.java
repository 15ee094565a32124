package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;
import static dev.shapeproof.nn.Kernels.untouched;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.nn.Reference.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The kernels of "The ops that real architectures need" against {@link ReferenceOps}: small tensors (the Java kernels)
 * and large ones or views (ND4J), inputs untouched, in place where the op has it. The runtime module runs these twice,
 * the second time with every kernel on ND4J.
 */
class ArchitectureOpsTest {
    /** A map over the pointwise limit, so that the default run takes ND4J's path too. */
    private static final long[] LARGE = {2, 64, 33, 32};

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    static Stream<Arguments> activations() {
        return Stream.of(
                Arguments.of("relu6", (BiFunction<INDArray, Boolean, INDArray>) F::relu6,
                        (DoubleUnaryOperator) ReferenceOps::relu6),
                Arguments.of("hardswish", (BiFunction<INDArray, Boolean, INDArray>) F::hardswish,
                        (DoubleUnaryOperator) ReferenceOps::hardswish),
                Arguments.of("hardsigmoid", (BiFunction<INDArray, Boolean, INDArray>) F::hardsigmoid,
                        (DoubleUnaryOperator) ReferenceOps::hardsigmoid),
                Arguments.of("silu", (BiFunction<INDArray, Boolean, INDArray>) F::silu,
                        (DoubleUnaryOperator) ReferenceOps::silu),
                Arguments.of("mish", (BiFunction<INDArray, Boolean, INDArray>) F::mish,
                        (DoubleUnaryOperator) ReferenceOps::mish),
                Arguments.of("elu 1", (BiFunction<INDArray, Boolean, INDArray>) (x, p) -> F.elu(x, 1.0, p),
                        (DoubleUnaryOperator) v -> ReferenceOps.elu(v, 1.0)),
                Arguments.of("elu 0.3", (BiFunction<INDArray, Boolean, INDArray>) (x, p) -> F.elu(x, 0.3, p),
                        (DoubleUnaryOperator) v -> ReferenceOps.elu(v, 0.3)),
                Arguments.of("neg", (BiFunction<INDArray, Boolean, INDArray>) F::neg,
                        (DoubleUnaryOperator) v -> -v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activationMatchesReference(String name, BiFunction<INDArray, Boolean, INDArray> kernel,
            DoubleUnaryOperator reference) {
        Random random = new Random(name.hashCode());
        for (long[] shape : new long[][] {{2, 3, 5, 7}, {4, 10}, {3, 4, 5}, LARGE}) {
            // scale 5 reaches both sides of the hard activations' kinks at ±3 and the tails
            INDArray x = randn(random, 5, shape);
            x.putScalar(0, 0.0);
            x.putScalar(1, 3.0);
            x.putScalar(2, -3.0);
            Tensor expected = Reference.map(Tensor.of(x), reference);
            assertClose(name, "not in place " + Arrays.toString(shape), untouched(() -> kernel.apply(x, false), x),
                    expected);
            INDArray target = x.dup();
            INDArray inPlace = kernel.apply(target, true);
            assertThat(inPlace).isSameInstanceAs(target);
            assertClose(name, "in place " + Arrays.toString(shape), target, expected);
        }
        INDArray view = Kernels.asPermutedView(randn(random, 5, 2, 3, 4, 5));
        assertClose(name, "a view", untouched(() -> kernel.apply(view, false), view),
                Reference.map(Tensor.of(view), reference));
    }

    static Stream<Arguments> binaries() {
        return Stream.of(
                Arguments.of("sub", (TriKernel) F::sub, (DoubleBinaryOperator) (a, b) -> a - b),
                Arguments.of("mul", (TriKernel) F::mul, (DoubleBinaryOperator) (a, b) -> a * b),
                Arguments.of("div", (TriKernel) F::div, (DoubleBinaryOperator) (a, b) -> a / b));
    }

    interface TriKernel {
        INDArray apply(INDArray a, INDArray b, boolean inPlace);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void binaryBroadcastsAsPyTorch(String name, TriKernel kernel, DoubleBinaryOperator op) {
        Random random = new Random(name.hashCode());
        long[][][] pairs = {
            {{2, 3, 4, 5}, {2, 3, 4, 5}},
            {{2, 3, 4, 5}, {2, 3, 1, 1}},
            {{2, 3, 4, 5}, {3, 1, 1}},
            {{2, 5, 6}, {1, 5, 6}},
            {{2, 5, 6}, {6}},
            {LARGE, LARGE},
            {LARGE, {2, 64, 1, 1}}};
        for (long[][] pair : pairs) {
            INDArray a = randn(random, 2, pair[0]);
            // away from 0, so that a division is well conditioned
            INDArray b = randn(random, 1, pair[1]).addi(4);
            Tensor expected = ReferenceOps.broadcast(Tensor.of(a), Tensor.of(b), op);
            String shapes = Arrays.toString(pair[0]) + " " + Arrays.toString(pair[1]);
            assertClose(name, shapes, untouched(() -> kernel.apply(a, b, false), a, b), expected);
            INDArray target = a.dup();
            assertThat(kernel.apply(target, b, true)).isSameInstanceAs(target);
            assertClose(name, "in place " + shapes, target, expected);
        }
        INDArray a = randn(random, 1, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> kernel.apply(a, randn(random, 1, 4), false));
        assertThrows(IllegalArgumentException.class, () -> kernel.apply(randn(random, 1, 1, 3), a, true));
    }

    @Test
    void scalarsOnEitherSide() {
        Random random = new Random(7);
        for (long[] shape : new long[][] {{2, 3, 4}, LARGE}) {
            INDArray x = randn(random, 2, shape).addi(5);
            Tensor t = Tensor.of(x);
            assertClose("add scalar", "", untouched(() -> F.add(x, 1.5, false), x), Reference.map(t, v -> v + 1.5));
            assertClose("sub scalar", "", untouched(() -> F.sub(x, 0.25, false), x), Reference.map(t, v -> v - 0.25));
            assertClose("rsub scalar", "", untouched(() -> F.rsub(x, 2, false), x), Reference.map(t, v -> 2 - v));
            assertClose("mul scalar", "", untouched(() -> F.mul(x, -3, false), x), Reference.map(t, v -> -3 * v));
            assertClose("div scalar", "", untouched(() -> F.div(x, 7, false), x), Reference.map(t, v -> v / 7));
            assertClose("rdiv scalar", "", untouched(() -> F.rdiv(x, 3, false), x), Reference.map(t, v -> 3 / v));
            INDArray target = x.dup();
            assertThat(F.rsub(target, 1, true)).isSameInstanceAs(target);
            assertClose("rsub scalar", "in place", target, Reference.map(t, v -> 1 - v));
        }
    }

    @Test
    void reductions() {
        Random random = new Random(11);
        for (long[] shape : new long[][] {{2, 3, 4, 5}, LARGE}) {
            INDArray x = randn(random, 1, shape);
            Tensor t = Tensor.of(x);
            for (int[] dims : new int[][] {{2, 3}, {1}, {-1}, {1, 3}, {3, 1, 2}}) {
                for (boolean keep : new boolean[] {false, true}) {
                    String context = Arrays.toString(shape) + " dims " + Arrays.toString(dims) + " keepdim " + keep;
                    assertClose("mean", context, untouched(() -> F.mean(x, keep, dims), x),
                            ReferenceOps.reduce(t, "mean", keep, dims));
                    assertClose("sum", context, untouched(() -> F.sum(x, keep, dims), x),
                            ReferenceOps.reduce(t, "sum", keep, dims));
                    assertClose("amax", context, untouched(() -> F.amax(x, keep, dims), x),
                            ReferenceOps.reduce(t, "amax", keep, dims));
                }
            }
        }
        INDArray withNaN = randn(random, 1, 2, 3, 4);
        withNaN.putScalar(new long[] {1, 2, 3}, Double.NaN);
        INDArray max = F.amax(withNaN, false, 2);
        assertThat(max.getDouble(1, 2)).isNaN();
        assertThat(max.getDouble(1, 1)).isNotNaN();
        assertThrows(IllegalArgumentException.class, () -> F.mean(withNaN, false, 1, 1));
    }

    @Test
    void adaptiveMaxPool() {
        Random random = new Random(13);
        for (long[] shape : new long[][] {{2, 3, 7, 5}, {2, 3, 8, 8}, {1, 300, 20, 23}}) {
            INDArray x = randn(random, 1, shape);
            for (int[] out : new int[][] {{1, 1}, {3, 2}, {4, 4}, {7, 5}}) {
                assertClose("adaptive_max_pool2d", Arrays.toString(shape) + " to " + Arrays.toString(out),
                        untouched(() -> F.adaptiveMaxPool2d(x, out[0], out[1]), x),
                        ReferenceOps.adaptiveMaxPool2d(Tensor.of(x), out[0], out[1]));
            }
        }
    }

    @Test
    void padInEveryMode() {
        Random random = new Random(17);
        INDArray x = randn(random, 1, 2, 3, 5, 6);
        for (String mode : new String[] {"constant", "reflect", "replicate", "circular"}) {
            for (int[] pad : new int[][] {{1, 2, 0, 1}, {4, 0, 2, 3}, {0, 0, 1, 1}}) {
                assertClose("pad " + mode, Arrays.toString(pad), untouched(() -> F.pad(x, pad, mode, 0.5), x),
                        ReferenceOps.pad(Tensor.of(x), pad, mode, mode.equals("constant") ? 0.5 : 0));
            }
        }
        assertClose("pad constant", "crop", untouched(() -> F.pad(x, new int[] {-1, 2, -2, 0}, "constant", 0), x),
                cropThenPad(Tensor.of(x)));
        INDArray features = randn(random, 1, 3, 7);
        assertClose("pad reflect", "[N, F]", F.pad(features, new int[] {2, 3}, "reflect", 0),
                ReferenceOps.pad(Tensor.of(features), new int[] {2, 3}, "reflect", 0));
        assertThrows(IllegalArgumentException.class, () -> F.pad(x, new int[] {6, 0}, "reflect", 0));
    }

    /** {@code F.pad(x, (-1, 2, -2, 0))} by hand: crop one column left and two rows top, then two zero columns. */
    private static Tensor cropThenPad(Tensor x) {
        Tensor cropped = ReferenceOps.slice(ReferenceOps.slice(x, 3, 1, 6, 1, false), 2, 2, 5, 1, false);
        return ReferenceOps.pad(cropped, new int[] {0, 2, 0, 0}, "constant", 0);
    }

    @Test
    void axesAndParts() {
        Random random = new Random(19);
        INDArray x = randn(random, 1, 2, 3, 4, 5);
        Tensor t = Tensor.of(x);
        assertClose("permute", "", untouched(() -> F.permute(x, 0, 2, 3, 1), x), ReferenceOps.permute(t, 0, 2, 3, 1));
        assertClose("permute", "identity", untouched(() -> F.permute(x, 0, 1, 2, 3), x), t);
        assertClose("narrow", "", untouched(() -> F.narrow(x, 1, 1, 2), x), ReferenceOps.slice(t, 1, 1, 3, 1, false));
        assertClose("slice", "step", untouched(() -> F.slice(x, 3, 1, 5, 2), x),
                ReferenceOps.slice(t, 3, 1, 5, 2, false));
        assertClose("select", "", untouched(() -> F.select(x, 2, 3), x), ReferenceOps.slice(t, 2, 3, 4, 1, true));
        assertClose("select", "negative", untouched(() -> F.select(x, 1, -1), x),
                ReferenceOps.slice(t, 1, 2, 3, 1, true));
        INDArray view = Kernels.asPermutedView(x);
        assertClose("narrow", "a view", untouched(() -> F.narrow(view, 2, 1, 3), view),
                ReferenceOps.slice(Tensor.of(view), 2, 1, 4, 1, false));
        INDArray y = randn(random, 1, 2, 3, 4, 5);
        INDArray stacked = untouched(() -> F.stack(1, x, y), x, y);
        assertThat(stacked.shape()).isEqualTo(new long[] {2, 2, 3, 4, 5});
        assertClose("stack", "first", F.select(stacked, 1, 0), t);
        assertClose("stack", "second", F.select(stacked, 1, 1), Tensor.of(y));
        assertClose("stack", "last axis", F.select(F.stack(-1, x, y), 4, 1), Tensor.of(y));
        assertThrows(IllegalArgumentException.class, () -> F.stack(1, x, randn(random, 1, 2, 3, 4, 4)));
    }

    @Test
    void expandCopies() {
        Random random = new Random(23);
        INDArray token = randn(random, 1, 1, 1, 6);
        INDArray expanded = untouched(() -> F.expand(token, 3, -1, -1), token);
        assertClose("expand", "a parameter to the batch", expanded, ReferenceOps.expand(Tensor.of(token), 3, -1, -1));
        expanded.addi(1);
        assertThat(token.getDouble(0, 0, 0)).isNotEqualTo(expanded.getDouble(0, 0, 0));
        INDArray x = randn(random, 1, 2, 3, 1);
        assertClose("expand", "a batched tensor", untouched(() -> F.expand(x, -1, -1, 4), x),
                ReferenceOps.expand(Tensor.of(x), -1, -1, 4));
        INDArray rows = randn(random, 1, 5, 4);
        assertClose("expand", "new leading axis", untouched(() -> F.expand(rows, 2, -1, -1), rows),
                ReferenceOps.expand(Tensor.of(rows), 2, -1, -1));
        assertThrows(IllegalArgumentException.class, () -> F.expand(x, -1, 4, 4));
    }

    @Test
    void layerNormOverTheLastAxes() {
        Random random = new Random(29);
        for (long[] shape : new long[][] {{2, 5, 8}, {2, 3, 4, 6}, {4, 300, 768}}) {
            INDArray x = randn(random, 3, shape).addi(1);
            for (int axes : new int[] {1, 2}) {
                long[] normalized = Arrays.copyOfRange(shape, shape.length - axes, shape.length);
                INDArray weight = randn(random, 1, normalized);
                INDArray bias = randn(random, 1, normalized);
                String context = Arrays.toString(shape) + " over " + axes;
                assertClose("layer_norm", context, untouched(() -> F.layerNorm(x, axes, weight, bias, 1e-5), x,
                        weight, bias), ReferenceOps.norm(Tensor.of(x), axes, 0, Tensor.of(weight), Tensor.of(bias),
                        1e-5));
                assertClose("layer_norm", context + " no affine", untouched(() -> F.layerNorm(x, axes, null, null,
                        1e-6), x), ReferenceOps.norm(Tensor.of(x), axes, 0, null, null, 1e-6));
            }
        }
        INDArray nhwc = Kernels.asPermutedView(randn(random, 1, 2, 6, 3, 4));
        assertClose("layer_norm", "a permuted view", untouched(() -> F.layerNorm(nhwc, 1, null, null, 1e-6), nhwc),
                ReferenceOps.norm(Tensor.of(nhwc), 1, 0, null, null, 1e-6));
    }

    @Test
    void groupNormAndBatchNorm1d() {
        Random random = new Random(31);
        for (long[] shape : new long[][] {{2, 6, 5, 4}, {3, 6, 7}, {2, 64, 64, 40}}) {
            INDArray x = randn(random, 2, shape).addi(0.5);
            for (int groups : new int[] {1, 2, (int) shape[1]}) {
                INDArray weight = randn(random, 1, shape[1]);
                INDArray bias = randn(random, 1, shape[1]);
                assertClose("group_norm", Arrays.toString(shape) + " groups " + groups,
                        untouched(() -> F.groupNorm(x, groups, weight, bias, 1e-5), x, weight, bias),
                        ReferenceOps.norm(Tensor.of(x), 0, groups, Tensor.of(weight), Tensor.of(bias), 1e-5));
            }
        }
        for (long[] shape : new long[][] {{4, 6}, {3, 6, 5}}) {
            INDArray x = randn(random, 2, shape);
            INDArray mean = randn(random, 1, 6);
            INDArray variance = Kernels.uniform(random, 0.5, 1.5, 6);
            INDArray weight = randn(random, 1, 6);
            INDArray bias = randn(random, 1, 6);
            Tensor expected = new Tensor(Tensor.of(x).shape());
            Tensor t = Tensor.of(x);
            int positions = shape.length == 3 ? (int) shape[2] : 1;
            for (int i = 0; i < t.data().length; i++) {
                int c = (i / positions) % 6;
                expected.data()[i] = (t.data()[i] - mean.getDouble(c)) / Math.sqrt(variance.getDouble(c) + 1e-5)
                        * weight.getDouble(c) + bias.getDouble(c);
            }
            assertClose("batch_norm1d", Arrays.toString(shape), untouched(() -> F.batchNorm1d(x, mean, variance,
                    weight, bias, 1e-5), x), expected);
        }
    }

    @Test
    void convTransposeMatchesItsDefinition() {
        Random random = new Random(37);
        // in, out, groups, kernel, stride, padding, output padding, dilation, input size
        int[][] cases = {
            {4, 6, 1, 2, 2, 0, 0, 1, 5},
            {4, 6, 1, 3, 2, 1, 1, 1, 5},
            {6, 4, 2, 3, 1, 1, 0, 1, 6},
            {4, 4, 4, 3, 2, 1, 1, 1, 4},
            {3, 5, 1, 4, 3, 2, 2, 1, 4},
            {3, 2, 1, 3, 2, 3, 0, 2, 5},
            {8, 6, 1, 3, 2, 0, 1, 2, 9},
            {16, 16, 1, 2, 2, 0, 0, 1, 24}};
        for (int[] c : cases) {
            int[] stride = {c[4], c[4]};
            int[] padding = {c[5], c[5]};
            int[] outputPadding = {c[6], c[6]};
            int[] dilation = {c[7], c[7]};
            INDArray x = randn(random, 1, 2, c[0], c[8], c[8] + 1);
            INDArray weight = randn(random, 0.5, c[0], c[1] / c[2], c[3], c[3]);
            INDArray bias = randn(random, 1, c[1]);
            Tensor expected = ReferenceOps.convTranspose2d(Tensor.of(x), Tensor.of(weight), Tensor.of(bias), stride,
                    padding, outputPadding, dilation, c[2]);
            assertClose("conv_transpose2d", Arrays.toString(c), untouched(() -> F.convTranspose2d(x, weight, null,
                    bias, stride, padding, outputPadding, dilation, c[2]), x, weight, bias), expected);
            INDArray prepared = F.convTransposeKernel(weight, c[2]);
            assertClose("conv_transpose2d", Arrays.toString(c) + " prepared weight", F.convTranspose2d(x, weight,
                    prepared, null, stride, padding, outputPadding, dilation, c[2]), ReferenceOps.convTranspose2d(
                    Tensor.of(x), Tensor.of(weight), null, stride, padding, outputPadding, dilation, c[2]));
        }
    }

    @Test
    void multiheadAttentionMatchesItsDefinition() {
        Random random = new Random(41);
        // batch, query length, key length, embedding, heads
        int[][] cases = {{2, 5, 5, 8, 2}, {1, 17, 17, 48, 12}, {3, 4, 7, 12, 3}, {2, 40, 40, 64, 4}};
        for (int[] c : cases) {
            INDArray q = randn(random, 1, c[0], c[1], c[3]);
            INDArray k = randn(random, 1, c[0], c[2], c[3]);
            INDArray v = randn(random, 1, c[0], c[2], c[3]);
            INDArray inWeight = randn(random, 0.4, 3L * c[3], c[3]);
            INDArray inBias = randn(random, 0.2, 3L * c[3]);
            INDArray outWeight = randn(random, 0.4, c[3], c[3]);
            INDArray outBias = randn(random, 0.2, c[3]);
            Tensor expected = ReferenceOps.attention(Tensor.of(q), Tensor.of(k), Tensor.of(v), c[4],
                    Tensor.of(inWeight), Tensor.of(inBias), Tensor.of(outWeight), Tensor.of(outBias));
            assertClose("multi_head_attention", Arrays.toString(c), untouched(() -> F.multiheadAttention(q, k, v,
                    c[4], inWeight, inBias, outWeight, outBias, 0.0, false), q, k, v), expected);
            assertClose("multi_head_attention", Arrays.toString(c) + " dropout in eval", F.multiheadAttention(q, k,
                    v, c[4], inWeight, inBias, outWeight, outBias, 0.5, false), expected);
        }
        INDArray x = randn(random, 1, 2, 3, 4);
        INDArray w = randn(random, 1, 12, 4);
        assertThrows(IllegalArgumentException.class, () -> F.multiheadAttention(x, x, x, 3, w, null, randn(random,
                1, 4, 4), null, 0, false));
    }

    @Test
    void stochasticDepthIsTheIdentityInEval() {
        INDArray x = randn(new Random(43), 1, 4, 3, 2, 2);
        assertThat(F.stochasticDepth(x, 0.5, "row", false)).isSameInstanceAs(x);
        assertThat(F.stochasticDepth(x, 0.0, "batch", true)).isSameInstanceAs(x);
        INDArray dropped = F.stochasticDepth(x, 1.0, "row", true);
        assertThat(dropped.amaxNumber().doubleValue()).isEqualTo(0.0);
        // In training each sample is kept whole (scaled by 1/(1−p)) or zeroed whole.
        Nd4j.getRandom().setSeed(5);
        INDArray rows = F.stochasticDepth(x, 0.5, "row", true);
        for (int n = 0; n < 4; n++) {
            INDArray sample = rows.slice(n);
            boolean zero = sample.amaxNumber().doubleValue() == 0;
            assertThat(zero || sample.equalsWithEps(x.slice(n).mul(2), 1e-6)).isTrue();
        }
        assertThrows(IllegalArgumentException.class, () -> F.stochasticDepth(x, 0.5, "col", true));
    }
}
