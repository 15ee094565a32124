package dev.shapeproof.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three networks written by hand on ND4J in the fastest style measured for ND4J 1.0.0-M2.1 (bench/README.md):
 * every activation allocated once per batch size, every op object ({@link Conv2D}, {@link MaxPooling2D},
 * {@link RectifiedLinear}, {@link LogSoftMax}) built once and re-executed, ReLU in place, Linear as one GEMM into a
 * buffer holding the bias, flatten as a view, PyTorch's OIHW conv weights passed as-is ({@code OIYX}). On the oneDNN
 * build the helpers are switched off around each run of consecutive dilated convolutions (they throw there) and
 * nowhere else. This is the floor for ND4J 1.0.0-M2.1 without new kernels.
 *
 * <p>Not thread-safe (the buffers are shared); the returned array is overwritten by the next call.
 */
final class HandNd4j {
    private HandNd4j() {}

    static Forward create(BenchCase c, Map<String, INDArray> stateDict) {
        return switch (c.net) {
            case SEED -> new SeedNet(stateDict, c.batch);
            case DILATED -> new ConvChain(c, List.of(
                    conv(stateDict, "conv1", 1, 1, true),
                    conv(stateDict, "conv2", 2, 2, true),
                    conv(stateDict, "conv3", 4, 4, true),
                    conv(stateDict, "conv4", 8, 8, true)));
            case CONTEXT -> new ConvChain(c, List.of(
                    conv(stateDict, "ctx1", 1, 1, true),
                    conv(stateDict, "ctx2", 1, 1, true),
                    conv(stateDict, "ctx3", 2, 2, true),
                    conv(stateDict, "ctx4", 4, 4, true),
                    conv(stateDict, "ctx5", 8, 8, true),
                    conv(stateDict, "ctx6", 16, 16, true),
                    conv(stateDict, "ctx7", 1, 1, true),
                    conv(stateDict, "output", 0, 1, false)));
            default -> throw new IllegalArgumentException(c.id + " has no hand-written version");
        };
    }

    /** One conv layer: weight [out, in, k, k], symmetric padding, dilation, then an optional ReLU. */
    record ConvSpec(INDArray weight, INDArray bias, int padding, int dilation, boolean relu) {}

    private static ConvSpec conv(Map<String, INDArray> sd, String name, int padding, int dilation, boolean relu) {
        return new ConvSpec(param(sd, name + ".weight"), param(sd, name + ".bias"), padding, dilation, relu);
    }

