package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;

import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.F;
import dev.shapeproof.nn.ReLU6Layer;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Reference;
import dev.shapeproof.nn.Reference.Tensor;
import dev.shapeproof.nn.Sequential;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused convolution ({@link Conv2dOp#conv2d} with a residual and an activation, {@link Conv2dLayer#forwardFused}
 * with a folded BatchNorm, {@link Sequential}'s fusion) against the naive reference, on whichever path runs: oneDNN
 * called directly when the surefire run asks for it ({@code -Dshapeproof.dnnl=required}), else ND4J and the Java
 * kernels. Also what oneDNN's channels-last results do to the ops after them, reloaded weights, and concurrent calls.
 */
class DnnlConvTest {
    private static final float NONE = Float.NaN;

    @Test
    void directPathIsOnWhenRequired() {
        String mode = System.getProperty(Dnnl.PROPERTY, "auto");
        if (mode.equals("required")) {
            assertWithMessage(Dnnl.describe()).that(Dnnl.on()).isTrue();
        } else if (mode.equals("never")) {
            assertWithMessage(Dnnl.describe()).that(Dnnl.on()).isFalse();
        }
    }

    /**
     * A destination in a blocked layout, reordered into the channels-last result: the path oneDNN's own choice takes
     * where its channels-last kernels are reference ones (none on the bench machine, so the layout is forced here).
     * The reorder once read an unbound source and crashed the JVM. Every ungrouped configuration in 16- and 8-channel
     * blocks, two calls each, against the reference; a layout with only a reference kernel for a shape gives
     * {@code null} (the caller's fallback), but at least one must have run.
     */
    @Test
    void blockedDestinationMatchesTheReference() {
        if (!Dnnl.on()) {
            return; // the blocked layouts are the direct path's
        }
        int ran = 0;
        for (Arguments arguments : configs().toList()) {
            Object[] a = arguments.get();
            String name = (String) a[0];
            int n = (int) a[1];
            int c = (int) a[2];
            int h = (int) a[3];
            int w = (int) a[4];
            int out = (int) a[5];
            Window hw = (Window) a[6];
            Window ww = (Window) a[7];
            if ((int) a[8] != 1) {
                continue;
            }
            Random random = new Random(name.hashCode());
            INDArray x = randn(random, 1, n, c, h, w);
            INDArray weight = randn(random, 0.3, out, c, hw.kernel(), ww.kernel());
            INDArray bias = randn(random, 0.1, out);
            Tensor expected = Reference.conv2d(Tensor.of(x), Tensor.of(weight), Tensor.of(bias), hw, ww, 1);
            for (int tag : new int[] {org.bytedeco.dnnl.global.dnnl.dnnl_aBcd16b,
                    org.bytedeco.dnnl.global.dnnl.dnnl_aBcd8b}) {
                for (int call = 0; call < 2; call++) {
                    INDArray y = DnnlConv.conv2dInLayout(x, weight, bias, hw, ww, hw.outputSize(h), ww.outputSize(w),
                            tag);
                    if (y != null) {
                        assertClose("blocked conv2d", name + ", tag " + tag + ", call " + call, y, expected);
                        ran++;
                    }
                }
            }
        }
        assertWithMessage("configurations run on a blocked destination").that(ran).isAtLeast(2);
    }

    /** name, N, C, H, W, out, height window, width window, groups. */
    static Stream<Arguments> configs() {
        return Stream.of(
                conv("3x3 p1", 2, 8, 20, 18, 16, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 1),
                conv("3x3 d6 p6 (ASPP)", 2, 16, 33, 33, 8, Window.of(3, 1, 6, 6), Window.of(3, 1, 6, 6), 1),
                conv("3x3 d18 p18 on 33x33", 3, 16, 33, 33, 8, Window.of(3, 1, 18, 18), Window.of(3, 1, 18, 18), 1),
                conv("same 3x3 d4", 2, 8, 24, 20, 8, Window.same(3, 4), Window.same(3, 4), 1),
                conv("same 4x4 (asymmetric)", 2, 8, 19, 17, 8, Window.same(4, 1), Window.same(4, 1), 1),
                conv("7x7 s2 p3", 2, 3, 40, 40, 16, Window.of(7, 2, 3, 1), Window.of(7, 2, 3, 1), 1),
                conv("1x1 s2", 2, 16, 14, 14, 32, Window.of(1, 2, 0, 1), Window.of(1, 2, 0, 1), 1),
                conv("3x3 groups 4", 2, 16, 16, 16, 8, Window.of(3, 1, 1, 1), Window.of(3, 1, 1, 1), 4),
                conv("3x3 depthwise d2", 2, 16, 18, 18, 16, Window.of(3, 1, 2, 2), Window.of(3, 1, 2, 2), 16));
    }

    private static Arguments conv(String name, int n, int c, int h, int w, int out, Window hw, Window ww, int g) {
        return Arguments.of(name, n, c, h, w, out, hw, ww, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void fusedEpiloguesMatchTheReference(String name, int n, int c, int h, int w, int out, Window hw, Window ww,
                                          int groups) {
        Random random = new Random(name.hashCode());
        INDArray x = randn(random, 1, n, c, h, w);
        INDArray weight = randn(random, 0.3, out, c / groups, hw.kernel(), ww.kernel());
        INDArray bias = randn(random, 0.5, out);
        Tensor expected = Reference.conv2d(Tensor.of(x), Tensor.of(weight), Tensor.of(bias), hw, ww, groups);
        INDArray residual = randn(random, 1, expected.shape()[0], expected.shape()[1], expected.shape()[2],
                expected.shape()[3]);
        for (INDArray input : new INDArray[] {x, permuted(x)}) {
            String layout = input == x ? "c order" : "channels-last view";
            assertClose("fused conv2d", name + ", " + layout, Conv2dOp.conv2d(input, weight, null, bias, hw, ww,
                    groups, NONE, null, false), expected);
            assertClose("fused conv2d", name + ", relu, " + layout, Conv2dOp.conv2d(input, weight, null, bias, hw,
                    ww, groups, 0f, null, false), epilogue(expected, null, 0));
            assertClose("fused conv2d", name + ", leaky 0.1, " + layout, Conv2dOp.conv2d(input, weight, null, bias,
                    hw, ww, groups, 0.1f, null, true), epilogue(expected, null, 0.1));
            assertClose("fused conv2d", name + ", relu6, " + layout, Conv2dOp.conv2d(input, weight, null, bias,
                    hw, ww, groups, 0f, 6f, null, true), clip(epilogue(expected, null, 0), 6));
            // a bound most outputs exceed, so that a missing clip shows
            assertClose("fused conv2d", name + ", residual + relu bounded by 0.5, " + layout, Conv2dOp.conv2d(input,
                    weight, null, bias, hw, ww, groups, 0f, 0.5f, residual, true),
                    clip(epilogue(expected, Tensor.of(residual), 0), 0.5));
            for (INDArray r : new INDArray[] {residual, permuted(residual)}) {
                INDArray before = r.dup();
                assertClose("fused conv2d", name + ", residual + relu, " + layout, Conv2dOp.conv2d(input, weight,
                        null, bias, hw, ww, groups, 0f, r, true), epilogue(expected, Tensor.of(residual), 0));
                assertThat(r.equalsWithEps(before, 0)).isTrue();
            }
        }
    }

    /** Results in oneDNN's channels-last layout feed every other op correctly, and leave forward as they should. */
    @Test
    void channelsLastResultsFeedTheOtherOps() {
        Random random = new Random(7);
        INDArray x = randn(random, 1, 2, 8, 24, 24);
        Window w3 = Window.of(3, 1, 1, 1);
        INDArray w1 = randn(random, 0.3, 16, 8, 3, 3);
        INDArray w2 = randn(random, 0.2, 16, 16, 3, 3);
        INDArray y1 = F.conv2d(x, w1, null, w3, w3, 1);
        INDArray y2 = F.conv2d(y1, w2, null, w3, w3, 1);
        Tensor r1 = Reference.conv2d(Tensor.of(x), Tensor.of(w1), null, w3, w3, 1);
        Tensor r2 = Reference.conv2d(r1, Tensor.of(w2), null, w3, w3, 1);
        assertClose("conv2d chain", "second conv", y2, r2);
        assertClose("conv2d chain", "relu", F.relu(y2, false), epilogue(r2, null, 0));
        assertClose("conv2d chain", "add", F.add(y2, y1, false), epilogue(r2, r1, Double.NaN));
        Window pool = Window.of(2, 2, 0, 1);
        assertClose("conv2d chain", "max_pool2d", F.maxPool2d(y2, pool, pool), Reference.maxPool2d(r2, pool, pool));
        INDArray flat = F.flatten(y2, 1, -1);
        assertClose("conv2d chain", "flatten", flat, new Tensor(r2.data(), new int[] {2, 16 * 24 * 24}));
        INDArray cat = F.cat(1, y1, y2);
        assertThat(cat.shape()).isEqualTo(new long[] {2, 32, 24, 24});
        assertClose("conv2d chain", "cat", cat.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(16, 32)).dup('c'), r2);
    }

    @Test
    void batchNormIsFoldedAndRefoldedOnLoad() {
        Random random = new Random(11);
        Window w3 = Window.of(3, 1, 1, 1);
        Conv2dLayer conv = new Conv2dLayer("conv", 8, 16, w3, w3, 1, true);
        conv.initialize(new java.util.SplittableRandom(3));
        BatchNorm2dLayer norm = new BatchNorm2dLayer("bn", 16, 1e-5, 0.1, true);
        norm.setState(normState(random, 16));
        INDArray x = randn(random, 1, 2, 8, 20, 20);
        for (int load = 0; load < 2; load++) {
            Tensor expected = Tensor.of(F.relu(norm.forward(conv.forward(x)), false));
            assertClose("folded batch norm", "load " + load, conv.forwardFused(x, norm, null, 0f), expected);
            assertClose("folded batch norm", "load " + load + ", no activation",
                    conv.forwardFused(x, norm, null, NONE), Tensor.of(norm.forward(conv.forward(x))));
            norm.setState(normState(random, 16)); // a load: the next call folds again
            conv.initialize(new java.util.SplittableRandom(4 + load));
        }
    }

    /**
     * The folded weight's plain array is let go once oneDNN has its own copy ({@link DerivedWeights}): later calls,
     * and loads into either layer after it, still give conv then bn.
     */
    @Test
    void foldedWeightsAreRecomputedAfterThePlainCopyWasReleased() {
        Random random = new Random(23);
        Window w3 = Window.of(3, 1, 1, 1);
        Conv2dLayer conv = new Conv2dLayer("conv", 16, 32, w3, w3, 1, true);
        conv.initialize(new java.util.SplittableRandom(8));
        BatchNorm2dLayer norm = new BatchNorm2dLayer("bn", 32, 1e-5, 0.1, true);
        norm.setState(normState(random, 32));
        INDArray x = randn(random, 1, 2, 16, 24, 24); // 4 M multiply-adds: past the Java kernel, on oneDNN if on
        for (int load = 0; load < 3; load++) {
            Tensor expected = Tensor.of(norm.forward(conv.forward(x)));
            for (int call = 0; call < 2; call++) {
                assertClose("folded batch norm", "load " + load + ", call " + call,
                        conv.forwardFused(x, norm, null, NONE), expected);
            }
            if (load == 0) {
                norm.setState(normState(random, 32)); // new statistics only
            } else {
                conv.initialize(new java.util.SplittableRandom(9 + load)); // new conv weights only
            }
        }
    }

    /** Many threads fold and reorder at once: each builds its own plan from the same folded weights. */
    @Test
    void concurrentFusedCallsGiveTheSameResults() throws Exception {
        Random random = new Random(29);
        Window w3 = Window.of(3, 1, 1, 1);
        Conv2dLayer conv = new Conv2dLayer("conv", 16, 32, w3, w3, 1, false);
        conv.initialize(new java.util.SplittableRandom(10));
        BatchNorm2dLayer norm = new BatchNorm2dLayer("bn", 32, 1e-5, 0.1, true);
        norm.setState(normState(random, 32));
        INDArray x = randn(random, 1, 2, 16, 24, 24);
        Tensor expected = Tensor.of(F.relu(norm.forward(conv.forward(x)), false));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int call = 0; call < 10; call++) {
                        assertClose("concurrent fused conv2d", "call " + call, conv.forwardFused(x, norm, null, 0f),
                                expected);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sequentialFusesConvNormRelu() {
        Random random = new Random(13);
        Window w3 = Window.of(3, 1, 2, 2);
        Conv2dLayer conv = new Conv2dLayer("s.0", 8, 16, w3, w3, 1, false);
        conv.initialize(new java.util.SplittableRandom(5));
        BatchNorm2dLayer norm = new BatchNorm2dLayer("s.1", 16, 1e-3, 0.1, true);
        norm.setState(normState(random, 16));
        ReLULayer relu = new ReLULayer("s.2");
        Sequential sequential = new Sequential("s", conv, norm, relu);
        INDArray x = randn(random, 1, 2, 8, 30, 30);
        INDArray stepwise = relu.forward(norm.forward(conv.forward(x)));
        INDArray before = x.dup();
        assertClose("sequential fusion", "conv, bn, relu", sequential.forward(x), Tensor.of(stepwise));
        assertThat(x.equalsWithEps(before, 0)).isTrue();
    }

    /** MobileNet's conv → BatchNorm2d → ReLU6 (torchvision's Conv2dNormActivation), depthwise and pointwise. */
    @Test
    void sequentialFusesConvNormRelu6() {
        Random random = new Random(19);
        for (int groups : new int[] {1, 16}) {
            Window w3 = Window.of(3, 1, 1, 1);
            Conv2dLayer conv = new Conv2dLayer("s.0", 16, 16, w3, w3, groups, false);
            conv.initialize(new java.util.SplittableRandom(6));
            BatchNorm2dLayer norm = new BatchNorm2dLayer("s.1", 16, 1e-5, 0.1, true);
            Map<String, INDArray> state = normState(random, 16);
            state.get("weight").muli(20); // outputs well past 6, so the bound matters
            norm.setState(state);
            ReLU6Layer relu6 = new ReLU6Layer("s.2");
            Sequential sequential = new Sequential("s", conv, norm, relu6);
            INDArray x = randn(random, 1, 2, 16, 28, 28);
            INDArray stepwise = relu6.forward(norm.forward(conv.forward(x)));
            assertThat(stepwise.maxNumber().doubleValue()).isEqualTo(6.0);
            assertClose("sequential fusion", "conv, bn, relu6, groups " + groups, sequential.forward(x),
                    Tensor.of(stepwise));
        }
    }

    @Test
    void concurrentCallsGiveTheSameResults() throws Exception {
        Random random = new Random(17);
        Window w3 = Window.of(3, 1, 2, 2);
        Conv2dLayer conv = new Conv2dLayer("conv", 16, 16, w3, w3, 1, true);
        conv.initialize(new java.util.SplittableRandom(6));
        List<INDArray> inputs = new ArrayList<>();
        List<Tensor> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            INDArray x = randn(random, 1, 1 + i % 2, 16, 28, 28);
            inputs.add(x);
            expected.add(Tensor.of(conv.forwardFused(x, null, null, 0f)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int call = 0; call < 25; call++) {
                        int k = (first + call) % 4;
                        assertClose("concurrent conv2d", "call " + call, conv.forwardFused(inputs.get(k), null, null,
                                0f), expected.get(k));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, INDArray> normState(Random random, int features) {
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("weight", dev.shapeproof.nn.Kernels.randn(random, 0.3, features).addi(1));
        state.put("bias", dev.shapeproof.nn.Kernels.randn(random, 0.2, features));
        state.put("running_mean", dev.shapeproof.nn.Kernels.randn(random, 0.2, features));
        state.put("running_var", dev.shapeproof.nn.Kernels.randn(random, 0.2, features).muli(0.5).addi(1));
        state.put("num_batches_tracked", Nd4j.scalar(37L));
        return state;
    }

    /** {@code act(y + residual)}: relu slope 0, leaky slope, or {@code NaN} for none; residual may be null. */
    private static Tensor epilogue(Tensor y, Tensor residual, double slope) {
        double[] data = y.data().clone();
        for (int i = 0; i < data.length; i++) {
            double v = data[i] + (residual == null ? 0 : residual.data()[i]);
            data[i] = Double.isNaN(slope) || v > 0 ? v : v * slope;
        }
        return new Tensor(data, y.shape());
    }

    /** {@code min(y, max)}. */
    private static Tensor clip(Tensor y, double max) {
        double[] data = y.data().clone();
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.min(data[i], max);
        }
        return new Tensor(data, y.shape());
    }

    /** The same values as an NCHW-shaped view of a channels-last array. */
    private static INDArray permuted(INDArray x) {
        return x.permute(0, 2, 3, 1).dup('c').permute(0, 3, 1, 2);
    }
}
