package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.sizes.AdmissibleSizes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Models with free sizes ({@code dims = "3, H, W"}): the admissible sets the processor derives, the errors and
 * warnings about them, and the code it generates. docs/any-size.md explains the derivation; FreeSizesBruteForceTest
 * checks it against PyTorch's size rules on generated models.
 */
class FreeSizesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/GoldenFreeSizeNetModel.java");
    private static final Pattern ADMISSIBLE = Pattern.compile(
            "AdmissibleSizes\\.parse\\(List\\.of\\(([^)]*)\\), \"([^\"]*)\"\\)");

    /** The model's admissible sizes, read back from the generated constant. */
    static AdmissibleSizes admissible(Compilation compilation, String model) {
        String source = GeneratedShapes.source(compilation, "test." + model + "Model");
        Matcher matcher = ADMISSIBLE.matcher(source);
        assertThat(matcher.find()).isTrue();
        List<String> names = Pattern.compile("\"(\\w+)\"").matcher(matcher.group(1)).results()
                .map(result -> result.group(1)).toList();
        return AdmissibleSizes.parse(names, matcher.group(2));
    }

    /** {@code return <main>(x) + <skip>}, with the layer {@code main} declared as {@code conv}. */
    private static JavaFileObject skip(String name, String conv, String skipPath) {
        return Sources.model(name,
                "@Model(dims = \"8, H, W\", forward = \"\"\"",
                "    return conv(x) + " + skipPath,
                "    \"\"\")",
                "abstract class " + name + " {",
                "    @Conv2d(out = 8, kernel = 3, stride = 2" + conv + ") Conv2dLayer conv;",
                "}");
    }

    /** A stride-2 path meets a 2×2 pool: ⌊(H − 1)/2⌋ and ⌊H/2⌋ agree for odd H, and where one is 1 it broadcasts. */
    @Test
    void skipConnectionAgreesOnlyForOddSizes() {
        Compilation c = Sources.compile(skip("Net", "", "max_pool2d(x, 2)"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "Net").toString())
                .isEqualTo("H ∈ {3, 4} or H ≥ 5 and H odd; W ∈ {3, 4} or W ≥ 5 and W odd");
        assertThat(GeneratedShapes.source(c, "test.NetModel")).contains(
                "OUTPUT_SHAPE = SymbolicShape.parse(\"[-1,8,max(floor((H-1)/2),floor(H/2)),"
                        + "max(floor((W-1)/2),floor(W/2))]\")");
    }

    /** ⌈H/2⌉ on both paths: padding 1 makes the stride-2 convolution agree with a ceil-mode pool at every size. */
    @Test
    void ceilModeMatchesAPaddedStride() {
        Compilation c = Sources.compile(skip("Net", ", padding = 1", "max_pool2d(x, 2, ceil_mode=True)"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "Net").toString()).isEqualTo("any H; any W");
    }

    /**
     * A ceil-mode pool broadcast against its input: ⌈H/2⌉ and H meet only where one is 1 or both agree (H ∈ {1, 2}),
     * and the dilated kernel shifts W by 4. At H = 1 the add's output has its first operand's shape, at H = 2 it does
     * not, so the generated add never reuses that operand's storage.
     */
    @Test
    void aBroadcastThatGrowsAtSomeSizesRunsOutOfPlace() {
        Compilation c = Sources.compile(Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    v1 = conv(x)",
                "    v2 = avg_pool2d(v1, 1, stride=2, ceil_mode=True)",
                "    return v2 + v1",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1, dilation = {1, 3}) Conv2dLayer conv;",
                "}"));
        assertThat(c).succeeded();
        assertThat(admissible(c, "Net").toString()).isEqualTo("H ∈ {1, 2}; W ∈ {5, 6}");
        assertThat(GeneratedShapes.source(c, "test.NetModel")).contains("F.add(v2, v1, false)");
    }

    /**
     * A transposed convolution doubles ⌈H/2⌉ (2·⌈H/2⌉ meets H for even H, and broadcasts against H = 1); a padding
     * adds its constants: reflect-padding W by 3 on each side needs W ≥ 4 and makes the crop of 6 agree everywhere.
     */
    @Test
    void transposedConvolutionsAndPaddingsHaveSizeRules() {
        Compilation c = Sources.compile(Sources.model("Net",
                "@Model(dims = \"4, H, W\", forward = \"\"\"",
                "    y = up(down(x)) + x",
                "    return crop(F.pad(y, (3, 3, 0, 0), mode='reflect'))",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, stride = 2, padding = 1) Conv2dLayer down;",
                "    @ConvTranspose2d(out = 4, kernel = 2, stride = 2) ConvTranspose2dLayer up;",
                "    @Conv2d(out = 4, kernel = {1, 7}) Conv2dLayer crop;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "Net").toString()).isEqualTo("H ∈ {1} or H even; W ≥ 4 and W even");
        assertThat(GeneratedShapes.source(c, "test.NetModel"))
                .contains("UP_OUTPUT_SHAPE = SymbolicShape.parse(\"[-1,4,2*ceil(H/2),2*ceil(W/2)]\");");
    }

    /**
     * Output padding 1 makes a stride-2 transposed convolution give 2·H + 1 rows: its MACs (each input element meets
     * out·kH·kW weights) are a whole number per input element, not per output element, and its summary row says so.
     */
    @Test
    void aTransposedConvolutionsMacsFollowItsInput() {
        Compilation c = Sources.compile(Sources.model("Net",
                "@Model(dims = \"3, H, W\")",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv;",
                "    @ConvTranspose2d(out = 4, kernel = {2, 1}, stride = 2, outputPadding = {1, 0})",
                "    ConvTranspose2dLayer up;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "Net").toString()).isEqualTo("any H; any W");
        assertThat(GeneratedShapes.source(c, "test.NetModel")).contains(
                "up ConvTranspose2d [-1,4,H,W] -> [-1,4,2*H+1,2*W-1]");
        assertThat(GeneratedShapes.source(c, "test.NetModel")).contains("macs=8*in");
    }

    /**
     * Ops without a rule of their own that move, keep or fix sizes (transpose, LayerNorm over channels, GroupNorm,
     * mean over tokens or the map, hardswish, a scalar product) follow the general rule, checked at every size the
     * derivation evaluates. Flattening the map into ⌊H/4⌋·⌊W/4⌋ tokens ties H to W, so they are checked jointly up to
     * the grid's edge, with a warning; the set, a grid of 125 × 125 sizes, is one box in the generated constant (as
     * tuples it passed javac's 64 KB limit on a string constant).
     */
    @Test
    void opsThatMoveKeepOrFixSizesNeedNoRuleOfTheirOwn() {
        Compilation c = Sources.compile(Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    y = self.group(self.patch(x))",
                "    t = self.norm(y.flatten(2).transpose(1, 2))",
                "    g = F.hardswish(t).mean(1) * 2",
                "    return self.fc(y.mean([2, 3]) + g)",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 4, stride = 4) Conv2dLayer patch;",
                "    @GroupNorm(groups = 2, channels = 8) GroupNormLayer group;",
                "    @LayerNorm(shape = 8) LayerNormLayer norm;",
                "    @Linear(in = 8, out = 3) LinearLayer fc;",
                "}"));
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("[ShapeProof/FreeSizeLimit] Net: H and W are checked together, and "
                + "admitted, only up to H ≤ 128, W ≤ 128");
        assertThat(c).hadWarningCount(1);
        assertThat(admissible(c, "Net").toString()).isEqualTo("4 ≤ H ≤ 128 and 4 ≤ W ≤ 128");
        assertThat(GeneratedShapes.source(c, "test.NetModel")).contains("\"H,W boxes=4-128x4-128\"");
        assertThat(GeneratedShapes.source(c, "test.NetModel"))
                .contains("OUTPUT_SHAPE = SymbolicShape.parse(\"[-1,3]\")");
    }

    /**
     * An op with no size rule whose output does not keep its input's sizes (a chunk along H gives ⌈H/2⌉) is one error
     * at that op, saying free sizes are not supported there yet.
     */
    @Test
    void anOpWithoutASizeRuleIsOneErrorAtIt() {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"4, H, W\", forward = \"\"\"",
                "    a, b = conv(x).chunk(2, dim=2)",
                "    return a",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("[ShapeProof/FreeSizeUnsupported] Net: chunk (chunk) depends on the free "
                + "sizes, which this op does not support yet: ShapeProof has no size rule for it").inFile(net)
                .onLineContaining("@Model(dims");
        assertThat(c).hadErrorContaining("its output is [-1, 4, 1, 512], not the sizes it keeps or fixes at the "
                + "reference size ([-1, 4, 128, W])");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void poolsAndUpsamplingNeedMultiples() {
        Compilation c = Sources.compile(Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    a = conv(x)",
                "    b = interpolate(max_pool2d(max_pool2d(a, 2), 2), scale_factor=4)",
                "    return cat([a, b], dim=1)",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "Net").toString()).isEqualTo("H ≡ 0 (mod 4); W ≡ 0 (mod 4)");
        String source = GeneratedShapes.source(c, "test.NetModel");
        assertThat(source).contains("SizePlan sizes = INPUTS.check(x);");
        assertThat(source).contains(
                "F.interpolate(F.maxPool2d(F.maxPool2d(a, Window.kernel(2).stride(2), Window.kernel(2).stride(2)), "
                        + "Window.kernel(2).stride(2), Window.kernel(2).stride(2)), sizes.of(SIZE_1), "
                        + "sizes.of(SIZE_2), 4.0, 4.0, \"nearest\", false)");
        assertThat(source).contains("private static final Size SIZE_1 = Size.parse(\"4*floor(H/4)\");");
    }

    /** A flatten into a Linear fixes the product h·w: a finite joint set, checked on the grid. */
    @Test
    void flattenIntoLinearTiesHeightAndWidth() {
        Compilation c = Sources.compile(Sources.model("LeNet",
                "@Model(dims = \"1, H, W\", forward = \"\"\"",
                "    x = max_pool2d(relu(conv1(x)), 2)",
                "    x = max_pool2d(relu(conv2(x)), 2)",
                "    return fc(flatten(x, 1))",
                "    \"\"\")",
                "abstract class LeNet {",
                "    @Conv2d(out = 10, kernel = 5) Conv2dLayer conv1;",
                "    @Conv2d(out = 20, kernel = 5) Conv2dLayer conv2;",
                "    @Linear(in = 320, out = 10) LinearLayer fc;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "LeNet").toString()).isEqualTo("16 ≤ H ≤ 19 and 76 ≤ W ≤ 79 or 20 ≤ H ≤ 23 and "
                + "44 ≤ W ≤ 47 or 28 ≤ H ≤ 31 and 28 ≤ W ≤ 31 or 44 ≤ H ≤ 47 and 20 ≤ W ≤ 23 or 76 ≤ H ≤ 79 and "
                + "16 ≤ W ≤ 19");
    }

    @Test
    void oneNameIsOneSize() {
        Compilation c = Sources.compile(Sources.model("Square",
                "@Model(dims = \"3, S, S\")",
                "abstract class Square {",
                "    @Conv2d(out = 8, kernel = 4, stride = 2) Conv2dLayer conv;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "Square").toString()).isEqualTo("S ≥ 4");
        assertThat(GeneratedShapes.source(c, "test.SquareModel"))
                .contains("CONV_OUTPUT_SHAPE = SymbolicShape.parse(\"[-1,8,floor(S/2)-1,floor(S/2)-1]\")");
    }

    @Test
    void inputsShareTheirSizes() {
        Compilation c = Sources.compile(Sources.model("Masked",
                "@Model(inputs = {@Input(name = \"image\", dims = \"3, H, W\"),",
                "                 @Input(name = \"mask\", dims = \"1, H, W\")}, sizes = \"H >= 8\", forward = \"\"\"",
                "    return cat([conv(image), mask], dim=1)",
                "    \"\"\")",
                "abstract class Masked {",
                "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "Masked").toString()).isEqualTo("H ≥ 8; any W");
        assertThat(GeneratedShapes.source(c, "test.MaskedModel")).contains("SizePlan sizes = INPUTS.check(image, mask);");
    }

    @Test
    void fixedDimsAreAFixedModel() {
        Compilation c = Sources.compile(Sources.model("Net",
                "@Model(dims = \"3, 16, 16\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(GeneratedShapes.source(c, "test.NetModel"))
                .contains("public static final TensorShape CONV_OUTPUT_SHAPE = TensorShape.of(-1, 8, 14, 14);");
    }

    // --- errors and warnings ------------------------------------------------------------------------------------------

    /** An average pool floors, a padded stride-2 convolution rounds up, an unpadded one floors H − 1: no H fits all. */
    @Test
    void noAdmissibleSizeNamesTheOpsAndWhatTheyGet() {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"8, H, W\", forward = \"\"\"",
                "    a = avg_pool2d(x, 2)",
                "    return cat([a, padded(x), conv(x)], dim=1)",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer conv;",
                "    @Conv2d(out = 8, kernel = 3, stride = 2, padding = 1) Conv2dLayer padded;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NO_ADMISSIBLE_SIZE.tag()).inFile(net)
                .onLineContaining("@Model(dims");
        assertThat(c).hadErrorContaining("cat gets [-1, 8, ⌊H/2⌋, ⌊W/2⌋] from avg_pool2d (AvgPool2d) and "
                + "[-1, 8, ⌈H/2⌉, ⌈W/2⌉] from padded (Conv2d) and [-1, 8, ⌊(H − 1)/2⌋, ⌊(W − 1)/2⌋] from conv (Conv2d), "
                + "and fails for 3 ≤ H ≤ 64");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void boundsThatExcludeEverySizeAreAnError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"8, H, W\",",
                "       sizes = \"H <= 20, W <= 20\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 25) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.BOUNDS_EXCLUDE_ALL.tag()).inFile(net).onLineContaining("sizes =");
        assertThat(c).hadErrorContaining("found   : admissible H ≥ 25; W ≥ 25");
        assertThat(c).hadErrorContaining("the smallest is H = 25, W = 25");
        assertThat(c).hadErrorCount(1);
    }

    private static JavaFileObject pooledThreeTimes(String name, String annotations) {
        return Sources.model(name,
                annotations,
                "@Model(dims = \"3, H, W\", sizes = \"H <= 512, W <= 512\", forward = \"\"\"",
                "    a = conv(x)",
                "    b = interpolate(max_pool2d(a, 8), scale_factor=8)",
                "    return a + b",
                "    \"\"\")",
                "abstract class " + name + " {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv;",
                "}");
    }

    @Test
    void fewAdmissibleSizesAreAWarningThatPrintsThem() {
        JavaFileObject net = pooledThreeTimes("Net", "");
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining(Message.FEW_ADMISSIBLE_SIZES.tag()).inFile(net).onLineContaining("sizes =");
        assertThat(c).hadWarningContaining("only 1.6% of the sizes within the bounds are admissible: H ≡ 0 (mod 8) and "
                + "H ≤ 512; W ≡ 0 (mod 8) and W ≤ 512");
        assertThat(c).hadWarningCount(1);
        assertThat(Sources.compile(pooledThreeTimes("Quiet", "@SuppressWarnings(\"ShapeProof/FewAdmissibleSizes\")")))
                .succeededWithoutWarnings();
    }

    @Test
    void readingAFreeSizeIsAnError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    y = conv(x)",
                "    return interpolate(y, size=x.shape[-2:])",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.FREE_SIZE_READ.tag()).inFile(net).onLineContaining("forward =");
        assertThat(c).hadErrorContaining("forward reads the shape of x, which depends on the free sizes");
        assertThat(c).hadErrorContaining("return interpolate(y, size=x.shape[-2:])");
        assertThat(c).hadErrorCount(1);
    }

    /** Reading the batch is fine: it is no free size. */
    @Test
    void readingTheBatchIsNot() {
        Compilation c = Sources.compile(Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    return conv(x).view(x.size(0), 8, 4, 4)",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(admissible(c, "Net").toString()).isEqualTo("H = 3 and W = 18 or H = 4 and W = 10 or H = 6 and "
                + "W = 6 or H = 10 and W = 4 or H = 18 and W = 3");
    }

    @Test
    void aLayerThatInfersFromAFreeSizeIsAnError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    return fc(flatten(conv(x), 1))",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;",
                "    @Linear(out = 10) LinearLayer fc;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.FREE_SIZE_UNSUPPORTED.tag());
        assertThat(c).hadErrorContaining("fc (Linear) depends on the free sizes, which one generated layer cannot follow");
        assertThat(c).hadErrorContaining("give the attribute it infers (such as in) explicitly");
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningCount(0);
    }

    @Test
    void anInexactScaleIsCheckedUpToALimit() {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    return interpolate(conv(x), scale_factor=0.3)",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining(Message.FREE_SIZE_LIMIT.tag());
        assertThat(c).hadWarningContaining("H is checked, and admitted, only up to 4,096; W is checked, and admitted, "
                + "only up to 4,096");
        assertThat(admissible(c, "Net").toString()).isEqualTo("6 ≤ H ≤ 4,096; 6 ≤ W ≤ 4,096");
    }

    @Test
    void aSizeDependentCallInsideABlockIsAnError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    return up(x)",
                "    \"\"\")",
                "abstract class Net {",
                "    @Init(\"Up()\") Up up;",
                "    @Block(forward = \"\"\"",
                "            return interpolate(x, scale_factor=2)",
                "            \"\"\")",
                "    abstract static class Up extends NnModule {",
                "        @ReLU ReLULayer relu;",
                "    }",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.FREE_SIZE_UNSUPPORTED.tag());
        assertThat(c).hadErrorContaining("it is inside a block, whose generated forward serves every size with one text");
    }

    @Test
    void badDeclarationsAreOneErrorOnTheAttribute() {
        JavaFileObject channels = Sources.model("Net", "@Model(dims = \"C, H, W\")", "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        Compilation c = Sources.compile(channels);
        assertThat(c).hadErrorContaining(Message.INVALID_FREE_SIZES.tag()).inFile(channels)
                .onLineContaining("dims =");
        assertThat(c).hadErrorContaining("the channels (C) cannot be free");
        assertThat(c).hadErrorCount(1);

        JavaFileObject unknown = Sources.model("Net", "@Model(dims = \"3, H, W\", sizes = \"X >= 3\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        c = Sources.compile(unknown);
        assertThat(c).hadErrorContaining("sizes bounds X, which no input has");
        assertThat(c).hadErrorContaining("hint    : the free sizes are H, W");
        assertThat(c).hadErrorCount(1);

        JavaFileObject empty = Sources.model("Net", "@Model(dims = \"3, H, W\", sizes = \"H >= 40, H <= 30\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        c = Sources.compile(empty);
        assertThat(c).hadErrorContaining("no H satisfies H >= 40 and H <= 30");
        assertThat(c).hadErrorCount(1);

        JavaFileObject both = Sources.model("Net", "@Model(input = {3, 8, 8}, dims = \"3, H, W\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        c = Sources.compile(both);
        assertThat(c).hadErrorContaining(Message.INVALID_INPUT_SHAPE.tag());
        assertThat(c).hadErrorContaining("both input and dims are given");
        assertThat(c).hadErrorCount(1);

        JavaFileObject typo = Sources.model("Net", "@Model(dims = \"3, H, W\", sizes = \"H => 3\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        c = Sources.compile(typo);
        assertThat(c).hadErrorContaining("\"H => 3\" is not a bound");
        assertThat(c).hadErrorCount(1);
    }

    /** A mistake sizes do not cause is the fixed model's error, at the attribute to edit. */
    @Test
    void aMistakeUnrelatedToSizesIsReportedAsUsual() {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"3, H, W\")",
                "abstract class Net {",
                "    @Conv2d(in = 4,",
                "            out = 8, kernel = 3) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.CHANNEL_MISMATCH.tag()).inFile(net).onLineContaining("in = 4");
        assertThat(c).hadErrorCount(1);
    }

    // --- generated code --------------------------------------------------------------------------------------------

    private static JavaFileObject goldenModel() {
        return Sources.model("GoldenFreeSizeNet",
                "@Model(dims = \"3, H, W\", sizes = \"H >= 8\", forward = \"\"\"",
                "    a = relu(conv1(x))",
                "    b = conv2(max_pool2d(a, 2))",
                "    c = interpolate(b, scale_factor=2)",
                "    return cat([a, c], dim=1)",
                "    \"\"\")",
                "@SuppressWarnings(\"ShapeProof/FewAdmissibleSizes\")",
                "public abstract class GoldenFreeSizeNet {",
                "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv2;",
                "}");
    }

    /**
     * The whole generated class of a free-size model. After an intended change, regenerate with
     * {@code mvn -pl runtime,processor test -Dtest=FreeSizesTest -Dshapeproof.updateGolden=true} and review the diff.
     */
    @Test
    void generatedSourceMatchesTheGoldenFile() throws IOException {
        Compilation c = Sources.compile(goldenModel());
        assertThat(c).succeededWithoutWarnings();
        String generated = GeneratedShapes.source(c, "test.GoldenFreeSizeNetModel");
        if (Boolean.getBoolean("shapeproof.updateGolden")) {
            Files.writeString(GOLDEN, generated, StandardCharsets.UTF_8);
        }
        assertThat(generated).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
        assertThat(GeneratedShapes.source(Sources.compile(goldenModel()), "test.GoldenFreeSizeNetModel"))
                .isEqualTo(generated);
    }
}
