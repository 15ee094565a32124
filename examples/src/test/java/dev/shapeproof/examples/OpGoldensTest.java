package dev.shapeproof.examples;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.examples.golden.OpsActivationsModel;
import dev.shapeproof.examples.golden.OpsArithmeticModel;
import dev.shapeproof.examples.golden.OpsDecoderModel;
import dev.shapeproof.examples.golden.OpsNormsModel;
import dev.shapeproof.examples.golden.OpsPiecesModel;
import dev.shapeproof.examples.golden.OpsReductionsModel;
import dev.shapeproof.examples.golden.OpsTinyViTModel;
import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ops of real architectures against PyTorch (tools/golden/make_op_goldens.py): each golden model loads PyTorch's
 * state_dict strictly and reproduces every output within {@code 1e-5·max(1, max|expected|)}, its input untouched.
 */
class OpGoldensTest {
    private static final Map<String, String> ERRORS = new ConcurrentSkipListMap<>();

    /** Loads a model from its weights and returns its forward, whose result is a tensor or an Output record. */
    @FunctionalInterface
    interface Loader {
        Function<INDArray, Object> load(Path weights) throws IOException;
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("OpsActivations", (Loader) w -> new OpsActivationsModel(w)::forward),
                Arguments.of("OpsArithmetic", (Loader) w -> new OpsArithmeticModel(w)::forward),
                Arguments.of("OpsReductions", (Loader) w -> new OpsReductionsModel(w)::forward),
                Arguments.of("OpsPieces", (Loader) w -> new OpsPiecesModel(w)::forward),
                Arguments.of("OpsNorms", (Loader) w -> new OpsNormsModel(w)::forward),
                Arguments.of("OpsDecoder", (Loader) w -> new OpsDecoderModel(w)::forward),
                Arguments.of("OpsTinyViT", (Loader) w -> new OpsTinyViTModel(w)::forward));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesPyTorch(String name, Loader loader) throws Exception {
        Function<INDArray, Object> forward = loader.load(golden(name, "weights.npz"));
        Map<String, INDArray> io = StateDictFiles.read(golden(name, "io.npz")).tensors();
        INDArray input = io.get("input");
        INDArray before = input.dup();

        Object result = forward.apply(input);

        List<String> checked = new ArrayList<>();
        if (result instanceof INDArray output) {
            assertMatches(name, output, io.get("output"));
            checked.add("output");
        } else {
            for (RecordComponent component : result.getClass().getRecordComponents()) {
                String key = "output." + component.getName();
                assertWithMessage("%s: PyTorch's outputs", name).that(io).containsKey(key);
                assertMatches(name + "." + component.getName(), (INDArray) component.getAccessor().invoke(result),
                        io.get(key));
                checked.add(key);
            }
        }
        assertWithMessage("%s: every PyTorch output checked", name).that(checked)
                .containsExactlyElementsIn(io.keySet().stream().filter(key -> !key.equals("input")).toList());
        assertWithMessage("%s must not modify its input", name).that(input.sub(before).amaxNumber().doubleValue())
                .isEqualTo(0.0);
    }

    /** The tiny ViT's own parameters come first in its state_dict, as in PyTorch's, and load back strictly. */
    @Test
    void parametersThatAreNotLayersAreState() throws IOException {
        OpsTinyViTModel model = new OpsTinyViTModel(golden("OpsTinyViT", "weights.npz"));
        List<String> keys = new ArrayList<>(model.stateDict().keySet());
        assertThat(keys.subList(0, 4)).containsExactly("class_token", "pos_embedding", "scale", "conv_proj.weight")
                .inOrder();
        assertThat(keys).containsAtLeast("attention.in_proj_weight", "attention.in_proj_bias",
                "attention.out_proj.weight", "attention.out_proj.bias").inOrder();
        assertThat(model.parameters()).containsKey("class_token");
        assertThat(model.stateDict().get("pos_embedding").shape()).isEqualTo(new long[] {1, 17, 16});
        INDArray expected = StateDictFiles.read(golden("OpsTinyViT", "weights.npz")).tensors().get("class_token");
        assertThat(model.stateDict().get("class_token").sub(expected).amaxNumber().doubleValue()).isEqualTo(0.0);
    }

    private static void assertMatches(String what, INDArray actual, INDArray expected) {
        assertWithMessage("%s output shape", what).that(actual.shape()).isEqualTo(expected.shape());
        double maxError = actual.sub(expected).amaxNumber().doubleValue();
        double maxExpected = expected.amaxNumber().doubleValue();
        double tolerance = 1e-5 * Math.max(1, maxExpected);
        ERRORS.put(what, String.format(Locale.ROOT, "%-28s max |diff| %.3e  (tolerance %.1e, max |expected| %.4f)",
                what, maxError, tolerance, maxExpected));
        assertWithMessage("%s: max |actual − PyTorch|", what).that(maxError).isAtMost(tolerance);
    }

    @AfterAll
    static void writeErrors() throws IOException {
        Path report = Path.of("target", "op-golden-max-errors.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, String.join("\n", ERRORS.values()) + "\n");
    }

    private static Path golden(String model, String file) {
        try {
            return Path.of(OpGoldensTest.class.getResource("/golden/" + model + "/" + file).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing golden " + model + "/" + file, e);
        }
    }
}
