package dev.shapeproof.examples.torchvision;

import static com.google.common.truth.Truth.assertThat;

import dev.shapeproof.examples.anysize.AnySizeGoldens;
import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * torchvision's resnet18 backbone with free sizes: resnet18's golden weights without {@code fc}, loaded strictly,
 * against torchvision at three sizes (tools/golden/make_anysize_goldens.py), and torchsummary's text at one.
 */
class ResNet18BackboneTest {
    /** The resnet18 port's golden weights, but {@code fc}: the backbone's whole state_dict. */
    static ResNet18BackboneModel withGoldenWeights(Path dir) throws IOException {
        ResNet18Model resnet = (ResNet18Model) Ports.withGoldenWeights(Ports.all().get(0));
        Map<String, INDArray> backbone = new LinkedHashMap<>();
        resnet.stateDict().forEach((key, tensor) -> {
            if (!key.startsWith("fc.")) {
                backbone.put(key, tensor);
            }
        });
        Path file = dir.resolve("backbone.safetensors");
        StateDictFiles.write(file, backbone);
        return new ResNet18BackboneModel(file, LoadOptions.strict());
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"64, 64", "97, 75", "40, 130"})
    void matchesTorchvision(int h, int w, @TempDir Path dir) throws IOException {
        ResNet18BackboneModel model = withGoldenWeights(dir);
        AnySizeGoldens.check("ResNet18Backbone", h, w, model::forward);
    }

    @Test
    void admitsEverySize() {
        assertThat(ResNet18BackboneModel.ADMISSIBLE_SIZES.toString()).isEqualTo("any H; any W");
        assertThat(ResNet18BackboneModel.OUTPUT_SHAPE.toString()).isEqualTo("[-1, 512, ⌈H/32⌉, ⌈W/32⌉]");
    }

    @Test
    void summaryAtASizeIsTorchsummarys() throws IOException {
        assertThat(ResNet18BackboneModel.SUMMARY.at(64, 64).toString())
                .isEqualTo(AnySizeGoldens.summary("ResNet18Backbone", 64, 64));
    }
}
