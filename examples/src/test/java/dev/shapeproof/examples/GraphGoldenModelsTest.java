package dev.shapeproof.examples;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.examples.golden.ContextModuleSmallModel;
import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The forward-DSL examples against PyTorch: each model is the example itself, loaded with the {@code state_dict}
 * that tools/golden/make_golden.py saved from an {@code nn.Module} whose forward is the example's {@code forward}
 * text, and must reproduce PyTorch's outputs within {@code 1e-5 × max(1, max |expected|)} without touching its
 * inputs. The DSL SeedNet reuses the sequential seed net's files (same keys); ContextModule, sequential, is checked
 * through its 20×20 copy {@code golden.ContextModuleSmall}.
 */
class GraphGoldenModelsTest {
    /** The maximum error per model (and output), written to target/ so the numbers can be reported per ND4J build. */
    private static final Map<String, String> ERRORS = new ConcurrentSkipListMap<>();

    /** Loads a one-input model from its weights file and returns its forward function. */
    @FunctionalInterface
    interface Loader {
        UnaryOperator<INDArray> load(Path weights) throws IOException;
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("SeedNet", "SeedNet", (Loader) weights -> new SeedNetModel(weights)::forward),
                Arguments.of("AsppHead", "AsppHead", (Loader) weights -> new AsppHeadModel(weights)::forward),
                Arguments.of("SmallResNet", "SmallResNet",
                        (Loader) weights -> new SmallResNetModel(weights)::forward),
                Arguments.of("ContextModule", "ContextModuleSmall",
                        (Loader) weights -> new ContextModuleSmallModel(weights)::forward));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesPyTorch(String name, String goldenName, Loader loader) throws IOException {
        UnaryOperator<INDArray> forward = loader.load(golden(goldenName, "weights.npz"));
        Map<String, INDArray> io = StateDictFiles.read(golden(goldenName, "io.npz")).tensors();
        INDArray input = io.get("input");
        INDArray inputBefore = input.dup();

        INDArray actual = forward.apply(input);

        assertMatches(name + " (golden/" + goldenName + ")", actual, io.get("output"));
        assertIdentical(name + " must not modify its input", input, inputBefore);
    }

    @Test
    void imageAndMaskMatchesPyTorch() throws IOException {
        ImageAndMaskModel model = new ImageAndMaskModel(golden("ImageAndMask", "weights.npz"));
        Map<String, INDArray> io = StateDictFiles.read(golden("ImageAndMask", "io.npz")).tensors();
        INDArray image = io.get("image");
        INDArray mask = io.get("mask");
        INDArray imageBefore = image.dup();
        INDArray maskBefore = mask.dup();

        ImageAndMaskModel.Output output = model.forward(image, mask);

        assertMatches("ImageAndMask.segmentation", output.segmentation(), io.get("segmentation"));
        assertMatches("ImageAndMask.scores", output.scores(), io.get("scores"));
        assertIdentical("ImageAndMask must not modify image", image, imageBefore);
        assertIdentical("ImageAndMask must not modify mask", mask, maskBefore);
    }

    /** The forward-DSL seed net and its sequential twin are one network: the same weights give the same outputs. */
    @Test
    void seedNetEqualsTheSequentialNet() throws IOException {
        Path weights = golden("SeedNet", "weights.npz");
        SeedNetModel dsl = new SeedNetModel(weights);
        NetModel sequential = new NetModel(weights);
        INDArray goldenInput = StateDictFiles.read(golden("SeedNet", "io.npz")).tensors().get("input");
        Nd4j.getRandom().setSeed(11);
        INDArray randomInput = Nd4j.randn(DataType.FLOAT, 8, 1, 28, 28);

        assertIdentical("SeedNetModel vs NetModel, golden input", dsl.forward(goldenInput),
                sequential.forward(goldenInput));
        assertIdentical("SeedNetModel vs NetModel, random input", dsl.forward(randomInput),
                sequential.forward(randomInput));
    }

    @Test
    void seedNetDropsOutInTrainingOnly() throws IOException {
        SeedNetModel model = new SeedNetModel(golden("SeedNet", "weights.npz"));
        Nd4j.getRandom().setSeed(12);
        INDArray input = Nd4j.randn(DataType.FLOAT, 16, 1, 28, 28);
        INDArray inputBefore = input.dup();

        assertThat(model.isTraining()).isFalse();
        INDArray eval = model.forward(input);
        assertIdentical("a second eval forward", model.forward(input), eval);

        model.train();
        assertThat(model.isTraining()).isTrue();
        INDArray train = model.forward(input);
        assertThat(train.shape()).isEqualTo(eval.shape());
        assertWithMessage("train vs eval: max |diff|").that(maxAbsDiff(train, eval)).isGreaterThan(1e-3);
        assertWithMessage("two training forwards (new dropout masks): max |diff|")
                .that(maxAbsDiff(model.forward(input), train)).isGreaterThan(1e-3);

        model.eval();
        assertThat(model.isTraining()).isFalse();
        assertIdentical("eval forward after train()", model.forward(input), eval);
        assertIdentical("SeedNet must not modify its input", input, inputBefore);
    }

    /** Bit for bit: INDArray.equals allows a difference of 1e-5. */
    private static void assertIdentical(String what, INDArray actual, INDArray expected) {
        assertWithMessage("%s: shape", what).that(actual.shape()).isEqualTo(expected.shape());
        assertWithMessage("%s: max |diff|", what).that(maxAbsDiff(actual, expected)).isEqualTo(0.0);
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    private static void assertMatches(String what, INDArray actual, INDArray expected) {
        assertWithMessage("%s output shape", what).that(actual.shape()).isEqualTo(expected.shape());
        double maxError = actual.sub(expected).amaxNumber().doubleValue();
        double maxExpected = expected.amaxNumber().doubleValue();
        double tolerance = 1e-5 * Math.max(1, maxExpected);
        ERRORS.put(what, String.format(Locale.ROOT, "%-42s max |diff| %.3e  (tolerance %.1e, max |expected| %.4f)",
                what, maxError, tolerance, maxExpected));
        assertWithMessage("%s: max |actual − PyTorch|", what).that(maxError).isAtMost(tolerance);
    }

    @AfterAll
    static void writeErrors() throws IOException {
        String backend = Nd4j.getBackend().getClass().getSimpleName() + " "
                + System.getProperty("nd4j.classifier", "");
        Path report = Path.of("target", "graph-golden-max-errors"
                + ("never".equals(System.getProperty("shapeproof.smallTensorKernels")) ? "-nd4j-kernels-only" : "")
                + ".txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, "ND4J backend: " + backend.trim() + "\n" + String.join("\n", ERRORS.values()) + "\n");
    }

    private static Path golden(String model, String file) {
        try {
            return Path.of(GraphGoldenModelsTest.class.getResource("/golden/" + model + "/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
