package dev.shapeproof.bench;

import dev.shapeproof.examples.ContextModuleModel;
import dev.shapeproof.examples.DilatedStackModel;
import dev.shapeproof.examples.AsppHeadModel;
import dev.shapeproof.examples.NetModel;
import dev.shapeproof.examples.SeedNetModel;
import dev.shapeproof.examples.SmallResNetModel;
import dev.shapeproof.bench.models.DilatedGeluModel;
import dev.shapeproof.examples.torchvision.DeepLabV3ResNet50At256Model;
import dev.shapeproof.examples.torchvision.MobileNetV2At224Model;
import dev.shapeproof.examples.torchvision.ResNet18At224Model;
import dev.shapeproof.examples.torchvision.ResNet50At224Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The three implementations of every network: {@code shapeproof} (the generated model), {@code nd4j} (hand-written
 * on ND4J, {@link HandNd4j}) and {@code dl4j} ({@link Dl4jNets}). All three get the same weights: the generated
 * model loads the case's {@code weights.npz}; the other two copy that model's {@code stateDict()}.
 */
final class Impls {
    static final List<String> NAMES = List.of("shapeproof", "nd4j", "dl4j");

    /** The implementations {@code c} has: all three for issue 6's networks, else the generated model only. */
    static List<String> of(BenchCase c) {
        return c.net.baselines ? NAMES : List.of("shapeproof");
    }

    private Impls() {}

    static Forward create(String impl, BenchCase c, Path weights) {
        return switch (impl) {
            case "shapeproof" -> shapeProof(c, weights);
            case "nd4j" -> HandNd4j.create(c, stateDict(c, weights));
            case "dl4j" -> Dl4jNets.create(c, stateDict(c, weights));
            default -> throw new IllegalArgumentException("unknown implementation '" + impl + "'; expected " + NAMES);
        };
    }

    /** The generated model of {@code c}'s network with the weights in {@code weights}. */
    static Forward shapeProof(BenchCase c, Path weights) {
        try {
            Forward forward = switch (c.net) {
                case SEED -> new SeedNetModel(weights)::forward;
                case DILATED -> new DilatedStackModel(weights)::forward;
                case CONTEXT -> new ContextModuleModel(weights)::forward;
                case ASPP -> new AsppHeadModel(weights)::forward;
                case DILATED_GELU -> new DilatedGeluModel(weights)::forward;
                case SEED_SEQUENTIAL -> new NetModel(weights)::forward;
                case SMALL_RESNET -> new SmallResNetModel(weights)::forward;
                case RESNET18 -> new ResNet18At224Model(weights)::forward;
                case RESNET50 -> new ResNet50At224Model(weights)::forward;
                case MOBILENET_V2 -> new MobileNetV2At224Model(weights)::forward;
                case DEEPLAB -> {
                    DeepLabV3ResNet50At256Model model = new DeepLabV3ResNet50At256Model(weights);
                    yield x -> model.forward(x).out();
                }
            };
            return Forward.closingResults(forward);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, INDArray> stateDict(BenchCase c, Path weights) {
        try {
            return switch (c.net) {
                case SEED -> new SeedNetModel(weights).stateDict();
                case DILATED -> new DilatedStackModel(weights).stateDict();
                case CONTEXT -> new ContextModuleModel(weights).stateDict();
                default -> throw new IllegalArgumentException(c.id + " has no hand-written or DL4J version");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A freshly initialised generated model (PyTorch's default init from {@code seed}), saved to {@code file}. */
    static void saveInitialWeights(BenchCase c, long seed, Path file) throws IOException {
        switch (c.net) {
            case SEED -> new SeedNetModel(seed).save(file);
            case DILATED -> new DilatedStackModel(seed).save(file);
            case CONTEXT -> new ContextModuleModel(seed).save(file);
            case ASPP -> new AsppHeadModel(seed).save(file);
            case DILATED_GELU -> new DilatedGeluModel(seed).save(file);
            case SEED_SEQUENTIAL -> new NetModel(seed).save(file);
            case SMALL_RESNET -> new SmallResNetModel(seed).save(file);
            case RESNET18 -> new ResNet18At224Model(seed).save(file);
            case RESNET50 -> new ResNet50At224Model(seed).save(file);
            case MOBILENET_V2 -> new MobileNetV2At224Model(seed).save(file);
            case DEEPLAB -> new DeepLabV3ResNet50At256Model(seed).save(file);
        }
    }
}
