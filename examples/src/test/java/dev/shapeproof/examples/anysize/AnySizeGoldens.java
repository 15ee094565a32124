package dev.shapeproof.examples.anysize;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The free-size examples' goldens (tools/golden/make_anysize_goldens.py): PyTorch's output at three admissible sizes
 * per model, and torchsummary's text at one.
 */
public final class AnySizeGoldens {
    private AnySizeGoldens() {}

    /** {@code golden/anysize/<model>/<file>}. */
    public static Path file(String model, String file) {
        try {
            return Path.of(AnySizeGoldens.class.getResource("/golden/anysize/" + model + "/" + file).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no golden " + model + "/" + file, e);
        }
    }

    /**
     * Runs {@code forward} on the golden input at {@code h}×{@code w} and checks PyTorch's output, within
     * {@code 1e-5·max(1, max|expected|)}, and that the input is left alone. Returns the largest error.
     */
    public static double check(String model, int h, int w, UnaryOperator<INDArray> forward) throws IOException {
        Map<String, INDArray> io = StateDictFiles.read(file(model, "io_" + h + "x" + w + ".npz")).tensors();
        INDArray input = io.get("input");
        INDArray expected = io.get("output");
        INDArray before = input.dup();

        INDArray actual = forward.apply(input);

        double largest = expected.amaxNumber().doubleValue();
        assertWithMessage("%s at %sx%s: a golden near zero could not fail", model, h, w).that(largest)
                .isAtLeast(0.1);
        assertWithMessage("%s at %sx%s: shape", model, h, w).that(actual.shape()).isEqualTo(expected.shape());
        double error = actual.sub(expected).amaxNumber().doubleValue();
        assertWithMessage("%s at %sx%s: max |ShapeProof − PyTorch|", model, h, w).that(error)
                .isAtMost(1e-5 * Math.max(1, largest));
        assertThat(input).isEqualTo(before);
        return error;
    }

    /** torchsummary's text at {@code h}×{@code w}. */
    public static String summary(String model, int h, int w) throws IOException {
        return Files.readString(file(model, "summary_" + h + "x" + w + ".txt"), StandardCharsets.UTF_8);
    }
}
