package dev.shapeproof.bench;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The three networks as a DL4J user builds them: a {@link MultiLayerNetwork} (all three are sequential), float32,
 * NCHW, inference with {@code output(x, false)} (DL4J's default inference workspaces on). Weights are copied from the
 * ShapeProof model's {@code stateDict()}: conv weights are OIHW in both; a DL4J dense weight is {@code [in, out]},
 * the transpose of PyTorch's; a
 * dense bias is {@code [1, out]}, a conv bias {@code [out]} as in PyTorch.
 *
 * <p>The seed net's ReLU after each max-pool is folded into the conv before it ({@code relu(maxpool(x)) ==
 * maxpool(relu(x))}: ReLU is monotone), as a DL4J user writes it. DL4J has no log-softmax activation: the output layer
 * is the usual softmax and its log is taken after {@code output()} (one extra op, part of the timing).
 */
final class Dl4jNets {
    private Dl4jNets() {}

    static Forward create(BenchCase c, Map<String, INDArray> sd) {
        MultiLayerNetwork net = switch (c.net) {
            case SEED -> seedNet(sd);
            case DILATED -> convChain(c, sd, new String[] {"conv1", "conv2", "conv3", "conv4"},
                    new int[] {1, 2, 4, 8}, 32, false);
            case CONTEXT -> convChain(c, sd, new String[] {"ctx1", "ctx2", "ctx3", "ctx4", "ctx5", "ctx6", "ctx7",
                "output"}, new int[] {1, 1, 2, 4, 8, 16, 1, 1}, 21, true);
            default -> throw new IllegalArgumentException(c.id + " has no DL4J version");
        };
        if (c.net == BenchCase.Net.SEED) {
            return Forward.closingResults(x -> Transforms.log(net.output(x, false), false));
        }
        return Forward.closingResults(x -> net.output(x, false));
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Truncate);
    }

    private static MultiLayerNetwork seedNet(Map<String, INDArray> sd) {
        MultiLayerConfiguration conf = base().list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(10).stride(1, 1)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(50).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1)) // NCHW; flattens [C, H, W] as torch's view
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        copyConv(net.getLayer(0), sd, "conv1");
        copyConv(net.getLayer(2), sd, "conv2");
        copyDense(net.getLayer(4), sd, "fc1");
        copyDense(net.getLayer(5), sd, "fc2");
        return net;
    }

    /** 3×3 convs padded by their dilation (1×1 unpadded for a last linear layer), ReLU after all but that one. */
    private static MultiLayerNetwork convChain(BenchCase c, Map<String, INDArray> sd, String[] names,
                                               int[] dilations, int channels, boolean lastIsLinear1x1) {
        NeuralNetConfiguration.ListBuilder list = base().list();
        for (int i = 0; i < names.length; i++) {
            boolean linear = lastIsLinear1x1 && i == names.length - 1;
            int k = linear ? 1 : 3;
            int d = dilations[i];
            int p = linear ? 0 : d; // 'same' for k = 3: d on each side
            list.layer(new ConvolutionLayer.Builder(k, k).nOut(channels).stride(1, 1).padding(p, p)
                    .dilation(d, d).activation(linear ? Activation.IDENTITY : Activation.RELU).build());
        }
        MultiLayerConfiguration conf = list
                .setInputType(InputType.convolutional(c.net.height, c.net.width, c.net.channels))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int i = 0; i < names.length; i++) {
            copyConv(net.getLayer(i), sd, names[i]);
        }
        return net;
    }

    private static void copyConv(Layer layer, Map<String, INDArray> sd, String name) {
        assign(layer.getParam("W"), sd.get(name + ".weight"), name + ".weight");
        assignBias(layer, sd, name);
    }

    private static void copyDense(Layer layer, Map<String, INDArray> sd, String name) {
        assign(layer.getParam("W"), sd.get(name + ".weight").transpose(), name + ".weight");
        assignBias(layer, sd, name);
    }

    /** DL4J's bias is {@code [out]} for a conv and {@code [1, out]} for a dense layer; torch's is {@code [out]}. */
    private static void assignBias(Layer layer, Map<String, INDArray> sd, String name) {
        INDArray target = layer.getParam("b");
        assign(target, sd.get(name + ".bias").reshape(target.shape()), name + ".bias");
    }

    private static void assign(INDArray target, INDArray source, String key) {
        if (!Arrays.equals(target.shape(), source.shape())) {
            throw new IllegalStateException("DL4J parameter for " + key + " is " + Arrays.toString(target.shape())
                    + ", the state_dict's (after layout change) " + Arrays.toString(source.shape()));
        }
        target.assign(source.castTo(DataType.FLOAT));
    }
}
