package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The generated source itself: a golden file for one model, and the splitting that keeps huge models under javac's
 * 64 KB method limit.
 *
 * <p>After an intended change to the generated code, regenerate the golden file with
 * {@code mvn -pl runtime,processor test -Dtest=GeneratedSourceTest -Dshapeproof.updateGolden=true} and review the diff.
 */
class GeneratedSourceTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/GoldenNetModel.java");

    private static JavaFileObject goldenModel() {
        return Sources.model("GoldenNet",
                "@Model(input = {3, 32, 32})",
                "public abstract class GoldenNet {",
                "    @Conv2d(out = 16, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @BatchNorm2d BatchNorm2dLayer bn1;",
                "    @ReLU ReLULayer relu1;",
                "    @MaxPool2d(kernel = 3, stride = 2, ceilMode = true) MaxPool2dLayer pool1;",
                "    @Conv2d(out = 32, kernel = {3, 5}, dilation = 2, groups = 4, autoPad = Padding.SAME, bias = false)",
                "    Conv2dLayer conv2;",
                "    @LeakyReLU(slope = 0.2) LeakyReLULayer act2;",
                "    @AvgPool2d(kernel = 2, countIncludePad = false) AvgPool2dLayer pool2;",
                "    @Dropout2d(p = 0.1) Dropout2dLayer drop2;",
                "    @AdaptiveAvgPool2d(output = {2, 2}) AdaptiveAvgPool2dLayer gap;",
                "    @Flatten FlattenLayer flatten;",
                "    @Linear(out = 64) LinearLayer fc1;",
                "    @GELU(approximate = \"tanh\") GELULayer gelu;",
                "    @Dropout DropoutLayer drop;",
                "    @Linear(in = 64, out = 10) LinearLayer fc2;",
                "    @Sigmoid SigmoidLayer sigmoid;",
                "    @Tanh TanhLayer tanh;",
                "    @Softmax(dim = -1) SoftmaxLayer softmax;",
                "}");
    }

    @Test
    void generatedSourceMatchesTheGoldenFile() throws IOException {
        Compilation compilation = Sources.compile(goldenModel());
        assertThat(compilation).succeededWithoutWarnings();
        String generated = GeneratedShapes.source(compilation, "test.GoldenNetModel");

        if (Boolean.getBoolean("shapeproof.updateGolden")) {
            Files.writeString(GOLDEN, generated, StandardCharsets.UTF_8);
        }
        assertThat(generated).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    @Test
    void generationIsDeterministic() {
        String first = GeneratedShapes.source(Sources.compile(goldenModel()), "test.GoldenNetModel");
        String second = GeneratedShapes.source(Sources.compile(goldenModel()), "test.GoldenNetModel");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void hugeModelsAreSplitSoNoMethodHitsJavacsLimit() {
        // 3,000 layers: one constructor or one static initializer for all of them would exceed 64 KB of bytecode.
        List<String> lines = new ArrayList<>(List.of("@Model(input = {4, 8, 8})", "abstract class Huge {"));
        for (int i = 0; i < 3000; i += 2) {
            lines.add("    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv" + i + ";");
            lines.add("    @ReLU ReLULayer relu" + (i + 1) + ";");
        }
        lines.add("}");

        Compilation compilation = Sources.compile(Sources.model("Huge", lines.toArray(String[]::new)));

        assertThat(compilation).succeededWithoutWarnings();
        String source = GeneratedShapes.source(compilation, "test.HugeModel");
        assertThat(source).contains("private void createLayers29()");
        assertThat(source).contains("private static final class Shapes2");
        assertThat(source).contains("RELU2999_OUTPUT_SHAPE = Shapes2.RELU2999_OUTPUT_SHAPE");
    }

    @Test
    void fieldNamesThatMapToTheSameConstantStayDistinct() {
        Compilation compilation = Sources.compile(Sources.model("Twins",
                "@Model(input = {8})",
                "abstract class Twins {",
                "    @Linear(out = 4) LinearLayer fooBar;",
                "    @Linear(out = 2) LinearLayer foo_bar;",
                "}"));

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(GeneratedShapes.of(compilation, "test.TwinsModel")).containsAtLeast(
                "FOO_BAR_OUTPUT_SHAPE", "[-1, 4]", "FOO_BAR_OUTPUT_SHAPE_2", "[-1, 2]");
    }
}
