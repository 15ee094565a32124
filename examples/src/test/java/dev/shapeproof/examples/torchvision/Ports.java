package dev.shapeproof.examples.torchvision;

import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.summary.ModelSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The torchvision ports, handled alike by the golden test and by the writer of their weights, and the weights
 * themselves: each model's seeded initialisation, with every BatchNorm's statistics and affine parameters
 * randomised. With torchvision's own initialisation (mean 0, variance 1, weight 1, bias 0) the statistics would be
 * the identity and a wrong one could not fail the golden.
 */
final class Ports {
    /** The seed of every port's weights. */
    static final long SEED = 2026;

    private Ports() {}

    /** One port: how to build it, run it and reach its state. */
    record Port(String name, Function<Long, Object> create, BiFunction<Object, INDArray, INDArray> forward,
            Function<Object, Map<String, INDArray>> stateDict, ModelSummary summary) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Port> all() {
        return List.of(
                new Port("resnet18", ResNet18Model::new, (m, x) -> ((ResNet18Model) m).forward(x),
                        m -> ((ResNet18Model) m).stateDict(), ResNet18Model.SUMMARY),
                new Port("resnet50", ResNet50Model::new, (m, x) -> ((ResNet50Model) m).forward(x),
                        m -> ((ResNet50Model) m).stateDict(), ResNet50Model.SUMMARY),
                new Port("densenet121", DenseNet121Model::new, (m, x) -> ((DenseNet121Model) m).forward(x),
                        m -> ((DenseNet121Model) m).stateDict(), DenseNet121Model.SUMMARY),
                new Port("deeplabv3_resnet50", DeepLabV3ResNet50Model::new,
                        (m, x) -> ((DeepLabV3ResNet50Model) m).forward(x).out(),
                        m -> ((DeepLabV3ResNet50Model) m).stateDict(), DeepLabV3ResNet50Model.SUMMARY),
                new Port("mobilenet_v2", MobileNetV2Model::new, (m, x) -> ((MobileNetV2Model) m).forward(x),
                        m -> ((MobileNetV2Model) m).stateDict(), MobileNetV2Model.SUMMARY),
                new Port("mobilenet_v3_large", MobileNetV3LargeModel::new,
                        (m, x) -> ((MobileNetV3LargeModel) m).forward(x),
                        m -> ((MobileNetV3LargeModel) m).stateDict(), MobileNetV3LargeModel.SUMMARY),
                new Port("efficientnet_b0", EfficientNetB0Model::new, (m, x) -> ((EfficientNetB0Model) m).forward(x),
                        m -> ((EfficientNetB0Model) m).stateDict(), EfficientNetB0Model.SUMMARY),
                new Port("shufflenet_v2_x1_0", ShuffleNetV2X10Model::new,
                        (m, x) -> ((ShuffleNetV2X10Model) m).forward(x),
                        m -> ((ShuffleNetV2X10Model) m).stateDict(), ShuffleNetV2X10Model.SUMMARY),
                new Port("convnext_tiny", ConvNeXtTinyModel::new, (m, x) -> ((ConvNeXtTinyModel) m).forward(x),
                        m -> ((ConvNeXtTinyModel) m).stateDict(), ConvNeXtTinyModel.SUMMARY),
                new Port("vit_b_16", VitB16Model::new, (m, x) -> ((VitB16Model) m).forward(x),
                        m -> ((VitB16Model) m).stateDict(), VitB16Model.SUMMARY),
                new Port("unet", UNetModel::new, (m, x) -> ((UNetModel) m).forward(x),
                        m -> ((UNetModel) m).stateDict(), UNetModel.SUMMARY));
    }

    /**
     * Weights scaled up after the randomisation, where a port's output would stay under the 0.1 that a golden needs
     * to be able to fail: MobileNetV3's classifier, two default-initialised Linears apart, ends near 0.09.
     */
    private static final Map<String, Map<String, Double>> GAINS = Map.of(
            "mobilenet_v3_large", Map.of("classifier.3.weight", 4.0));

