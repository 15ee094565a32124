package dev.shapeproof.examples.torchvision;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The torchvision ports against torchvision 0.14 (tools/golden/make_torchvision_goldens.py): the same output for the
 * same weights within {@code 1e-5·max(1, max|expected|)}, exactly torchvision's state_dict keys, shapes and order, a
 * strict load of a saved state_dict, and torchsummary 1.5.1's table byte for byte (or, where torchsummary itself
 * fails, the rows it printed before it did).
 */
class TorchvisionPortsTest {
    /** Each port's max error, written to target/ so the numbers can be reported per ND4J build. */
    private static final Map<String, String> ERRORS = new java.util.concurrent.ConcurrentSkipListMap<>();

    @org.junit.jupiter.api.AfterAll
    static void writeErrors() throws IOException {
        Path report = Path.of("target", "torchvision-max-errors.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, String.join("\n", ERRORS.values()) + "\n");
    }

    static Stream<Ports.Port> ports() {
        return Ports.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ports")
    void matchesTorchvision(Ports.Port port) throws IOException {
        Object model = Ports.withGoldenWeights(port);
        Map<String, INDArray> io = StateDictFiles.read(golden(port, "io.npz")).tensors();
        INDArray input = io.get("input");
        INDArray expected = io.get("output");
        INDArray before = input.dup();

        INDArray actual = port.forward().apply(model, input);

        double largest = expected.amaxNumber().doubleValue();
        assertWithMessage("%s: a golden near zero could not fail", port.name()).that(largest).isAtLeast(0.1);
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double error = actual.sub(expected).amaxNumber().doubleValue();
        ERRORS.put(port.name(), String.format(java.util.Locale.ROOT,
                "%-20s max |diff| %.3e  (tolerance %.1e, max |expected| %.4f)", port.name(), error,
                1e-5 * Math.max(1, largest), largest));
        assertWithMessage("%s: max |ShapeProof − torchvision|", port.name()).that(error)
                .isAtMost(1e-5 * Math.max(1, largest));
        assertWithMessage("%s must not modify its input", port.name()).that(input).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ports")
    void stateDictIsTorchvisions(Ports.Port port) throws IOException {
        Map<String, INDArray> state = port.stateDict().apply(port.create().apply(Ports.SEED));
        List<String> actual = new ArrayList<>();
        state.forEach((key, tensor) -> actual.add(key + " " + Arrays.stream(tensor.shape())
                .mapToObj(Long::toString).collect(Collectors.joining(","))));

        assertThat(actual).containsExactlyElementsIn(lines(port, "state_dict.txt")).inOrder();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ports")
    void savedStateDictLoadsStrictly(Ports.Port port, @TempDir Path dir) throws IOException {
        Object model = Ports.withGoldenWeights(port);
        Path file = dir.resolve(port.name() + ".safetensors");
        StateDictFiles.write(file, port.stateDict().apply(model));

        Object loaded = Ports.load(port, file);

        Map<String, INDArray> expected = port.stateDict().apply(model);
        port.stateDict().apply(loaded).forEach((key, tensor) ->
                assertWithMessage(key).that(tensor).isEqualTo(expected.get(key)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ports")
    void summaryIsTorchsummarys(Ports.Port port) throws IOException {
        List<String> reference = lines(port, "summary.txt");
        String stops = reference.get(reference.size() - 1);
        if (!stops.startsWith("# stops:")) {
            assertThat(port.summary().toString()).isEqualTo(String.join("\n", reference) + "\n");
            return;
        }
        List<String> rows = reference.subList(0, reference.size() - 1);
        List<String> ours = List.of(port.summary().toString().split("\n"));
        assertWithMessage("%s: the rows before torchsummary %s", port.name(), stops)
                .that(ours.subList(3, 3 + rows.size())).containsExactlyElementsIn(rows).inOrder();
    }

    private static List<String> lines(Ports.Port port, String file) throws IOException {
        return lines(port.name(), file);
    }

    static List<String> lines(String model, String file) throws IOException {
        return Files.readAllLines(golden(model, file), StandardCharsets.UTF_8);
    }

    private static Path golden(Ports.Port port, String file) {
        return golden(port.name(), file);
    }

    /** A golden file of tools/golden/make_torchvision_goldens.py for {@code model}. */
    static Path golden(String model, String file) {
        try {
            return Path.of(TorchvisionPortsTest.class.getResource("/golden/torchvision/" + model + "/" + file)
                    .toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing golden " + model + "/" + file, e);
        }
    }
}
