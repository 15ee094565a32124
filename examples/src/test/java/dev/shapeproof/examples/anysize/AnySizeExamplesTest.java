package dev.shapeproof.examples.anysize;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.nn.CompiledModel;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The examples declared with free sizes against PyTorch at three admissible sizes each; their admissible sets; the
 * exception an inadmissible size gets; and torchsummary's text at a size.
 */
class AnySizeExamplesTest {
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of("ContextModule", 20, 20), Arguments.of("ContextModule", 33, 27),
                Arguments.of("ContextModule", 16, 41),
                Arguments.of("DilatedStack", 16, 16), Arguments.of("DilatedStack", 40, 23),
                Arguments.of("DilatedStack", 17, 64),
                Arguments.of("UNet", 16, 16), Arguments.of("UNet", 32, 48), Arguments.of("UNet", 64, 32));
    }

    static CompiledModel load(String name) throws IOException {
        var weights = AnySizeGoldens.file(name, "weights.npz");
        return switch (name) {
            case "ContextModule" -> new ContextModuleModel(weights);
            case "DilatedStack" -> new DilatedStackModel(weights);
            default -> new UNetModel(weights);
        };
    }

    @ParameterizedTest(name = "{0} at {1}x{2}")
    @MethodSource("sizes")
    void matchesPyTorch(String name, int h, int w) throws IOException {
        CompiledModel model = load(name);
        UnaryOperator<INDArray> forward = x -> model.forward(List.of(x)).get(0);
        AnySizeGoldens.check(name, h, w, forward);
    }

    @Test
    void admissibleSizes() {
        assertThat(ContextModuleModel.ADMISSIBLE_SIZES.toString()).isEqualTo("any H; any W");
        assertThat(DilatedStackModel.ADMISSIBLE_SIZES.toString()).isEqualTo("H ≥ 16; W ≥ 16");
        assertThat(UNetModel.ADMISSIBLE_SIZES.toString()).isEqualTo("H ≡ 0 (mod 16); W ≡ 0 (mod 16)");
    }

    @Test
    void shapesAreSymbolic() {
        assertThat(UNetModel.DOWN4_OUTPUT_SHAPE.toString()).isEqualTo("[-1, 32, ⌊H/16⌋, ⌊W/16⌋]");
        assertThat(UNetModel.OUTPUT_SHAPE.toString()).isEqualTo("[-1, 2, H, W]");
        assertThat(ContextModuleModel.INPUT_SHAPE.toString()).isEqualTo("[-1, 21, H, W]");
    }

    @Test
    void inadmissibleSizeNamesTheSetAndTheNearest() throws IOException {
        UNetModel model = new UNetModel(AnySizeGoldens.file("UNet", "weights.npz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 100, 64)));
        assertThat(e).hasMessageThat().isEqualTo("UNet: the input size: H = 100, W = 64 is not an admissible size; "
                + "the admissible sizes are H ≡ 0 (mod 16); W ≡ 0 (mod 16); nearest: H = 96 or H = 112");
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 4, 32, 32)));
        assertThat(channels).hasMessageThat().contains("expected shape [-1, 3, H, W]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstSizes")
    void summaryAtASizeIsTorchsummarys(String name, int h, int w) throws IOException {
        String expected = AnySizeGoldens.summary(name, h, w);
        String actual = switch (name) {
            case "ContextModule" -> ContextModuleModel.SUMMARY.at(h, w).toString();
            case "DilatedStack" -> DilatedStackModel.SUMMARY.at(h, w).toString();
            default -> UNetModel.SUMMARY.at(h, w).toString();
        };
        assertThat(actual).isEqualTo(expected);
    }

    static Stream<Arguments> firstSizes() {
        return Stream.of(Arguments.of("ContextModule", 20, 20), Arguments.of("DilatedStack", 16, 16),
                Arguments.of("UNet", 16, 16));
    }
}