    /** The port's model with the golden weights. */
    static Object withGoldenWeights(Port port) {
        Object model = port.create().apply(SEED);
        Map<String, INDArray> stateDict = port.stateDict().apply(model);
        randomiseBatchNorm(stateDict);
        randomiseConstants(stateDict);
        GAINS.getOrDefault(port.name(), Map.of()).forEach((key, gain) -> stateDict.get(key).muli(gain));
        return model;
    }

    /**
     * Gives every other tensor that starts constant a random value, from a stream of its own (so the first ports'
     * weights stay as they were): LayerNorm and GroupNorm weights, ConvNeXt's layer scales ({@code 1e-6}) in
     * [0.5, 1.5], their biases, attention biases and ViT's class token (0) in ±0.2. With their initial values they
     * would hide a mistake: a zero class token, a layer scale that mutes its block.
     */
    static void randomiseConstants(Map<String, INDArray> stateDict) {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (Map.Entry<String, INDArray> entry : stateDict.entrySet()) {
            String key = entry.getKey();
            INDArray tensor = entry.getValue();
            boolean batchNorm = stateDict.containsKey(key.substring(0, key.lastIndexOf('.') + 1) + "running_var");
            if (batchNorm || !tensor.dataType().isFPType() || tensor.length() < 2
                    || tensor.maxNumber().doubleValue() != tensor.minNumber().doubleValue()) {
                continue;
            }
            boolean scale = key.endsWith("weight") || key.endsWith("layer_scale");
            fill(tensor, random, scale ? 0.5 : -0.2, scale ? 1.5 : 0.2);
        }
    }

    /**
     * Gives every BatchNorm (recognised by its {@code running_var}) a mean in ±0.2, a variance in [0.5, 1.5], a
     * weight in [0.5, 1.5] and a bias in ±0.2, from one seeded stream in state_dict order.
     */
    static void randomiseBatchNorm(Map<String, INDArray> stateDict) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> norms = new ArrayList<>();
        for (String key : stateDict.keySet()) {
            if (key.endsWith(".running_var")) {
                norms.add(key.substring(0, key.length() - ".running_var".length()));
            }
        }
        for (String norm : norms) {
            fill(stateDict.get(norm + ".weight"), random, 0.5, 1.5);
            fill(stateDict.get(norm + ".bias"), random, -0.2, 0.2);
            fill(stateDict.get(norm + ".running_mean"), random, -0.2, 0.2);
            fill(stateDict.get(norm + ".running_var"), random, 0.5, 1.5);
        }
    }

    private static void fill(INDArray tensor, SplittableRandom random, double low, double high) {
        for (long i = 0; i < tensor.length(); i++) {
            tensor.putScalar(i, low + (high - low) * random.nextDouble());
        }
    }

    /**
     * Writes each port's golden weights to {@code <dir>/<name>.npz}, for tools/golden/make_torchvision_goldens.py to
     * load into torchvision's model; with names after the directory, only those ports'.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/torchvision-weights");
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        Files.createDirectories(dir);
        for (Port port : all()) {
            if (!names.isEmpty() && !names.contains(port.name())) {
                continue;
            }
            Object model = withGoldenWeights(port);
            Path file = dir.resolve(port.name() + ".npz");
            dev.shapeproof.io.StateDictFiles.write(file, port.stateDict().apply(model));
            System.out.println("wrote " + file);
        }
    }

    /** Loads {@code file} into a fresh model of {@code port}, strictly. */
    static Object load(Port port, Path file) throws IOException {
        Object model = port.create().apply(SEED + 1);
        try {
            // Every generated model has load(Path, LoadOptions); the ports share no interface.
            model.getClass().getMethod("load", Path.class, LoadOptions.class).invoke(model, file,
                    LoadOptions.strict());
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return model;
    }
}
