package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;

import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ForwardWorkspace;
import dev.shapeproof.nn.Reference.Tensor;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolutions that hand their results on ({@link Conv2dLayer#forwardKept}, {@link ConvActivation}) against the same
 * layers called in turn ({@link Conv2dLayer#forwardFused}, which {@link DnnlConvTest} checks against the reference):
 * on oneDNN a chain may run in a blocked layout, its first convolution choosing by timing between two ways to start
 * it, and every call, before and after the choice, must give the same numbers. Off oneDNN the activations are plain
 * arrays throughout.
 */
class ConvChainTest {
    private static final float NONE = Float.NaN;

    /**
     * A chain of three: the configuration's convolution, a 'same' dilated 3×3 with a BatchNorm folded in, a residual
     * and leaky ReLU, then a 1×1 small enough for the Java kernel (which reads a blocked activation as an array).
     * Each call's result leaves two ways, through the workspace's result and as a plain array, as generated code
     * does; twelve calls, so the chain's first convolution has tried both starts and kept one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.shapeproof.nn.ops.DnnlConvTest#configs")
    void keptChainsMatchTheLayersCalledInTurn(String name, int n, int c, int h, int w, int out, Window hw, Window ww,
                                              int groups) {
        Random random = new Random(name.hashCode());
        Conv2dLayer first = new Conv2dLayer("first", c, out, hw, ww, groups, true);
        first.initialize(new SplittableRandom(1));
        Window same = Window.same(3, 2);
        Conv2dLayer second = new Conv2dLayer("second", out, out, same, same, 1, false);
        second.initialize(new SplittableRandom(2));
        BatchNorm2dLayer norm = new BatchNorm2dLayer("norm", out, 1e-5, 0.1, true);
        norm.setState(normState(random, out));
        Window one = Window.of(1, 1, 0, 1);
        Conv2dLayer last = new Conv2dLayer("last", out, 4, one, one, 1, true);
        last.initialize(new SplittableRandom(3));
        INDArray x = randn(random, 1, n, c, h, w);
        INDArray between = first.forwardFused(x, null, null, 0f);
        INDArray residual = randn(random, 1, between.shape());
        INDArray second2 = second.forwardFused(between, norm, residual, 0.1f);
        Tensor expectedMiddle = Tensor.of(second2);
        Tensor expected = Tensor.of(last.forwardFused(second2, null, null, NONE));
        List<Boolean> blocked = new ArrayList<>();
        for (int call = 0; call < 12; call++) {
            String context = name + ", call " + call;
            INDArray result;
            INDArray middle;
            INDArray plain;
            try (ForwardWorkspace workspace = ForwardWorkspace.open("ConvChainTest")) {
                ConvActivation a = first.forwardKept(x, null, null, 0f);
                blocked.add(a.isBlocked());
                a = second.forwardKept(a, norm, residual, 0.1f);
                middle = workspace.result(a.toArray());
                plain = workspace.result(last.forwardFused(a, null, null, NONE));
                result = workspace.result(last.forwardKept(a, null, null, NONE));
            }
            assertClose("kept conv chain", context + ", middle", middle, expectedMiddle);
            assertClose("kept conv chain", context + ", result", result, expected);
            assertClose("kept conv chain", context + ", plain exit", plain, expected);
            assertThat(result.ordering()).isEqualTo('c');
        }
        if (!Dnnl.on()) {
            assertWithMessage("blocked activations without oneDNN").that(blocked).doesNotContain(true);
        }
        // Once the first convolution has chosen, it keeps its choice.
        assertWithMessage("layouts after the choice").that(new java.util.HashSet<>(blocked.subList(
                DnnlConv.CHAIN_START_CALLS, blocked.size()))).hasSize(1);
    }

    /**
     * The bench's dilated stack in small: a plain 3-channel input, then 'same' dilated 3×3s. On a CPU with AVX-512
     * oneDNN's jit kernel reads the NCHW input as it lies and writes 16-channel blocks, the next convolutions read
     * them as they are; whichever start won, the chain gives the layers' numbers.
     */
    @Test
    void dilatedStackInSmallMatchesTheLayers() {
        Random random = new Random(5);
        List<Conv2dLayer> convs = new ArrayList<>();
        int in = 3;
        for (int d : new int[] {1, 2, 4, 8}) {
            Window window = Window.same(3, d);
            Conv2dLayer conv = new Conv2dLayer("conv" + d, in, 32, window, window, 1, true);
            conv.initialize(new SplittableRandom(d));
            convs.add(conv);
            in = 32;
        }
        INDArray x = randn(random, 1, 2, 3, 40, 40);
        INDArray y = x;
        for (Conv2dLayer conv : convs) {
            y = conv.forwardFused(y, null, null, 0f);
        }
        Tensor expected = Tensor.of(y);
        for (int call = 0; call < 10; call++) {
            INDArray result;
            try (ForwardWorkspace workspace = ForwardWorkspace.open("ConvChainTest.dilated")) {
                ConvActivation a = convs.get(0).forwardKept(x, null, null, 0f);
                for (Conv2dLayer conv : convs.subList(1, convs.size() - 1)) {
                    a = conv.forwardKept(a, null, null, 0f);
                }
                result = workspace.result(convs.get(convs.size() - 1).forwardKept(a, null, null, 0f));
            }
            assertClose("kept dilated stack", "call " + call, result, expected);
        }
    }

    /**
     * 24 channels padded to two blocks of 16 lie in memory exactly as 32 channels do: the two layouts must still get
     * plans and reorders of their own (a shared reorder once wrote 32 channels into a 24-channel result and corrupted
     * the heap). Chains of one shape but for their channels, alternately, past their first convolutions' choice.
     */
    @Test
    void layoutsThatPadToTheSameBlocksStayApart() {
        Random random = new Random(11);
        Window same = Window.same(3, 1);
        INDArray x = randn(random, 1, 2, 3, 36, 36);
        List<Conv2dLayer> convs = new ArrayList<>();
        List<Tensor> expected = new ArrayList<>();
        for (int out : new int[] {8, 16, 24, 32}) {
            Conv2dLayer conv = new Conv2dLayer("conv" + out, 3, out, same, same, 1, true);
            conv.initialize(new SplittableRandom(out));
            convs.add(conv);
            expected.add(Tensor.of(conv.forwardFused(x, null, null, 0f)));
        }
        for (int call = 0; call < 12; call++) {
            for (int k = 0; k < convs.size(); k++) {
                INDArray y;
                try (ForwardWorkspace workspace = ForwardWorkspace.open("ConvChainTest.padded")) {
                    y = workspace.result(convs.get(k).forwardKept(x, null, null, 0f));
                }
                assertClose("kept conv", convs.get(k).name() + ", call " + call, y, expected.get(k));
            }
        }
    }

    /**
     * An {@code nn.Sequential} of convolutions hands each result on to the next convolution (torchvision's
     * {@code DeepLabHead}: conv, norm, ReLU, conv): the same numbers as its children called in turn, call after call,
     * and the caller's input untouched.
     */
    @Test
    void aSequentialHandsConvolutionResultsOn() {
        Random random = new Random(13);
        Window same = Window.same(3, 2);
        Window one = Window.of(1, 1, 0, 1);
        Conv2dLayer conv0 = new Conv2dLayer("s.0", 3, 32, same, same, 1, false);
        conv0.initialize(new SplittableRandom(4));
        BatchNorm2dLayer norm = new BatchNorm2dLayer("s.1", 32, 1e-5, 0.1, true);
        norm.setState(normState(random, 32));
        dev.shapeproof.nn.ReLULayer relu = new dev.shapeproof.nn.ReLULayer("s.2");
        Conv2dLayer conv3 = new Conv2dLayer("s.3", 32, 32, same, same, 1, true);
        conv3.initialize(new SplittableRandom(5));
        Conv2dLayer conv4 = new Conv2dLayer("s.4", 32, 8, one, one, 1, true);
        conv4.initialize(new SplittableRandom(6));
        dev.shapeproof.nn.Sequential sequential = new dev.shapeproof.nn.Sequential("s", conv0, norm, relu, conv3,
                conv4);
        INDArray x = randn(random, 1, 2, 3, 36, 36);
        INDArray before = x.dup();
        Tensor expected = Tensor.of(conv4.forward(conv3.forward(relu.forward(norm.forward(conv0.forward(x))))));
        for (int call = 0; call < 10; call++) {
            INDArray y;
            try (ForwardWorkspace workspace = ForwardWorkspace.open("ConvChainTest.sequential")) {
                y = workspace.result(sequential.forward(x));
            }
            assertClose("sequential conv chain", "call " + call, y, expected);
        }
        assertThat(x.equalsWithEps(before, 0)).isTrue();
    }

    @Test
    void aPlainActivationIsItsArray() {
        INDArray x = Nd4j.rand(2, 3, 4, 5);
        ConvActivation a = ConvActivation.of(x);
        assertThat(a.isBlocked()).isFalse();
        assertThat(a.toArray()).isSameInstanceAs(x);
        assertThat(a.shape()).isEqualTo(new long[] {2, 3, 4, 5});
    }

    private static Map<String, INDArray> normState(Random random, int features) {
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("weight", randn(random, 0.3, features).addi(1));
        state.put("bias", randn(random, 0.2, features));
        state.put("running_mean", randn(random, 0.2, features));
        state.put("running_var", randn(random, 0.2, features).muli(0.5).addi(1));
        state.put("num_batches_tracked", Nd4j.scalar(37L));
        return state;
    }
}
