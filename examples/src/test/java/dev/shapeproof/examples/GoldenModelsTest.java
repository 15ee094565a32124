package dev.shapeproof.examples;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.examples.golden.ActivationsLogModel;
import dev.shapeproof.examples.golden.ActivationsModel;
import dev.shapeproof.examples.golden.BatchNormNetModel;
import dev.shapeproof.examples.golden.CeilPoolModel;
import dev.shapeproof.examples.golden.GroupedModel;
import dev.shapeproof.examples.golden.SameDilatedModel;
import dev.shapeproof.examples.golden.Softmax4dModel;
import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * PyTorch is the truth: each model loads the {@code state_dict} PyTorch 1.13 saved for it
 * (tools/golden/make_golden.py) and must reproduce PyTorch's output for the saved input, within
 * {@code 1e-5 × max(1, max |expected|)}.
 */
class GoldenModelsTest {
    /** The maximum error per model, written to target/ so the numbers can be reported per ND4J build. */
    private static final Map<String, String> ERRORS = new ConcurrentSkipListMap<>();

    /** Loads a model from its weights file and returns its forward function. */
    @FunctionalInterface
    interface Loader {
        UnaryOperator<INDArray> load(Path weights) throws IOException;
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("SeedNet", (Loader) weights -> new NetModel(weights)::forward),
                Arguments.of("DilatedStack",
                        (Loader) weights -> new dev.shapeproof.examples.golden.DilatedStackModel(weights)::forward),
                Arguments.of("CeilPool", (Loader) weights -> new CeilPoolModel(weights)::forward),
                Arguments.of("Grouped", (Loader) weights -> new GroupedModel(weights)::forward),
                Arguments.of("BatchNormNet", (Loader) weights -> new BatchNormNetModel(weights)::forward),
                Arguments.of("Activations", (Loader) weights -> new ActivationsModel(weights)::forward),
                Arguments.of("ActivationsLog", (Loader) weights -> new ActivationsLogModel(weights)::forward),
                Arguments.of("Softmax4d", (Loader) weights -> new Softmax4dModel(weights)::forward),
                Arguments.of("SameDilated", (Loader) weights -> new SameDilatedModel(weights)::forward));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesPyTorch(String name, Loader loader) throws IOException {
        UnaryOperator<INDArray> forward = loader.load(golden(name, "weights.npz"));
        Map<String, INDArray> io = StateDictFiles.read(golden(name, "io.npz")).tensors();
        INDArray input = io.get("input");
        INDArray expected = io.get("output");
        INDArray inputBefore = input.dup();

        INDArray actual = forward.apply(input);

        assertWithMessage("%s output shape", name).that(actual.shape()).isEqualTo(expected.shape());
        double maxError = actual.sub(expected).amaxNumber().doubleValue();
        double tolerance = 1e-5 * Math.max(1, expected.amaxNumber().doubleValue());
        ERRORS.put(name, String.format(Locale.ROOT, "%-15s max |diff| %.3e  (tolerance %.1e, max |expected| %.4f)",
                name, maxError, tolerance, expected.amaxNumber().doubleValue()));
        assertWithMessage("%s: max |actual − PyTorch|", name).that(maxError).isAtMost(tolerance);
        assertWithMessage("%s must not modify its input", name).that(input).isEqualTo(inputBefore);
    }

    @AfterAll
    static void writeErrors() throws IOException {
        Path report = Path.of("target", "golden-max-errors"
                + ("never".equals(System.getProperty("shapeproof.smallTensorKernels")) ? "-nd4j-kernels-only" : "")
                + ("never".equals(System.getProperty("shapeproof.dnnl")) ? "-without-dnnl" : "") + ".txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, "ND4J backend: " + backend() + "\n" + String.join("\n", ERRORS.values()) + "\n");
    }

    /**
     * The ND4J build that ran: the backend class, the artifact Maven chose (surefire passes {@code nd4j.backend} and
     * {@code nd4j.classifier}, docs/backends.md) and the flags the loaded native library was built with. Those flags
     * tell the oneDNN build from the default one whatever jars the class path holds (the unclassified nd4j-native
     * always brings the default native jar along).
     */
    static String backend() {
        StringBuilder text = new StringBuilder(Nd4j.getBackend().getClass().getSimpleName());
        String artifact = System.getProperty("nd4j.backend");
        if (artifact != null) {
            text.append(" (").append(artifact).append(':').append(System.getProperty("nd4j.classifier", "")).append(')');
        }
        try {
            String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            text.append(", native build with oneDNN: ").append(info.contains("HAVE_ONEDNN") ? "yes" : "no")
                    .append(" [").append(Arrays.stream(info.split("\\s+"))
                            .filter(token -> token.startsWith("HAVE_"))
                            .collect(Collectors.joining(" ")))
                    .append(']');
        } catch (RuntimeException | LinkageError e) {
            text.append(", native build unknown (").append(e).append(')');
        }
        return text.toString();
    }

    static Path golden(String model, String file) {
        try {
            return Path.of(GoldenModelsTest.class.getResource("/golden/" + model + "/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