    private static INDArray param(Map<String, INDArray> sd, String key) {
        INDArray p = sd.get(key);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + key + "' in " + sd.keySet());
        }
        return p.castTo(DataType.FLOAT).dup('c');
    }

    static Conv2DConfig convConfig(long k, long padding, long dilation) {
        return Conv2DConfig.builder()
                .kH(k).kW(k).sH(1).sW(1).pH(padding).pW(padding).dH(dilation).dW(dilation)
                .paddingMode(PaddingMode.VALID) // VALID = "use the explicit pH/pW"
                .dataFormat("NCHW")
                .weightsFormat(WeightsFormat.OIYX)
                .build();
    }

    /** conv → max-pool → relu → conv → max-pool → relu → flatten → fc1 → relu → fc2 → log-softmax. */
    static final class SeedNet implements Forward {
        private final Conv2D conv1;
        private final MaxPooling2D pool1;
        private final RectifiedLinear relu1;
        private final Conv2D conv2;
        private final MaxPooling2D pool2;
        private final RectifiedLinear relu2;
        private final INDArray flat;
        private final INDArray w1;
        private final INDArray h1;
        private final INDArray h1Bias;
        private final RectifiedLinear relu3;
        private final INDArray w2;
        private final INDArray h2;
        private final INDArray h2Bias;
        private final LogSoftMax logSoftmax;
        private final INDArray out;

        SeedNet(Map<String, INDArray> sd, int n) {
            INDArray input = Nd4j.create(DataType.FLOAT, n, 1, 28, 28); // replaced by each call's x
            INDArray c1 = Nd4j.create(DataType.FLOAT, n, 10, 24, 24);
            INDArray p1 = Nd4j.create(DataType.FLOAT, n, 10, 12, 12);
            INDArray c2 = Nd4j.create(DataType.FLOAT, n, 20, 8, 8);
            INDArray p2 = Nd4j.create(DataType.FLOAT, n, 20, 4, 4);
            Pooling2DConfig pool = Pooling2DConfig.builder()
                    .kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).isNHWC(false).build();
            conv1 = new Conv2D(input, param(sd, "conv1.weight"), param(sd, "conv1.bias"), c1, convConfig(5, 0, 1));
            pool1 = new MaxPooling2D(c1, p1, pool);
            relu1 = new RectifiedLinear(p1, p1, 0.0);
            conv2 = new Conv2D(p1, param(sd, "conv2.weight"), param(sd, "conv2.bias"), c2, convConfig(5, 0, 1));
            pool2 = new MaxPooling2D(c2, p2, pool);
            relu2 = new RectifiedLinear(p2, p2, 0.0);
            flat = p2.reshape('c', n, 320); // a view of p2
            if (flat.data().pointer().address() != p2.data().pointer().address()) {
                throw new IllegalStateException("flatten is not a view");
            }
            w1 = param(sd, "fc1.weight");                           // [50, 320]: GEMM with transB, no copy
            h1 = Nd4j.create(DataType.FLOAT, n, 50);
            h1Bias = param(sd, "fc1.bias").reshape(1, 50).repeat(0, n).dup('c');
            relu3 = new RectifiedLinear(h1, h1, 0.0);
            w2 = param(sd, "fc2.weight");
            h2 = Nd4j.create(DataType.FLOAT, n, 10);
            h2Bias = param(sd, "fc2.bias").reshape(1, 10).repeat(0, n).dup('c');
            out = Nd4j.create(DataType.FLOAT, n, 10);
            logSoftmax = new LogSoftMax(h2, out); // rank 2: along dim 1
        }

        @Override
        public INDArray forward(INDArray x) {
            conv1.setInputArgument(0, x);
            Nd4j.exec(conv1);
            Nd4j.exec(pool1);
            Nd4j.exec(relu1);
            Nd4j.exec(conv2);
            Nd4j.exec(pool2);
            Nd4j.exec(relu2);
            h1.assign(h1Bias);
            Nd4j.gemm(flat, w1, h1, false, true, 1.0, 1.0);
            Nd4j.exec(relu3);
            h2.assign(h2Bias);
            Nd4j.gemm(h1, w2, h2, false, true, 1.0, 1.0);
            Nd4j.exec(logSoftmax);
            return out;
        }
    }

    /**
     * A chain of same-size 3×3 (or 1×1) convolutions with equal output channels, each optionally followed by an
     * in-place ReLU, on two ping-pong buffers.
     */
    static final class ConvChain implements Forward {
        private final List<Conv2D> convs = new ArrayList<>();
        private final List<RectifiedLinear> relus = new ArrayList<>();
        private final boolean[] dilated;
        private final INDArray out;

        ConvChain(BenchCase c, List<ConvSpec> layers) {
            long n = c.batch;
            long h = c.net.height;
            long w = c.net.width;
            long channels = layers.get(0).weight().size(0);
            INDArray[] buffers = {Nd4j.create(DataType.FLOAT, n, channels, h, w),
                Nd4j.create(DataType.FLOAT, n, channels, h, w)};
            INDArray in = Nd4j.create(DataType.FLOAT, c.inputShape()); // replaced by each call's x
            dilated = new boolean[layers.size()];
            INDArray last = null;
            for (int i = 0; i < layers.size(); i++) {
                ConvSpec l = layers.get(i);
                if (l.weight().size(0) != channels) {
                    throw new IllegalArgumentException("ConvChain needs equal output channels");
                }
                INDArray o = buffers[i % 2];
                convs.add(new Conv2D(in, l.weight(), l.bias(), o, convConfig(l.weight().size(2), l.padding(),
                        l.dilation())));
                relus.add(l.relu() ? new RectifiedLinear(o, o, 0.0) : null);
                dilated[i] = l.dilation() > 1;
                in = o;
                last = o;
            }
            out = last;
        }

        @Override
        public INDArray forward(INDArray x) {
            convs.get(0).setInputArgument(0, x);
            Environment env = Nd4j.getEnvironment();
            boolean helpers = env.helpersAllowed();
            boolean off = false;
            try {
                for (int i = 0; i < convs.size(); i++) {
                    // oneDNN's helper throws on dilated convolutions: off for each run of them, on again after.
                    if (helpers && dilated[i] != off) {
                        off = dilated[i];
                        env.allowHelpers(!off);
                    }
                    Nd4j.exec(convs.get(i));
                    RectifiedLinear relu = relus.get(i);
                    if (relu != null) {
                        Nd4j.exec(relu);
                    }
                }
            } finally {
                if (off) {
                    env.allowHelpers(true);
                }
            }
            return out;
        }
    }
}
