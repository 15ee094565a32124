package dev.shapeproof.bench;

import dev.shapeproof.examples.ContextModuleModel;
import dev.shapeproof.examples.DilatedStackModel;
import dev.shapeproof.examples.SeedNetModel;
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
        }
    }
}
