package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Element-wise ops on channels-last arrays (what oneDNN's convolutions return): the numbers of the same op on a c-order
 * copy, bit for bit, and a result in the input's layout, so no element was reordered. Two sizes: one for the Java
 * kernels, one past their limit for ND4J's.
 */
class MemoryOrderTest {
    /** {@code [N, C, H, W]} sizes: 12.8 K elements (Java kernels) and 205 K (ND4J). */
    private static final List<long[]> SHAPES = List.of(new long[] {1, 8, 40, 40}, new long[] {1, 32, 80, 80});

    private record Unary(String name, BiFunction<INDArray, Boolean, INDArray> op) {}

    private static final List<Unary> UNARY = List.of(
            new Unary("relu", ActivationOp::relu),
            new Unary("leaky_relu", (x, inPlace) -> ActivationOp.leakyRelu(x, 0.1, inPlace)),
            new Unary("sigmoid", ActivationOp::sigmoid),
            new Unary("tanh", ActivationOp::tanh),
            new Unary("relu6", ActivationOp::relu6),
            new Unary("hardsigmoid", ActivationOp::hardsigmoid),
            new Unary("hardswish", ActivationOp::hardswish),
            new Unary("silu", ActivationOp::silu),
            new Unary("mish", ActivationOp::mish),
            new Unary("elu", (x, inPlace) -> ActivationOp.elu(x, 0.7, inPlace)),
            new Unary("gelu", (x, inPlace) -> ActivationOp.gelu(x, false, inPlace)),
            new Unary("x + 0.5", (x, inPlace) -> ArithmeticOp.add(x, 0.5, inPlace)),
            new Unary("2 / x", (x, inPlace) -> ArithmeticOp.rdiv(x, 2, inPlace)),
            new Unary("-x", ArithmeticOp::neg));

    @Test
    void aChannelsLastArrayIsDenseInTheOrderNhwc() {
        INDArray x = channelsLast(1, 8, 4, 5);
        assertThat(MemoryOrder.permutedOrder(x)).asList().containsExactly(0, 2, 3, 1).inOrder();
        assertThat(MemoryOrder.permutedOrder(channelsLast(2, 8, 4, 5))).asList().containsExactly(0, 2, 3, 1).inOrder();
        assertThat(MemoryOrder.permutedOrder(x.dup('c'))).isNull();
        assertThat(MemoryOrder.permutedOrder(x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4),
                NDArrayIndex.all(), NDArrayIndex.all()))).isNull(); // every other channel missing: gaps
    }

    @Test
    void unaryOpsOnChannelsLastGiveTheCOrderNumbersInTheInputsLayout() {
        for (long[] shape : SHAPES) {
            for (Unary op : UNARY) {
                INDArray x = channelsLast(shape);
                INDArray expected = op.op().apply(x.dup('c'), false);

                INDArray y = op.op().apply(x, false);
                assertWithMessage(op.name()).that(y.stride()).isEqualTo(x.stride());
                assertWithMessage(op.name()).that(y.dup('c')).isEqualTo(expected);

                INDArray same = op.op().apply(x, true);
                assertWithMessage(op.name() + " in place").that(same).isSameInstanceAs(x);
                assertWithMessage(op.name() + " in place").that(x.dup('c')).isEqualTo(expected);
            }
        }
    }

    @Test
    void binaryOpsOnOneLayoutOrAPerChannelOperandKeepTheLayout() {
        List<BinaryOperator<INDArray>> notInPlace = List.of((a, b) -> AddOp.add(a, b, false),
                (a, b) -> ArithmeticOp.sub(a, b, false), (a, b) -> ArithmeticOp.mul(a, b, false),
                (a, b) -> ArithmeticOp.div(a, b, false));
        List<BinaryOperator<INDArray>> inPlace = List.of((a, b) -> AddOp.add(a, b, true),
                (a, b) -> ArithmeticOp.sub(a, b, true), (a, b) -> ArithmeticOp.mul(a, b, true),
                (a, b) -> ArithmeticOp.div(a, b, true));
        for (long[] shape : SHAPES) {
            for (INDArray b : List.of(channelsLast(shape), Nd4j.rand(DataType.FLOAT, shape[0], shape[1], 1, 1),
                    Nd4j.rand(DataType.FLOAT, shape[1], 1, 1))) {
                for (int k = 0; k < notInPlace.size(); k++) {
                    INDArray a = channelsLast(shape);
                    INDArray expected = notInPlace.get(k).apply(a.dup('c'), b.dup('c'));

                    INDArray y = notInPlace.get(k).apply(a, b);
                    assertThat(y.stride()).isEqualTo(a.stride());
                    assertThat(y.dup('c')).isEqualTo(expected);

                    assertThat(inPlace.get(k).apply(a, b)).isSameInstanceAs(a);
                    assertThat(a.dup('c')).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void batchNormOfChannelsLastGivesTheCOrderNumbers() {
        boolean javaKernels = !"never".equals(System.getProperty(SmallTensors.PROPERTY));
        for (long[] shape : SHAPES) {
            INDArray x = channelsLast(shape);
            long channels = shape[1];
            INDArray mean = Nd4j.rand(DataType.FLOAT, channels);
            INDArray variance = Nd4j.rand(DataType.FLOAT, channels).addi(0.5);
            INDArray weight = Nd4j.rand(DataType.FLOAT, channels);
            INDArray bias = Nd4j.rand(DataType.FLOAT, channels);
            INDArray expected = BatchNorm2dOp.batchNorm2d(x.dup('c'), mean, variance, weight, bias, 1e-5);

            INDArray y = BatchNorm2dOp.batchNorm2d(x, mean, variance, weight, bias, 1e-5);
            assertThat(y.dup('c')).isEqualTo(expected);
            if (javaKernels) {
                assertThat(y.stride()).isEqualTo(x.stride()); // read in memory order, not reordered
            }
        }
    }

    @Test
    void operandsInDifferentLayoutsStillGiveTheCOrderNumbers() {
        INDArray a = channelsLast(1, 8, 40, 40);
        INDArray b = Nd4j.rand(DataType.FLOAT, 1, 8, 40, 40);
        assertThat(AddOp.add(a, b, false).dup('c')).isEqualTo(AddOp.add(a.dup('c'), b, false));
        assertThat(ArithmeticOp.mul(b, a, false).dup('c')).isEqualTo(ArithmeticOp.mul(b, a.dup('c'), false));
    }

    /** Random values in {@code [-4, 4)} (every activation's interesting range), laid out channels last. */
    private static INDArray channelsLast(long... shape) {
        INDArray nhwc = Nd4j.rand(DataType.FLOAT, shape[0], shape[2], shape[3], shape[1]).muli(8).subi(4);
        return nhwc.permute(0, 3, 1, 2);
    }
}
