package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The shape-rule bugs the differential campaign (tools/campaign, conformance/) and its issue found, each with the
 * generated model that found it (campaign seed 1, by case id) or the issue's own reproducer. PyTorch 1.13 is the
 * reference for every "accepted" and "rejected" below.
 */
class CampaignFindingsTest {

    // ------------------------------------------------------------------------------ ceil-mode pooling (false rejects)

    /** c000148: MaxPool2d({4, 3}, ceil) on 1×1 after a global pool; PyTorch gives 1×1, ShapeProof said KernelTooLarge.
     */
    @Test
    void ceilModePoolingWhoseKernelOverhangsTheInputIsAccepted() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @AdaptiveAvgPool2d(output = 1) AdaptiveAvgPool2dLayer gap1;",
                "    @BatchNorm2d(features = 1, affine = false) BatchNorm2dLayer bn1;",
                "    @MaxPool2d(kernel = {4, 3}, ceilMode = true) MaxPool2dLayer pool1;",
                "    @AvgPool2d(kernel = 1, stride = 3) AvgPool2dLayer avg1;",
                "    @Sigmoid SigmoidLayer sig1;",
                "    @Conv2d(in = 1, out = 3, kernel = 1, autoPad = Padding.VALID) Conv2dLayer conv1;",
                "    @Conv2d(out = 12, kernel = {5, 2}, stride = {1, 3}, padding = 3, groups = 3) Conv2dLayer conv2;",
                "    @Dropout2d Dropout2dLayer drop2d1;",
                "}")), "test.NetModel");
        assertThat(shapes).containsAtLeast("POOL1_OUTPUT_SHAPE", "[-1, 1, 1, 1]", "OUTPUT_SHAPE", "[-1, 12, 3, 2]");
    }

    /** The issue's two modules: AvgPool2d(5, stride=2, ceil_mode=True) on 4×4 and MaxPool2d(4, 3, 1, ceil) on 1×1. */
    @Test
    void theIssuesCeilModePoolsAreAccepted() {
        Map<String, String> avg = GeneratedShapes.of(Sources.compile(Sources.model("Avg",
                "@Model(input = {2, 4, 4})",
                "abstract class Avg {",
                "    @AvgPool2d(kernel = 5, stride = 2, ceilMode = true) AvgPool2dLayer pool;",
                "}")), "test.AvgModel");
        assertThat(avg).containsEntry("OUTPUT_SHAPE", "[-1, 2, 1, 1]");
        Map<String, String> max = GeneratedShapes.of(Sources.compile(Sources.model("Max",
                "@Model(input = {2, 1, 1})",
                "abstract class Max {",
                "    @MaxPool2d(kernel = 4, stride = 3, padding = 1, ceilMode = true) MaxPool2dLayer pool;",
                "}")), "test.MaxModel");
        assertThat(max).containsEntry("OUTPUT_SHAPE", "[-1, 2, 1, 1]");
    }

    /** c000237 ends with avg_pool2d(h4, 4, None, 0, True) on a 3×3 map; the functions follow the same rule. */
    @Test
    void ceilModePoolingFunctionsAreAccepted() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(DslDiagnostics.model("Net", "{1, 4, 4}", """
                a = F.avg_pool2d(x, 5, 2, 0, True)
                b = max_pool2d(x, 4, stride=3, padding=1, ceil_mode=True)
                c = F.avg_pool2d(x, kernel_size=4, stride=None, padding=0, ceil_mode=True)
                return conv(a + b + c)
                """,
                "abstract class Net {",
                "    @Conv2d(out = 2, kernel = 1) Conv2dLayer conv;",
                "}")), "test.NetModel");
        // PyTorch 1.13: a and c are 1×1 (overhanging kernels), b is 2×2; a + b + c broadcasts to 2×2
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 2, 2, 2]");
    }

    /** An overhang of more than stride − 1 leaves no output: still KernelTooLarge, with ceil mode's bound. */
    @Test
    void ceilModeStillRejectsAKernelThatLeavesNoOutput() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 3, 3})",
                "abstract class Net {",
                "    @MaxPool2d(stride = 2, ceilMode = true,",
                "               kernel = 5) MaxPool2dLayer pool;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.KERNEL_TOO_LARGE.tag()).inFile(net).onLineContaining("kernel = 5");
        // PyTorch 1.13: MaxPool2d(5, 2, padding=1, ceil_mode=True) and MaxPool2d(4, 2, ceil_mode=True) on 3 give 1
        assertThat(c).hadErrorContaining("required: effective kernel ≤ input + 2·padding + stride − 1 = 4 (ceil mode)");
        assertThat(c).hadErrorContaining("hint    : set padding = 1, or kernel = 4");
        assertThat(c).hadErrorCount(1);
    }

    // ------------------------------------------------------------------------------------------ exact arithmetic

    /** The issue: kernel 5 with dilation 1,073,741,825 wrapped to an effective kernel of 5 and compiled. */
    @Test
    void aDilationBeyondAnyTensorIsALocatedErrorNotAWrap() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 5,",
                "            dilation = 1073741825) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("[ShapeProof/SizeOverflow] conv: dilation = 1,073,741,825 makes the kernel "
                + "larger than any tensor").inFile(net).onLineContaining("dilation = 1073741825");
        assertThat(c).hadErrorContaining("effective kernel d·(k−1)+1 = 1,073,741,825·(5−1)+1 = 4,294,967,301");
        assertThat(c).hadErrorContaining("hint    : set dilation = 1, the largest that fits the input");
        assertThat(c).hadErrorCount(1);
    }

    /** c000009: the same for a pool, PyTorch's "Output size is too small". It used to end in Internal. */
    @Test
    void aPoolDilationBeyondAnyTensorIsALocatedError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {10, 8, 3})",
                "abstract class Net {",
                "    @MaxPool2d(kernel = 3, stride = 1, padding = 1,",
                "               dilation = 1100000000) MaxPool2dLayer pool1;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("pool1: dilation = 1,100,000,000 makes the kernel larger than any tensor")
                .inFile(net).onLineContaining("dilation = 1100000000");
        assertThat(c).hadErrorContaining("= 2,200,000,001");
        assertThat(c).hadErrorCount(1);
    }

    /** c000263: padding = 2147483647 ended in Internal; PyTorch fails too (no descriptor for it). */
    @Test
    void aPaddingBeyondAnyTensorIsALocatedError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 11, 11})",
                "abstract class Net {",
                "    @Conv2d(in = 1, out = 8, kernel = 4,",
                "            padding = 2147483647) Conv2dLayer conv1;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("conv1: padding = 2,147,483,647 makes the padded input larger than any "
                + "tensor").inFile(net).onLineContaining("padding = 2147483647");
        assertThat(c).hadErrorContaining("input + 2·padding = 11 + 2·2,147,483,647 = 4,294,967,305");
        assertThat(c).hadErrorCount(1);
    }

    /** The issue's interpolate(x, scale_factor=1000000000): PyTorch's "Storage size calculation overflowed". */
    @Test
    void aScaleFactorBeyondAnyTensorIsALocatedError() {
        JavaFileObject net = DslDiagnostics.model("Net", "{1, 8, 8}", """
                x = interpolate(conv(x), scale_factor=1000000000)
                return x
                """,
                "abstract class Net {",
                "    @Conv2d(out = 2, kernel = 1) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        String message = DslDiagnostics.assertDslError(c, Message.SIZE_OVERFLOW, 1, 26,
                "x = interpolate(conv(x), scale_factor=1000000000)",
                "                         ^^^^^^^^^^^^^^^^^^^^^^^");
        assertThat(message).contains("interpolate: scale_factor = 1,000,000,000 makes the output larger than any "
                + "tensor");
        assertThat(message).contains("output [-1, 2, 8,000,000,000, 8,000,000,000], a dimension of 8,000,000,000");
        assertThat(c).hadErrorCount(1);
    }

    /** Dimensions within an int whose product is no tensor: 2·10⁹ channels of 1000×1000. */
    @Test
    void anOutputBeyondAnyTensorNamesTheAttributeThatMadeIt() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 1000, 1000})",
                "abstract class Net {",
                "    @Conv2d(kernel = 1,",
                "            out = 2000000000) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("conv: out = 2,000,000,000 makes the output larger than any tensor")
                .inFile(net).onLineContaining("out = 2000000000");
        assertThat(c).hadErrorContaining("2,000,000,000,000,000 elements per sample");
        assertThat(c).hadErrorCount(1);
    }

    /** A flatten to more features than an int holds used to be Math.toIntExact's exception, an Internal error. */
    @Test
    void aFlattenBeyondAnyTensorIsALocatedError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {65536, 65536, 1})",
                "abstract class Net {",
                "    @Flatten FlattenLayer flat;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("flat: flattening 65536×65536×1 makes the output larger than any tensor");
        assertThat(c).hadErrorContaining("a dimension of 4,294,967,296");
        assertThat(c).hadErrorCount(1);
    }

    // ------------------------------------------------------------------------------------------ Dropout2d, lints

    /** c000145: Dropout2d after the classifier's flatten; PyTorch 1.13 warns and runs it. It was a RankMismatch. */
    @Test
    void dropout2dOnFeaturesIsALintNamingDropout() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {4, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 1, stride = 3, padding = 1, groups = 2) Conv2dLayer conv1;",
                "    @Flatten FlattenLayer flat1;",
                "    @Linear(out = 9) LinearLayer fc1;",
                "    @Dropout2d(p = 0.2) Dropout2dLayer drop_flat;",
                "    @Linear(out = 6) LinearLayer fc2;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("[ShapeProof/Dropout2dNotImage] drop_flat: Dropout2d on the rank-2 input "
                + "[-1, 9]").inFile(net).onLineContaining("drop_flat");
        assertThat(c).hadWarningContaining("hint    : use @Dropout (DropoutLayer) for features");
        assertThat(c).hadWarningCount(1);
    }

    /** c000044: dropout2d(x.view(-1, 64)) runs as plain dropout, which is what PyTorch does to a 2-D input. */
    @Test
    void dropout2dFunctionOnFeaturesRunsAsDropout() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{1, 8, 8}", """
                x = F.dropout2d(x.view(-1, 64), training=self.training)
                x = lrelu1(x)
                return x
                """,
                "abstract class Net {",
                "    @LeakyReLU(slope = 0.2) LeakyReLULayer lrelu1;",
                "}"));
        String warning = DslDiagnostics.assertDslWarning(c, Message.DROPOUT2D_NOT_IMAGE, 1, 5,
                "x = F.dropout2d(x.view(-1, 64), training=self.training)",
                "    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^");
        assertThat(warning).contains("hint    : use dropout(x) for features");
        // the generated statements, without the DSL lines quoted above them as comments
        String code = GeneratedShapes.source(c, "test.NetModel").lines()
                .filter(line -> !line.strip().startsWith("//") && !line.strip().startsWith("*"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(code).contains("F.dropout(");
        assertThat(code).doesNotContain("F.dropout2d(");
    }

    @Test
    void linearOnAFeatureMapIsALint() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {2, 3, 5})",
                "abstract class Net {",
                "    @Linear(in = 5, out = 7) LinearLayer fc;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("[ShapeProof/LinearOnFeatureMap] fc: Linear on the 4-D feature map "
                + "[-1, 2, 3, 5] acts on its last axis only").inFile(net).onLineContaining("LinearLayer fc");
        assertThat(c).hadWarningContaining("fc maps each of its 6 rows of 5 pixels");
        assertThat(c).hadWarningContaining("add @Flatten before fc and set in = 30");
        assertThat(c).hadWarningCount(1);
    }

    /** The suppression forms: the id on the class or on the field, "ShapeProof" for all; another id does not. */
    @Test
    void lintsAreSuppressedPerModel() {
        for (String[] where : new String[][] {
            {"@SuppressWarnings(\"ShapeProof/LinearOnFeatureMap\")", ""},
            {"@SuppressWarnings(\"ShapeProof\")", ""},
            {"@SuppressWarnings({\"unchecked\", \"ShapeProof/LinearOnFeatureMap\"})", ""},
            {"", "@SuppressWarnings(\"ShapeProof/LinearOnFeatureMap\")"}}) {
            Compilation c = Sources.compile(Sources.model("Net",
                    where[0],
                    "@Model(input = {2, 3, 5})",
                    "abstract class Net {",
                    "    " + where[1] + " @Linear(in = 5, out = 7) LinearLayer fc;",
                    "}"));
            assertThat(c).succeededWithoutWarnings();
        }
        Compilation other = Sources.compile(Sources.model("Net",
                "@SuppressWarnings(\"ShapeProof/SoftmaxOverBatch\")",
                "@Model(input = {2, 3, 5})",
                "abstract class Net {",
                "    @Linear(in = 5, out = 7) LinearLayer fc;",
                "}"));
        assertThat(other).hadWarningContaining(Message.LINEAR_ON_FEATURE_MAP.tag());
        assertThat(other).hadWarningCount(1);
    }

    @Test
    void softmaxOverTheBatchIsALint() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {10})",
                "abstract class Net {",
                "    @Linear(out = 4) LinearLayer fc;",
                "    @Softmax(",
                "            dim = 0) SoftmaxLayer softmax;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("[ShapeProof/SoftmaxOverBatch] softmax: softmax over dim = 0 normalises "
                + "across the samples of the batch").inFile(net).onLineContaining("dim = 0");
        assertThat(c).hadWarningContaining("required: 1 ≤ dim ≤ 1");
        assertThat(c).hadWarningCount(1);

        Compilation dsl = Sources.compile(DslDiagnostics.model("Net", "{10}", """
                return F.log_softmax(fc(x), dim=-2)
                """,
                "abstract class Net {",
                "    @Linear(out = 4) LinearLayer fc;",
                "}"));
        DslDiagnostics.assertDslWarning(dsl, Message.SOFTMAX_OVER_BATCH, 1, 29, "return F.log_softmax(fc(x), dim=-2)",
                "                            ^^^^^^");
    }

    // --------------------------------------------------------------------------------------- cat along the batch

    /** cat without dim joins batches: PyTorch runs it, [2N, 2, 4, 4]; the lint says dim=1 was probably meant. */
    @Test
    void catWithoutDimIsALintAndJoinsBatches() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{2, 4, 4}", """
                y = cat([conv(x), x])
                return relu(y)
                """,
                "abstract class Net {",
                "    @Conv2d(out = 2, kernel = 3, padding = 1) Conv2dLayer conv;",
                "}"));
        String warning = DslDiagnostics.assertDslWarning(c, Message.CAT_OVER_BATCH, 1, 5, "y = cat([conv(x), x])",
                "    ^^^^^^^^^^^^^^^^^");
        assertThat(warning).contains("the result holds 2 batches of samples");
        assertThat(warning).contains("found   : 2 inputs 2×4×4 per sample, no dim (PyTorch's default 0)");
        assertThat(warning).doesNotContain("dim = 0 is out of range");
        assertThat(GeneratedShapes.source(c, "test.NetModel")).contains("OUTPUT_SHAPE = TensorShape.of(-1, 2, 4, 4)");
    }

    /** Two batches plus one: PyTorch's "The size of tensor a (6) must match the size of tensor b (3)". */
    @Test
    void addingABatchCatToOneBatchIsAnError() {
        JavaFileObject net = DslDiagnostics.model("Net", "{2, 4, 4}", """
                y = cat([x, x], dim=0)
                return y + x
                """,
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        String message = DslDiagnostics.error(c, Message.ADD_MISMATCH);
        assertThat(message).contains("(axis 0: 2 batches vs one batch)");
        assertThat(c).hadErrorCount(1);
    }

    /** The issue: a cat without dim whose other axes differ said "found: dim = 0" and "required: -3 ≤ dim ≤ 3". */
    @Test
    void catWithoutDimReportsWhatWasWritten() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{2, 4, 4}", """
                return cat([conv(x), x])
                """,
                "abstract class Net {",
                "    @Conv2d(out = 3, kernel = 3, padding = 1) Conv2dLayer conv;",
                "}"));
        String message = DslDiagnostics.error(c, Message.CAT_MISMATCH);
        assertThat(message).contains("cat along dim 0 needs equal sizes on every other axis, but input 1 differs on "
                + "axis 1");
        assertThat(message).contains("hint    : cat without dim joins along dim 0, the batch: add dim=1 to join "
                + "axis 1");
        assertThat(message).doesNotContain("dim = 0");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void catDimOutOfRangeSaysTheRangeOfItsRank() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{2, 4, 4}", """
                return cat([x, x], dim=4)
                """,
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}"));
        String message = DslDiagnostics.error(c, Message.DIM_OUT_OF_RANGE);
        assertThat(message).contains("found   : dim = 4");
        assertThat(message).contains("required: -4 ≤ dim ≤ 3");
    }

    /** [-1, 1, 4, 4] + [-1, 16] broadcast the batch into axis 2 (PyTorch: [N, 1, N, 16]); it used to be Internal. */
    @Test
    void addingOperandsOfDifferentRanksIsAnError() {
        JavaFileObject net = DslDiagnostics.model("Net", "{1, 4, 4}", """
                y = x.view(-1, 16)
                z = adaptive_avg_pool2d(x, (1, 16))
                return z + y
                """,
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        String message = DslDiagnostics.error(c, Message.ADD_MISMATCH);
        assertThat(message).contains("(axis 2: 1 vs the batch)");
        assertThat(message).contains("so the batch axis of the second meets a sample axis of the other");
        assertThat(c).hadErrorCount(1);
    }

    /** view(-1, 8) of 16 elements per sample splits each sample into two rows; the hint said it folds samples. */
    @Test
    void aViewThatSplitsSamplesSaysSo() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{1, 4, 4}", """
                return fc(x.view(-1, 8))
                """,
                "abstract class Net {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}"));
        String message = DslDiagnostics.error(c, Message.VIEW_MISMATCH);
        assertThat(message).contains("hint    : this would split each sample into 2 rows and change the batch size; "
                + "use view(-1, 16)");
    }

    // ----------------------------------------------------------------------- views of permuted tensors (false accept)

    /**
     * The known discrepancy "view-of-non-contiguous": a transpose leaves the axes out of order in memory, and PyTorch's
     * view cannot merge them ("view size is not compatible with input tensor's size and stride"); it compiled.
     */
    @Test
    void aViewOfATransposedTensorIsRejected() {
        JavaFileObject net = DslDiagnostics.model("Net", "{3, 2, 2}", """
                t = x.transpose(2, 3)
                return t.view(-1, 12)
                """,
                "abstract class Net {",
                "}");
        Compilation c = Sources.compile(net);
        String message = DslDiagnostics.assertDslError(c, Message.VIEW_STRIDES, 2, 15,
                "return t.view(-1, 12)",
                "              ^^^^^^");
        assertThat(message).contains("view(-1, 12) cannot be a view of [-1, 3, 2, 2] from transpose");
        assertThat(message).contains("found   : [-1, 3, 2, 2] with strides [12, 4, 1, 2]");
        assertThat(message).contains("hint    : use .reshape(...) or .contiguous().view(...)");
        assertThat(c).hadErrorCount(1);
    }

    /** What PyTorch runs of the same: reshape and contiguous() copy, flatten copies, a view keeping the axes fits. */
    @Test
    void reshapesAndViewsThatFitThePermutedStridesCompile() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(DslDiagnostics.model("Net", "{3, 2, 2}", """
                t = x.transpose(2, 3)
                a = t.reshape(-1, 12)
                b = t.contiguous().view(-1, 12)
                c = torch.flatten(t, 1).view(-1, 12)
                d = t.view(-1, 3, 2, 1, 2).view(-1, 3, 2, 2)
                return torch.cat([a, b, c, d.reshape(-1, 12)], 1)
                """,
                "abstract class Net {",
                "}")), "test.NetModel");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 48]");
    }

    /** Transposing two axes of size 1 moves no element: PyTorch views the result as it would the input. */
    @Test
    void aViewAfterTransposingAxesOfSizeOneCompiles() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(DslDiagnostics.model("Net", "{1, 1, 12}",
                """
                return x.transpose(1, 2).view(-1, 12)
                """,
                "abstract class Net {",
                "}")), "test.NetModel");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 12]");
    }

    /** Channels last, then rows and columns merged into tokens: those two axes still lie in order, as in ViT. */
    @Test
    void aViewMergingAxesAPermuteLeftInOrderCompiles() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(DslDiagnostics.model("Net", "{3, 2, 2}", """
                return x.permute(0, 2, 3, 1).view(-1, 4, 3)
                """,
                "abstract class Net {",
                "}")), "test.NetModel");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 4, 3]");
    }

    /** Not so the channels and rows swapped: the rows then lie apart from the columns, which a view cannot merge. */
    @Test
    void aViewMergingAxesAPermuteSeparatedIsRejected() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{3, 2, 2}", """
                return x.permute(0, 2, 1, 3).view(-1, 2, 6)
                """,
                "abstract class Net {",
                "}"));
        String message = DslDiagnostics.error(c, Message.VIEW_STRIDES);
        assertThat(message).contains("with strides [12, 2, 4, 1]");
        assertThat(c).hadErrorCount(1);
    }

    /**
     * c001005: ConvNeXt's LayerNorm over channels (permute, layer_norm, permute back) leaves the map channels last;
     * pooling, tanh and interpolate keep that layout, as PyTorch's kernels do, so the final view cannot merge C, H, W.
     */
    @Test
    void aChannelsLastMapKeepsItsLayoutThroughImageOpsUpToTheView() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{6, 12, 12}", """
                t1 = permute(x, (0, 2, 3, 1))
                t1 = layer_norm(t1, (6,), eps=1e-06)
                h2 = t1.permute(0, 3, 1, 2)
                h2 = avg1(h2)
                out3 = tanh(h2)
                out3 = interpolate(out3, scale_factor=0.5, mode='bilinear')
                t4 = gap1(out3)
                t4 = interpolate(t4, size=10, mode='bilinear', align_corners=False)
                t4 = t4.view(-1, 600)
                return t4
                """,
                "abstract class Net {",
                "    @AvgPool2d(kernel = {2, 5}, padding = {0, 1}) AvgPool2dLayer avg1;",
                "    @AdaptiveAvgPool2d(output = 4) AdaptiveAvgPool2dLayer gap1;",
                "}"));
        String message = DslDiagnostics.error(c, Message.VIEW_STRIDES);
        assertThat(message).contains("with strides [600, 1, 60, 6]");
        assertThat(c).hadErrorCount(1);
    }

    /**
     * c003500 (seed 23): two convolutions of a channels-last map are channels last, and {@code cat} keeps that layout
     * when every input has it, as {@code torch.cat} does; with one contiguous input it writes a contiguous result.
     */
    @Test
    void catOfChannelsLastMapsIsChannelsLast() {
        String head = """
                t1 = torch.permute(x, (0, 2, 3, 1))
                t1 = torch.layer_norm(t1, (6,))
                x = t1.permute(0, 3, 1, 2)
                b2 = self.conv1(x)
                """;
        String[] fields = {
                "abstract class Net {",
                "    @Conv2d(in = 6, out = 7, kernel = 1) Conv2dLayer conv1;",
                "    @Conv2d(in = 6, out = 7, kernel = 3, autoPad = Padding.SAME, dilation = 2) Conv2dLayer conv2;",
                "    @Mish MishLayer mish1;",
                "    @LeakyReLU(slope = 0.2) LeakyReLULayer lrelu1;",
                "}"};
        Compilation bothChannelsLast = Sources.compile(DslDiagnostics.model("Net", "{6, 8, 8}", head + """
                b3 = self.conv2(x)
                x = cat([b2, b3], dim=-3)
                x = self.lrelu1(mish1(relu(x)))
                return x.view(-1, 896)
                """, fields));
        assertThat(DslDiagnostics.error(bothChannelsLast, Message.VIEW_STRIDES))
                .contains("with strides [896, 1, 112, 14]");
        assertThat(bothChannelsLast).hadErrorCount(1);

        Compilation oneContiguous = Sources.compile(DslDiagnostics.model("Net", "{6, 8, 8}", head + """
                b3 = self.conv2(x.contiguous())
                x = cat([b2, b3], dim=-3)
                x = self.lrelu1(mish1(relu(x)))
                return x.view(-1, 896)
                """, fields));
        assertThat(oneContiguous).succeeded();
    }

    /**
     * c001880 (seed 23): an activation of a tensor with gaps (narrowed, then transposed) is written densely in the
     * order of its input's strides, as TensorIterator does, so H and W stay swapped in memory and the view is refused.
     */
    @Test
    void anActivationOfATensorWithGapsKeepsItsAxisOrder() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{3, 7, 7}", """
                t1 = torch.narrow(x, 1, 2, 1)
                t1 = transpose(t1, 2, 3)
                t1 = sig1(t1)
                t1 = hardswish(t1)
                return t1.view(t1.size(0), 1, 49)
                """,
                "abstract class Net {",
                "    @Sigmoid SigmoidLayer sig1;",
                "}"));
        assertThat(DslDiagnostics.error(c, Message.VIEW_STRIDES)).contains("with strides [49, 49, 1, 7]");
        assertThat(c).hadErrorCount(1);
    }

    /** An activation keeps a transposed layout; a pooling of a map that is not channels last writes a fresh one. */
    @Test
    void activationsKeepTheLayoutPoolingRenews() {
        Compilation kept = Sources.compile(DslDiagnostics.model("Net", "{3, 2, 2}", """
                return relu(x.transpose(2, 3)).view(-1, 12)
                """,
                "abstract class Net {",
                "}"));
        assertThat(DslDiagnostics.error(kept, Message.VIEW_STRIDES)).contains("with strides [12, 4, 1, 2]");
        assertThat(kept).hadErrorCount(1);
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(DslDiagnostics.model("Net", "{3, 2, 2}", """
                return max_pool2d(x.transpose(2, 3), 1).view(-1, 12)
                """,
                "abstract class Net {",
                "}")), "test.NetModel");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 12]");
    }

    /** c001157: a narrow of the rows leaves gaps between them, which a view of the whole sample cannot span. */
    @Test
    void aViewOfANarrowedMapIsRejected() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{3, 8, 8}", """
                x = narrow(x, 2, 2, 5)
                return x.view(-1, 120)
                """,
                "abstract class Net {",
                "}"));
        assertThat(DslDiagnostics.error(c, Message.VIEW_STRIDES)).contains("with strides [192, 64, 8, 1]");
        assertThat(c).hadErrorCount(1);
    }

    /** Slices and chunks of whole channels, one channel picked, every other row split apart: views PyTorch allows. */
    @Test
    void viewsOfSlicesCompileWhereTheirStridesFit() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(DslDiagnostics.model("Net", "{3, 8, 8}", """
                a = x[:, 1:3].view(-1, 128)
                b = x[:, 0].view(-1, 64)
                c = x.chunk(3, 1)[1].view(-1, 64)
                d = x[:, :, ::2].view(-1, 3, 4, 2, 4)
                return torch.cat([a, b, c, d.reshape(-1, 96)], 1)
                """,
                "abstract class Net {",
                "}")), "test.NetModel");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 352]");
        Compilation stepped = Sources.compile(DslDiagnostics.model("Net", "{3, 8, 8}", """
                return x[:, :, ::2].view(-1, 96)
                """,
                "abstract class Net {",
                "}"));
        assertThat(DslDiagnostics.error(stepped, Message.VIEW_STRIDES)).contains("with strides [192, 64, 16, 1]");
    }

    /** An expanded axis reads one element again and again (stride 0): it cannot merge with the axis before it. */
    @Test
    void aViewMergingAnExpandedAxisIsRejected() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{3, 1, 1}", """
                e = x.expand(-1, -1, -1, 4)
                s = e.view(-1, 3, 2, 2)
                return e.view(-1, 12)
                """,
                "abstract class Net {",
                "}"));
        String message = DslDiagnostics.error(c, Message.VIEW_STRIDES);
        assertThat(message).contains("view(-1, 12) cannot be a view of [-1, 3, 1, 4] from expand");
        assertThat(message).contains("with strides [3, 1, 1, 0]");
        assertThat(c).hadErrorCount(1);
    }

    // ------------------------------------------------------------------------------- activations as tensor methods

    /**
     * c001349 (seed 1, after the generator learned squeeze-and-excitation gates): {@code s.sigmoid()}, which PyTorch
     * has as a method of every tensor, was UnknownName; so were {@code x.relu()} and {@code x.tanh()}.
     */
    @Test
    void activationsAreTensorMethodsToo() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(DslDiagnostics.model("Net", "{1, 4, 4}", """
                x = conv1(x)
                s1 = x.mean((2, 3), keepdim=True)
                x = x * s1.sigmoid() + x.relu() - x.tanh()
                h2 = x.reshape(x.size(0), -1)
                return h2
                """,
                "abstract class Net {",
                "    @Conv2d(in = 1, out = 5, kernel = 2, autoPad = Padding.SAME) Conv2dLayer conv1;",
                "}")), "test.NetModel");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 80]");
    }
}
