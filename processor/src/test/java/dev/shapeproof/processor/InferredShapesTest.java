package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Positive compilations: the processor accepts valid models and infers PyTorch's shapes. Expected shapes were computed
 * by hand with PyTorch's formulas and checked against torch 1.13 (tools/shape/check_shape_rules.py covers the rules).
 */
class InferredShapesTest {

    @Test
    void seedMnistNetAsASequentialModel() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(Sources.model("Net",
                "@Model(input = {1, 28, 28})",
                "abstract class Net {",
                "    @Conv2d(in = 1, out = 10, kernel = 5) Conv2dLayer conv1;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool1;",
                "    @ReLU ReLULayer relu1;",
                "    @Conv2d(in = 10, out = 20, kernel = 5) Conv2dLayer conv2;",
                "    @Dropout2d Dropout2dLayer conv2_drop;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool2;",
                "    @ReLU ReLULayer relu2;",
                "    @Flatten FlattenLayer flatten;",
                "    @Linear(in = 320, out = 50) LinearLayer fc1;",
                "    @ReLU ReLULayer relu3;",
                "    @Dropout DropoutLayer dropout;",
                "    @Linear(in = 50, out = 10) LinearLayer fc2;",
                "    @LogSoftmax(dim = 1) LogSoftmaxLayer logSoftmax;",
                "}")), "test.NetModel");

        assertThat(shapes).containsExactly(
                "INPUT_SHAPE", "[-1, 1, 28, 28]",
                "CONV1_OUTPUT_SHAPE", "[-1, 10, 24, 24]",
                "POOL1_OUTPUT_SHAPE", "[-1, 10, 12, 12]",
                "RELU1_OUTPUT_SHAPE", "[-1, 10, 12, 12]",
                "CONV2_OUTPUT_SHAPE", "[-1, 20, 8, 8]",
                "CONV2_DROP_OUTPUT_SHAPE", "[-1, 20, 8, 8]",
                "POOL2_OUTPUT_SHAPE", "[-1, 20, 4, 4]",
                "RELU2_OUTPUT_SHAPE", "[-1, 20, 4, 4]",
                "FLATTEN_OUTPUT_SHAPE", "[-1, 320]",
                "FC1_OUTPUT_SHAPE", "[-1, 50]",
                "RELU3_OUTPUT_SHAPE", "[-1, 50]",
                "DROPOUT_OUTPUT_SHAPE", "[-1, 50]",
                "FC2_OUTPUT_SHAPE", "[-1, 10]",
                "LOG_SOFTMAX_OUTPUT_SHAPE", "[-1, 10]",
                "OUTPUT_SHAPE", "[-1, 10]").inOrder();
    }

    @Test
    void dilatedStackWithDilations1248() {
        // Unpadded 3×3 convolutions shrink by d·(k−1) = 2d: 64 → 62 → 58 → 50 → 34.
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(Sources.model("Dilated",
                "@Model(input = {3, 64, 64})",
                "abstract class Dilated {",
                "    @Conv2d(out = 32, kernel = 3) Conv2dLayer d1;",
                "    @Conv2d(out = 32, kernel = 3, dilation = 2) Conv2dLayer d2;",
                "    @Conv2d(out = 32, kernel = 3, dilation = 4) Conv2dLayer d4;",
                "    @Conv2d(out = 32, kernel = 3, dilation = 8) Conv2dLayer d8;",
                "}")), "test.DilatedModel");

        assertThat(shapes).containsAtLeast(
                "D1_OUTPUT_SHAPE", "[-1, 32, 62, 62]",
                "D2_OUTPUT_SHAPE", "[-1, 32, 58, 58]",
                "D4_OUTPUT_SHAPE", "[-1, 32, 50, 50]",
                "D8_OUTPUT_SHAPE", "[-1, 32, 34, 34]",
                "OUTPUT_SHAPE", "[-1, 32, 34, 34]");
    }

    @Test
    void ceilModePoolingDropsAWindowStartingInThePadding() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(Sources.model("Ceil",
                "@Model(input = {4, 11, 11})",
                "abstract class Ceil {",
                // ⌈(11 + 2 − 2) / 2⌉ + 1 = 7, but the 7th window would start at 12 ≥ 11 + 1: PyTorch gives 6.
                "    @MaxPool2d(kernel = 2, stride = 2, padding = 1, ceilMode = true) MaxPool2dLayer pool1;",
                // ⌈(6 − 3) / 2⌉ + 1 = 3 where floor would give 2.
                "    @AvgPool2d(kernel = 3, stride = 2, ceilMode = true, countIncludePad = false) AvgPool2dLayer pool2;",
                "}")), "test.CeilModel");

        assertThat(shapes).containsAtLeast(
                "POOL1_OUTPUT_SHAPE", "[-1, 4, 6, 6]",
                "POOL2_OUTPUT_SHAPE", "[-1, 4, 3, 3]");
    }

    @Test
    void groupedAndDepthwiseConvolutions() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(Sources.model("Grouped",
                "@Model(input = {8, 16, 16})",
                "abstract class Grouped {",
                "    @Conv2d(out = 16, kernel = 3, padding = 1, groups = 4) Conv2dLayer grouped;",
                "    @Conv2d(in = 16, out = 16, kernel = 3, stride = 2, groups = 16) Conv2dLayer depthwise;",
                "    @Conv2d(out = 32, kernel = 1) Conv2dLayer pointwise;",
                "    @BatchNorm2d BatchNorm2dLayer bn;",
                "    @AdaptiveAvgPool2d(output = 1) AdaptiveAvgPool2dLayer pool;",
                "    @Flatten FlattenLayer flatten;",
                "    @Linear(out = 10) LinearLayer fc;",
                "}")), "test.GroupedModel");

        assertThat(shapes).containsAtLeast(
                "GROUPED_OUTPUT_SHAPE", "[-1, 16, 16, 16]",
                "DEPTHWISE_OUTPUT_SHAPE", "[-1, 16, 7, 7]",
                "POINTWISE_OUTPUT_SHAPE", "[-1, 32, 7, 7]",
                "BN_OUTPUT_SHAPE", "[-1, 32, 7, 7]",
                "POOL_OUTPUT_SHAPE", "[-1, 32, 1, 1]",
                "FLATTEN_OUTPUT_SHAPE", "[-1, 32]",
                "FC_OUTPUT_SHAPE", "[-1, 10]");
    }

    @Test
    void samePaddingWithDilationKeepsTheSize() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(Sources.model("Same",
                "@Model(input = {3, 30, 17})",
                "abstract class Same {",
                "    @Conv2d(out = 8, kernel = 3, dilation = 3, autoPad = Padding.SAME) Conv2dLayer same3;",
                // An even kernel: total padding d·(k−1) = 3 is odd, the extra pixel goes bottom/right.
                "    @Conv2d(out = 8, kernel = {4, 2}, autoPad = Padding.SAME) Conv2dLayer sameEven;",
                "    @Conv2d(out = 8, kernel = 3, autoPad = Padding.VALID) Conv2dLayer valid;",
                "}")), "test.SameModel");

        assertThat(shapes).containsAtLeast(
                "SAME3_OUTPUT_SHAPE", "[-1, 8, 30, 17]",
                "SAME_EVEN_OUTPUT_SHAPE", "[-1, 8, 30, 17]",
                "VALID_OUTPUT_SHAPE", "[-1, 8, 28, 15]");
    }

    @Test
    void linearActsOnTheLastDimensionOfAnyRank() {
        // PyTorch's Linear maps [N, C, H, W] to [N, C, H, out] when in = W: legal, so no error; the lint that says it
        // is usually a forgotten flatten is suppressed, as a model that means it would.
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(Sources.model("LastAxis",
                "@SuppressWarnings(\"ShapeProof/LinearOnFeatureMap\")",
                "@Model(input = {2, 3, 5})",
                "abstract class LastAxis {",
                "    @Linear(in = 5, out = 7) LinearLayer fc;",
                "    @Softmax(dim = -1) SoftmaxLayer softmax;",
                "}")), "test.LastAxisModel");

        assertThat(shapes).containsAtLeast("FC_OUTPUT_SHAPE", "[-1, 2, 3, 7]", "OUTPUT_SHAPE", "[-1, 2, 3, 7]");
    }

    @Test
    void featureVectorInput() {
        Map<String, String> shapes = GeneratedShapes.of(Sources.compile(Sources.model("Mlp",
                "@Model(input = {784})",
                "abstract class Mlp {",
                "    @Linear(out = 128) LinearLayer fc1;",
                "    @GELU(approximate = \"tanh\") GELULayer gelu;",
                "    @Linear(out = 10) LinearLayer fc2;",
                "    @Softmax(dim = 1) SoftmaxLayer softmax;",
                "}")), "test.MlpModel");

        assertThat(shapes).containsAtLeast("FC1_OUTPUT_SHAPE", "[-1, 128]", "OUTPUT_SHAPE", "[-1, 10]");
    }
}
