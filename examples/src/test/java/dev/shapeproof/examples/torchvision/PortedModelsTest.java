package dev.shapeproof.examples.torchvision;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.io.StateDictFiles;
import dev.shapeproof.nn.CompiledModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ports tools/port_model.py wrote, unedited, into {@code dev.shapeproof.examples.ported} (each class's javadoc
 * has the command), against the goldens of the hand-written ports: torchvision's state_dict keys, shapes and order;
 * the hand-written port's golden weights loaded strictly and the same output within
 * {@code 1e-5·max(1, max|expected|)}; and torchsummary 1.5.1's table (or the rows it prints before it fails).
 */
class PortedModelsTest {
    /** A ported model: the golden set it answers to, and its generated class. */
    record Ported(String name, LongFunction<CompiledModel> create) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Ported> ported() {
        return Stream.of(
                new Ported("resnet18", dev.shapeproof.examples.ported.resnet18.ResNet18Model::new),
                new Ported("resnet50", dev.shapeproof.examples.ported.resnet50.ResNet50Model::new),
                new Ported("densenet121", dev.shapeproof.examples.ported.densenet121.DenseNet121Model::new),
                new Ported("deeplabv3_resnet50",
                        dev.shapeproof.examples.ported.deeplabv3_resnet50.DeepLabV3ResNet50Model::new),
                new Ported("mobilenet_v2", dev.shapeproof.examples.ported.mobilenet_v2.MobileNetV2Model::new),
                new Ported("mobilenet_v3_large",
                        dev.shapeproof.examples.ported.mobilenet_v3_large.MobileNetV3LargeModel::new),
                new Ported("efficientnet_b0",
                        dev.shapeproof.examples.ported.efficientnet_b0.EfficientNetB0Model::new),
                new Ported("shufflenet_v2_x1_0",
                        dev.shapeproof.examples.ported.shufflenet_v2_x1_0.ShuffleNetV2X10Model::new),
                new Ported("convnext_tiny", dev.shapeproof.examples.ported.convnext_tiny.ConvNeXtTinyModel::new),
                new Ported("vit_b_16", dev.shapeproof.examples.ported.vit_b_16.VitB16Model::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ported")
    void matchesTorchvision(Ported ported, @TempDir Path dir) throws IOException {
        CompiledModel model = withGoldenWeights(ported, dir);
        Map<String, INDArray> io = StateDictFiles.read(TorchvisionPortsTest.golden(ported.name(), "io.npz")).tensors();
        INDArray input = io.get("input");
        INDArray expected = io.get("output");
        INDArray before = input.dup();

        INDArray actual = model.forward(List.of(input)).get(0);

        double largest = expected.amaxNumber().doubleValue();
        assertWithMessage("%s: a golden near zero could not fail", ported).that(largest).isAtLeast(0.1);
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double error = actual.sub(expected).amaxNumber().doubleValue();
        assertWithMessage("%s: max |port − torchvision|", ported).that(error).isAtMost(1e-5 * Math.max(1, largest));
        assertWithMessage("%s must not modify its input", ported).that(input).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ported")
    void stateDictIsTorchvisions(Ported ported) throws IOException {
        List<String> actual = new ArrayList<>();
        ported.create().apply(Ports.SEED).stateDict().forEach((key, tensor) -> actual.add(key + " " + Arrays.stream(
                tensor.shape()).mapToObj(Long::toString).collect(Collectors.joining(","))));

        assertThat(actual).containsExactlyElementsIn(TorchvisionPortsTest.lines(ported.name(), "state_dict.txt"))
                .inOrder();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ported")
    void summaryIsTorchsummarys(Ported ported) throws IOException {
        List<String> reference = TorchvisionPortsTest.lines(ported.name(), "summary.txt");
        String ours = ported.create().apply(Ports.SEED).summary().toString();
        String stops = reference.get(reference.size() - 1);
        if (!stops.startsWith("# stops:")) {
            assertThat(ours).isEqualTo(String.join("\n", reference) + "\n");
            return;
        }
        List<String> rows = reference.subList(0, reference.size() - 1);
        assertWithMessage("%s: the rows before torchsummary %s", ported, stops)
                .that(List.of(ours.split("\n")).subList(3, 3 + rows.size())).containsExactlyElementsIn(rows).inOrder();
    }

    /** The ported model with the golden weights of the hand-written port of the same name, loaded strictly. */
    private static CompiledModel withGoldenWeights(Ported ported, Path dir) throws IOException {
        Ports.Port handWritten = Ports.all().stream().filter(p -> p.name().equals(ported.name())).findFirst()
                .orElseThrow();
        Path weights = dir.resolve(ported.name() + ".safetensors");
        StateDictFiles.write(weights, handWritten.stateDict().apply(Ports.withGoldenWeights(handWritten)));
        CompiledModel model = ported.create().apply(Ports.SEED + 1);
        model.load(weights, LoadOptions.strict());
        return model;
    }
}
