package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.shapeproof.processor.DslDiagnostics.assertDslError;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The broken variants of the examples: each example compiles as written, and one realistic slip in it fails
 * with exactly one error that names the DSL line and column where the shapes stop fitting.
 */
class DslExamplesTest {

    @Test
    void everyExampleCompilesWithoutWarnings() {
        assertThat(Sources.compile(DslExamples.source("SeedNet", DslExamples.SEED_NET))).succeededWithoutWarnings();
        assertThat(Sources.compile(DslExamples.source("AsppHead", DslExamples.ASPP_HEAD))).succeededWithoutWarnings();
        assertThat(Sources.compile(DslExamples.source("SmallResNet", DslExamples.SMALL_RES_NET)))
                .succeededWithoutWarnings();
        assertThat(Sources.compile(DslExamples.source("ImageAndMask", DslExamples.IMAGE_AND_MASK)))
                .succeededWithoutWarnings();
    }

    /** Wrong concat size: ASPP's image-pooling branch upsampled to 32×32 instead of 33×33. */
    @Test
    void asppWithTheImagePoolingBranchUpsampledToTheWrongSize() {
        JavaFileObject aspp = DslExamples.source("AsppHead", DslExamples.breakLine(DslExamples.ASPP_HEAD,
                "        b4 = interpolate(b4, size=(33, 33), mode='bilinear', align_corners=False)",
                "        b4 = interpolate(b4, size=(32, 32), mode='bilinear', align_corners=False)"));
        Compilation c = Sources.compile(aspp);
        assertThat(c).hadErrorContaining(Message.CAT_MISMATCH.tag()).inFile(aspp).onLineContaining("forward");
        String message = assertDslError(c, Message.CAT_MISMATCH, 8, 5,
                "y = cat([b0, b1, b2, b3, b4], dim=1)",
                "    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^");
        assertThat(message).contains(
                "cat: cat along dim 1 needs equal sizes on every other axis, but input 4 differs on axis 2");
        assertThat(message).contains("found   : input 0 [-1, 32, 33, 33] from relu (ReLU), input 4 [-1, 32, 32, 32] "
                + "from interpolate");
        assertThat(message).contains("required: axis 2 of size 33 in every input");
        assertThat(message).contains("hint    : resize it to 33×33 first (interpolate(..., size=(33, 33)))");
        assertThat(c).hadErrorCount(1);
    }

    /**
     * Missing downsample: block 2's skip connection is the unstrided input (16 channels, 32×32) while its main path is
     * stride 2 (32 channels, 16×16). The user removed the downsample layers with the call, as one would.
     */
    @Test
    void resNetWithoutTheDownsample() {
        String broken = DslExamples.breakLine(DslExamples.SMALL_RES_NET,
                "        identity = self.block2_down_bn(self.block2_down(x))",
                "        identity = x");
        broken = DslExamples.breakLine(broken,
                "    @Conv2d(in = 16, out = 32, kernel = 1, stride = 2, bias = false)    Conv2dLayer block2_down;", "");
        broken = DslExamples.breakLine(broken,
                "    @BatchNorm2d                                                        BatchNorm2dLayer block2_down_bn;",
                "");
        JavaFileObject resnet = DslExamples.source("SmallResNet", broken);
        Compilation c = Sources.compile(resnet);
        assertThat(c).hadErrorContaining(Message.ADD_MISMATCH.tag()).inFile(resnet).onLineContaining("forward");
        String message = assertDslError(c, Message.ADD_MISMATCH, 12, 1,
                "out += identity",
                "^^^^^^^^^^^^^^^");
        assertThat(message).contains("found   : [-1, 32, 16, 16] from block2_bn2 (BatchNorm2d) + [-1, 16, 32, 32] "
                + "from relu (ReLU) (axis 3: 16 vs 32)");
        assertThat(message).contains("hint    : one path downsamples (16×16 vs 32×32): give the other, the skip "
                + "connection, a stride-2 1×1 conv as its downsample, as ResNet's BasicBlock does");
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningCount(0);
    }

    /** The same slip with the downsample layers still declared: one error, and a warning for each forgotten layer. */
    @Test
    void resNetWithTheDownsampleDeclaredButNotCalled() {
        JavaFileObject resnet = DslExamples.source("SmallResNet", DslExamples.breakLine(DslExamples.SMALL_RES_NET,
                "        identity = self.block2_down_bn(self.block2_down(x))",
                "        identity = x"));
        Compilation c = Sources.compile(resnet);
        assertThat(c).hadErrorContaining(Message.ADD_MISMATCH.tag()).inFile(resnet).onLineContaining("forward");
        assertDslError(c, Message.ADD_MISMATCH, 12, 1,
                "out += identity",
                "^^^^^^^^^^^^^^^");
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningContaining("forward never calls the layer block2_down\n").inFile(resnet)
                .onLineContaining("Conv2dLayer block2_down;");
        assertThat(c).hadWarningContaining("forward never calls the layer block2_down_bn").inFile(resnet)
                .onLineContaining("BatchNorm2dLayer block2_down_bn;");
        assertThat(c).hadWarningCount(2);
    }

    /** Wrong view: 20×4×4 = 320 elements per sample, viewed as 300. */
    @Test
    void seedNetWithTheWrongView() {
        JavaFileObject seed = DslExamples.source("SeedNet", DslExamples.breakLine(DslExamples.SEED_NET,
                "        x = x.view(-1, 320)",
                "        x = x.view(-1, 300)"));
        Compilation c = Sources.compile(seed);
        assertThat(c).hadErrorContaining(Message.VIEW_MISMATCH.tag()).inFile(seed).onLineContaining("forward");
        String message = assertDslError(c, Message.VIEW_MISMATCH, 3, 12,
                "x = x.view(-1, 300)",
                "           ^^^^^^^");
        assertThat(message).contains("view: view(-1, 300) does not hold one sample's 320 elements");
        assertThat(message).contains("found   : [-1, 20, 4, 4] of 20×4×4 = 320 elements per sample");
        assertThat(message).contains("required: sizes whose product is 320");
        assertThat(message).contains("hint    : the sizes must multiply to 320, e.g. view(-1, 320)");
        assertThat(c).hadErrorCount(1);
    }

    /** The two-input model with a half-size mask: the concat of the encoded image and mask names input 1, axis 2. */
    @Test
    void imageAndMaskWithAMaskOfTheWrongSize() {
        String broken = DslExamples.IMAGE_AND_MASK.replace(
                "@Input(name = \"mask\", shape = {1, 32, 32})", "@Input(name = \"mask\", shape = {1, 16, 16})");
        assertThat(broken).isNotEqualTo(DslExamples.IMAGE_AND_MASK);
        JavaFileObject model = DslExamples.source("ImageAndMask", broken);
        Compilation c = Sources.compile(model);
        assertThat(c).hadErrorContaining(Message.CAT_MISMATCH.tag()).inFile(model).onLineContaining("forward");
        String message = assertDslError(c, Message.CAT_MISMATCH, 3, 8,
                "both = cat([features, guide], dim=1)",
                "       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^");
        assertThat(message).contains("but input 1 differs on axis 2");
        assertThat(message).contains("input 1 [-1, 4, 16, 16] from sigmoid (Sigmoid)");
        assertThat(message).contains("required: axis 2 of size 32 in every input");
        assertThat(c).hadErrorCount(1);
    }
}
