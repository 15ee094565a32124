package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Shapes the processor proves for forward-DSL models, read back from the generated constants: one per input, one per
 * module call, one per output; functional ops (relu, view…) have none.
 */
class DslShapesTest {

    @Test
    void seedNet() {
        Compilation c = Sources.compile(DslExamples.source("SeedNet", DslExamples.SEED_NET));
        Map<String, String> shapes = GeneratedShapes.of(c, "test.SeedNetModel");
        assertThat(shapes).containsExactly(
                "INPUT_SHAPE", "[-1, 1, 28, 28]",
                "CONV1_OUTPUT_SHAPE", "[-1, 10, 24, 24]",
                "CONV2_OUTPUT_SHAPE", "[-1, 20, 8, 8]",
                "CONV2_DROP_OUTPUT_SHAPE", "[-1, 20, 8, 8]",
                "FC1_OUTPUT_SHAPE", "[-1, 50]",
                "FC2_OUTPUT_SHAPE", "[-1, 10]",
                "OUTPUT_SHAPE", "[-1, 10]").inOrder();
    }

    /** Dilated branches padded by their rate keep 33×33; the pooled branch is 1×1 until it is upsampled. */
    @Test
    void asppHead() {
        Compilation c = Sources.compile(DslExamples.source("AsppHead", DslExamples.ASPP_HEAD));
        Map<String, String> shapes = GeneratedShapes.of(c, "test.AsppHeadModel");
        assertThat(shapes).containsEntry("INPUT_SHAPE", "[-1, 64, 33, 33]");
        assertThat(shapes).containsEntry("CONV1_OUTPUT_SHAPE", "[-1, 32, 33, 33]");
        assertThat(shapes).containsEntry("CONV3_OUTPUT_SHAPE", "[-1, 32, 33, 33]");
        assertThat(shapes).containsEntry("CONV_POOL_OUTPUT_SHAPE", "[-1, 32, 1, 1]");
        assertThat(shapes).containsEntry("BN_POOL_OUTPUT_SHAPE", "[-1, 32, 1, 1]");
        // project's in = 160 = 5 branches × 32 channels, checked against the concat.
        assertThat(shapes).containsEntry("PROJECT_OUTPUT_SHAPE", "[-1, 32, 33, 33]");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 32, 33, 33]");
        assertThat(shapes).hasSize(14);
    }

    @Test
    void smallResNet() {
        Compilation c = Sources.compile(DslExamples.source("SmallResNet", DslExamples.SMALL_RES_NET));
        Map<String, String> shapes = GeneratedShapes.of(c, "test.SmallResNetModel");
        assertThat(shapes).containsEntry("CONV1_OUTPUT_SHAPE", "[-1, 16, 32, 32]");
        assertThat(shapes).containsEntry("BLOCK1_BN2_OUTPUT_SHAPE", "[-1, 16, 32, 32]");
        assertThat(shapes).containsEntry("BLOCK2_CONV1_OUTPUT_SHAPE", "[-1, 32, 16, 16]");
        assertThat(shapes).containsEntry("BLOCK2_DOWN_OUTPUT_SHAPE", "[-1, 32, 16, 16]");
        assertThat(shapes).containsEntry("BLOCK2_DOWN_BN_OUTPUT_SHAPE", "[-1, 32, 16, 16]");
        assertThat(shapes).containsEntry("POOL_OUTPUT_SHAPE", "[-1, 32, 1, 1]");
        assertThat(shapes).containsEntry("FC_OUTPUT_SHAPE", "[-1, 10]");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 10]");
    }

    /** Named inputs become forward's parameters in order; two outputs become a record named after them. */
    @Test
    void twoInputsAndTwoOutputs() {
        Compilation c = Sources.compile(DslExamples.source("ImageAndMask", DslExamples.IMAGE_AND_MASK));
        Map<String, String> shapes = GeneratedShapes.of(c, "test.ImageAndMaskModel");
        assertThat(shapes).containsEntry("INPUT_IMAGE_SHAPE", "[-1, 3, 32, 32]");
        assertThat(shapes).containsEntry("INPUT_MASK_SHAPE", "[-1, 1, 32, 32]");
        assertThat(shapes).containsEntry("IMAGE_CONV_OUTPUT_SHAPE", "[-1, 12, 32, 32]");
        assertThat(shapes).containsEntry("MASK_CONV_OUTPUT_SHAPE", "[-1, 4, 32, 32]");
        assertThat(shapes).containsEntry("FUSE_OUTPUT_SHAPE", "[-1, 2, 32, 32]");
        assertThat(shapes).containsEntry("OUTPUT_SEGMENTATION_SHAPE", "[-1, 2, 32, 32]");
        assertThat(shapes).containsEntry("OUTPUT_SCORES_SHAPE", "[-1, 5]");
        assertThat(shapes).doesNotContainKey("OUTPUT_SHAPE");
        String source = GeneratedShapes.source(c, "test.ImageAndMaskModel");
        assertThat(source).contains("public Output forward(INDArray image, INDArray mask)");
        assertThat(source).contains("public record Output(INDArray segmentation, INDArray scores)");
    }

    /** scale_factor multiplies and floors, as PyTorch: 10 × 1.5 = 15, then 15 × 0.5 = 7.5 → 7. */
    @Test
    void interpolateWithScaleFactor() {
        JavaFileObject net = DslDiagnostics.model("Net", "{4, 10, 10}", """
                up = interpolate(conv1(x), scale_factor=1.5, mode='bilinear', align_corners=False)
                down = interpolate(up, scale_factor=0.5)
                return conv2(down)
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @Conv2d(in = 4, out = 2, kernel = 1) Conv2dLayer conv2;",
                "}");
        Compilation c = Sources.compile(net);
        Map<String, String> shapes = GeneratedShapes.of(c, "test.NetModel");
        assertThat(shapes).containsEntry("CONV1_OUTPUT_SHAPE", "[-1, 4, 10, 10]");
        assertThat(shapes).containsEntry("CONV2_OUTPUT_SHAPE", "[-1, 2, 7, 7]");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 2, 7, 7]");
    }

    @Test
    void interpolateWithSize() {
        JavaFileObject net = DslDiagnostics.model("Net", "{4, 10, 10}", """
                y = interpolate(conv1(x), size=(12, 6))
                return y
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(GeneratedShapes.of(c, "test.NetModel")).containsEntry("OUTPUT_SHAPE", "[-1, 4, 12, 6]");
    }

    /**
     * A module called twice shares its weights: both calls get a shape constant (the second one numbered), the layer
     * is constructed and registered once, and forward calls it twice.
     */
    @Test
    void sharedModuleCalledTwice() {
        JavaFileObject net = DslDiagnostics.model("Net", "{4, 10, 10}", """
                a = block(x)
                b = block(relu(a))
                return a + b
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer block;",
                "}");
        Compilation c = Sources.compile(net);
        Map<String, String> shapes = GeneratedShapes.of(c, "test.NetModel");
        assertThat(shapes).containsExactly(
                "INPUT_SHAPE", "[-1, 4, 10, 10]",
                "BLOCK_OUTPUT_SHAPE", "[-1, 4, 10, 10]",
                "BLOCK_OUTPUT_SHAPE_2", "[-1, 4, 10, 10]",
                "OUTPUT_SHAPE", "[-1, 4, 10, 10]").inOrder();
        String source = GeneratedShapes.source(c, "test.NetModel");
        assertThat(count(source, "new Conv2dLayer(\"block\"")).isEqualTo(1);
        assertThat(source).contains("new Modules(this.block)");
        // the second call and the residual add run as one fused call, whose result only the return reads: handed on
        assertThat(count(source, "this.block.forward(")).isEqualTo(1);
        assertThat(count(source, "this.block.forwardKept(")).isEqualTo(1);
    }

    /** A forward copied from PyTorch, with self., F., torch., inplace=, training=, x.size(0) and +=, just works. */
    @Test
    void pytorchForwardPastedAsWritten() {
        JavaFileObject net = DslDiagnostics.model("Net", "{1, 28, 28}", """
                x = F.relu(F.max_pool2d(self.conv1(x), 2))
                identity = x
                out = F.relu(self.conv2(x), inplace=True)
                out += identity
                a = torch.flatten(out, 1)
                b = out.view(out.size(0), -1)
                c = torch.cat((a, b), 1)
                c = nn.functional.dropout(c, p=0.5, training=self.training)
                c = torch.nn.functional.relu(c.reshape((-1, 2880)))
                return F.log_softmax(self.fc(c), dim=1)
                """,
                "abstract class Net {",
                "    @Conv2d(in = 1, out = 10, kernel = 5) Conv2dLayer conv1;",
                "    @Conv2d(in = 10, out = 10, kernel = 3, padding = 1) Conv2dLayer conv2;",
                "    @Linear(in = 2880, out = 10) LinearLayer fc;",
                "}");
        Compilation c = Sources.compile(net);
        Map<String, String> shapes = GeneratedShapes.of(c, "test.NetModel");
        assertThat(shapes).containsExactly(
                "INPUT_SHAPE", "[-1, 1, 28, 28]",
                "CONV1_OUTPUT_SHAPE", "[-1, 10, 24, 24]",
                "CONV2_OUTPUT_SHAPE", "[-1, 10, 12, 12]",
                "FC_OUTPUT_SHAPE", "[-1, 10]",
                "OUTPUT_SHAPE", "[-1, 10]").inOrder();
    }

    /** Every function the issue lists, with PyTorch's positional and keyword forms. */
    @Test
    void everyListedFunctionIsAccepted() {
        JavaFileObject net = DslDiagnostics.model("Net", "{3, 16, 16}", """
                x = relu(conv1(x))
                x = leaky_relu(x, negative_slope=0.2)
                x = gelu(tanh(sigmoid(x)), approximate='tanh')
                x = max_pool2d(x, kernel_size=2, stride=2)
                x = avg_pool2d(x, 2, padding=1, count_include_pad=False)
                x = dropout2d(x, 0.1)
                a = adaptive_avg_pool2d(x, (2, 2))
                b = interpolate(a, size=(5, 5), mode='nearest')
                x = cat([x, b], dim=1)
                x = flatten(x, 1)
                x = dropout(x, p=0.2, training=self.training)
                return softmax(fc(x), dim=1), log_softmax(fc(x), -1)
                """,
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @Linear(out = 10) LinearLayer fc;",
                "}");
        Compilation c = Sources.compile(net);
        Map<String, String> shapes = GeneratedShapes.of(c, "test.NetModel");
        // 16 → pool 8 → avg pool (k 2, p 1) 5; cat of 8 + 8 channels at 5×5 = 400 features.
        assertThat(shapes).containsEntry("FC_OUTPUT_SHAPE", "[-1, 10]");
        assertThat(shapes).containsEntry("OUTPUT_OUTPUT0_SHAPE", "[-1, 10]");
        assertThat(shapes).containsEntry("OUTPUT_OUTPUT1_SHAPE", "[-1, 10]");
        assertThat(GeneratedShapes.source(c, "test.NetModel")).contains("new LinearLayer(\"fc\", 400, 10, true)");
    }

    private static int count(String text, String piece) {
        int count = 0;
        for (int at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1)) {
            count++;
        }
        return count;
    }
}
