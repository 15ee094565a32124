package dev.shapeproof.examples;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A real PyTorch training checkpoint, converted by {@code tools/convert_checkpoint.py}, loads into the generated model
 * and classifies as in PyTorch.
 *
 * <p>The checkpoint is the seed network trained by {@code tools/train_seed_net.py --checkpoint seed-net.pth} (a dict
 * with {@code epoch}, {@code state_dict}, {@code optimizer}, {@code test_accuracy}); {@code converted/seed-net.npz} and
 * {@code converted/seed-net.safetensors} are that file converted to each format. The digits, their labels and PyTorch's
 * log-probabilities for them are the training script's {@code seed-net/digits.npz} (main resources).
 */
class ConvertedCheckpointTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-net.npz", "seed-net.safetensors"})
    void convertedCheckpointReproducesPyTorch(String file) throws IOException {
        NetModel model = new NetModel(resource("/converted/" + file));
        Map<String, INDArray> digits = StateDictFiles.read(resource("/seed-net/digits.npz")).tensors();
        INDArray images = digits.get("images");
        INDArray expected = digits.get("log_probs");
        INDArray labels = digits.get("labels");
        assertThat(images.shape()).isEqualTo(new long[] {10, 1, 28, 28});
        assertThat(expected.shape()).isEqualTo(new long[] {10, 10});
        assertThat(labels.shape()).isEqualTo(new long[] {10});

        INDArray actual = model.forward(images);

        assertThat(actual.shape()).isEqualTo(expected.shape());
        assertCloseToPyTorch(file + ", batch of 10", actual, expected);
        int agreeing = 0;
        for (int i = 0; i < 10; i++) {
            int label = labels.getInt(i);
            int pytorch = argmax(expected.getRow(i));
            if (pytorch == label) {
                agreeing++;
                assertWithMessage("%s: digit %s (PyTorch says %s)", file, i, pytorch)
                        .that(argmax(actual.getRow(i))).isEqualTo(label);
            }
            // One image at a time: the batch dimension is free and the result does not depend on the batch.
            INDArray single = model.forward(images.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup());
            assertCloseToPyTorch(file + ", digit " + i + " alone", single, expected.getRow(i, true));
        }
        // The trained network gets every saved digit right in PyTorch; a retrained one that does not is suspicious.
        assertWithMessage("digits PyTorch classifies right").that(agreeing).isAtLeast(9);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-net.npz", "seed-net.safetensors"})
    void convertedWeightsEqualTheTrainedWeights(String file) throws IOException {
        NetModel converted = new NetModel(resource("/converted/" + file));
        NetModel trained = new NetModel(resource("/seed-net/weights.npz"));

        assertThat(converted.stateDict().keySet()).isEqualTo(trained.stateDict().keySet());
        for (Map.Entry<String, INDArray> entry : trained.stateDict().entrySet()) {
            assertWithMessage("%s: %s", file, entry.getKey())
                    .that(converted.stateDict().get(entry.getKey())).isEqualTo(entry.getValue());
        }
    }

    /** Every element within {@code 1e-5 × max(1, |expected|)}. */
    private static void assertCloseToPyTorch(String what, INDArray actual, INDArray expected) {
        assertWithMessage("%s: shape", what).that(actual.shape()).isEqualTo(expected.shape());
        double[] a = actual.dup().reshape(-1).toDoubleVector();
        double[] e = expected.dup().reshape(-1).toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            double tolerance = 1e-5 * Math.max(1, Math.abs(e[i]));
            assertWithMessage("%s: element %s, ND4J %s vs PyTorch %s", what, i, a[i], e[i])
                    .that(Math.abs(a[i] - e[i])).isAtMost(tolerance);
        }
    }

    private static int argmax(INDArray row) {
        double[] values = row.dup().reshape(-1).toDoubleVector();
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Path resource(String name) {
        try {
            var url = ConvertedCheckpointTest.class.getResource(name);
            assertWithMessage("test resource %s", name).that(url).isNotNull();
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
