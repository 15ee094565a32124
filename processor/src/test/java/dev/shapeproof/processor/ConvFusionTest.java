package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Convolution chains fused at compile time: {@code act(bn(conv(x)) + residual)} becomes one
 * {@code conv.forwardFused(x, bn, residual, slope)} when nothing else reads the chain's intermediates, inside blocks
 * too, and stays apart when something does, or when an op between its first and last node overwrites what the fused
 * call reads.
 */
class ConvFusionTest {
    private static String generated(JavaFileObject source, String model) {
        Compilation compilation = Sources.compile(source);
        assertThat(compilation).succeededWithoutWarnings();
        return GeneratedShapes.source(compilation, "test." + model);
    }

    /** {@code source} with each line's indentation removed, so a test can quote lines of any nesting. */
    private static String stripped(String source) {
        return source.lines().map(String::strip).collect(Collectors.joining("\n"));
    }

    private static String lines(String... lines) {
        return String.join("\n", lines);
    }

    /** torchvision's BasicBlock and Bottleneck, one of each with a downsample. */
    private static JavaFileObject resnet() {
        return Sources.model("FusedResNet",
                "@Model(input = {3, 16, 16}, forward = \"\"\"",
                "        x = self.relu(self.bn1(self.conv1(x)))",
                "        x = self.block2(self.block1(x))",
                "        x = self.bottleneck2(self.bottleneck1(x))",
                "        return x",
                "        \"\"\")",
                "public abstract class FusedResNet {",
                "    @Block(params = \"inplanes: int, planes: int, stride: int = 1, downsample = None\",",
                "            forward = \"\"\"",
                "            identity = x",
                "            out = self.conv1(x)",
                "            out = self.bn1(out)",
                "            out = self.relu(out)",
                "            out = self.conv2(out)",
                "            out = self.bn2(out)",
                "            if self.downsample is not None:",
                "                identity = self.downsample(x)",
                "            out += identity",
                "            out = self.relu(out)",
                "            return out",
                "            \"\"\")",
                "    abstract static class BasicBlock extends NnModule {",
                "        @Init(\"nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)\") Conv2dLayer conv1;",
                "        @Init(\"nn.BatchNorm2d(planes)\") BatchNorm2dLayer bn1;",
                "        @ReLU(inplace = true) ReLULayer relu;",
                "        @Init(\"nn.Conv2d(planes, planes, 3, 1, 1, bias=False)\") Conv2dLayer conv2;",
                "        @Init(\"nn.BatchNorm2d(planes)\") BatchNorm2dLayer bn2;",
                "        @Init(\"downsample\") NnModule downsample;",
                "    }",
                "    @Block(params = \"inplanes: int, width: int, downsample = None\", forward = \"\"\"",
                "            identity = x",
                "            out = self.relu(self.bn1(self.conv1(x)))",
                "            out = self.relu(self.bn2(self.conv2(out)))",
                "            out = self.bn3(self.conv3(out))",
                "            if self.downsample is not None:",
                "                identity = self.downsample(x)",
                "            return self.relu(identity + out)",
                "            \"\"\")",
                "    abstract static class Bottleneck extends NnModule {",
                "        @Init(\"nn.Conv2d(inplanes, width, 1, bias=False)\") Conv2dLayer conv1;",
                "        @Init(\"nn.BatchNorm2d(width)\") BatchNorm2dLayer bn1;",
                "        @Init(\"nn.Conv2d(width, width, 3, 1, 1, bias=False)\") Conv2dLayer conv2;",
                "        @Init(\"nn.BatchNorm2d(width)\") BatchNorm2dLayer bn2;",
                "        @Init(\"nn.Conv2d(width, width * 4, 1, bias=False)\") Conv2dLayer conv3;",
                "        @Init(\"nn.BatchNorm2d(width * 4)\") BatchNorm2dLayer bn3;",
                "        @ReLU(inplace = true) ReLULayer relu;",
                "        @Init(\"downsample\") NnModule downsample;",
                "    }",
                "    @Conv2d(in = 3, out = 8, kernel = 3, padding = 1, bias = false) Conv2dLayer conv1;",
                "    @BatchNorm2d BatchNorm2dLayer bn1;",
                "    @ReLU(inplace = true) ReLULayer relu;",
                "    @Init(\"BasicBlock(8, 8)\") BasicBlock block1;",
                "    @Init(\"BasicBlock(8, 16, 2, nn.Sequential(nn.Conv2d(8, 16, 1, stride=2, bias=False), "
                        + "nn.BatchNorm2d(16)))\") BasicBlock block2;",
                "    @Init(\"Bottleneck(16, 4, nn.Sequential(nn.Conv2d(16, 16, 1, bias=False), nn.BatchNorm2d(16)))\")",
                "    Bottleneck bottleneck1;",
                "    @Init(\"Bottleneck(16, 4)\") Bottleneck bottleneck2;",
                "}");
    }

    @Test
    void basicBlockRunsAsTwoFusedCalls() {
        String source = generated(resnet(), "FusedResNetModel");

        assertThat(source).contains("x = this.conv1.forwardFused(x, this.bn1, null, 0f);");
        assertThat(stripped(source)).contains(lines(
                "// identity = x",
                "INDArray identity = x;",
                "// out = self.conv1(x)",
                "// out = self.bn1(out)",
                "// out = self.relu(out)",
                "ConvActivation outKept = this.conv1.forwardKept(x, this.bn1, null, 0f);",
                "// out = self.conv2(out)",
                "// out = self.bn2(out)",
                "// if self.downsample is not None:",
                "// out += identity",
                "// out = self.relu(out)",
                "workspace.computeResult();",
                "INDArray out = this.conv2.forwardFused(outKept, this.bn2, identity, 0f);",
                "// return out",
                "return workspace.result(out);"));
        // With a downsample, the skip connection is computed first, then read by the fused call.
        assertThat(stripped(source)).contains(lines(
                "// identity = self.downsample(x)",
                "identity = this.downsample.forward(x);",
                "// out += identity",
                "// out = self.relu(out)",
                "workspace.computeResult();",
                "INDArray out = this.conv2.forwardFused(outKept, this.bn2, identity, 0f);"));
        assertThat(source).doesNotContain("bn1.forward(");
        assertThat(source).doesNotContain("bn2.forward(");
        assertThat(source).doesNotContain("F.add(");
    }

    /** Each convolution but the last hands its result on to the next, in the layout oneDNN wrote it ({@code outKept}). */
    @Test
    void bottleneckRunsAsThreeFusedCallsWithTheResidualOnEitherSide() {
        String source = generated(resnet(), "FusedResNetModel");

        assertThat(stripped(source)).contains(lines(
                "// out = self.relu(self.bn1(self.conv1(x)))",
                "ConvActivation outKept = this.conv1.forwardKept(x, this.bn1, null, 0f);",
                "// out = self.relu(self.bn2(self.conv2(out)))",
                "outKept = this.conv2.forwardKept(outKept, this.bn2, null, 0f);",
                "// out = self.bn3(self.conv3(out))",
                "// if self.downsample is not None:",
                "// identity = self.downsample(x)",
                "identity = this.downsample.forward(x);",
                "// return self.relu(identity + out)",
                "workspace.computeResult();",
                "return workspace.result(this.conv3.forwardFused(outKept, this.bn3, identity, 0f));"));
        // Without a downsample the skip connection is the block's input, read by the name the text gives it.
        assertThat(stripped(source)).contains(lines(
                "// if self.downsample is not None:",
                "// return self.relu(identity + out)",
                "workspace.computeResult();",
                "return workspace.result(this.conv3.forwardFused(outKept, this.bn3, identity, 0f));"));
        assertThat(source).doesNotContain("bn3.forward(");
    }

    @Test
    void aChainStopsAtAnIntermediateReadTwice() {
        String source = generated(DslDiagnostics.model("Net", "{3, 8, 8}", """
                y = bn1(conv1(x))
                a = conv2(x)
                return relu(y) + y + relu(bn2(a)) + a
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @BatchNorm2d BatchNorm2dLayer bn1;",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv2;",
                "    @BatchNorm2d BatchNorm2dLayer bn2;",
                "}"), "NetModel");

        // bn1's output is read twice: conv1 and bn1 fuse, the ReLU stays apart.
        assertThat(source).contains("INDArray y = this.conv1.forwardFused(x, this.bn1, null, Float.NaN);");
        assertThat(source).contains("F.relu(y, false)");
        // conv2's output is read twice: nothing fuses with it.
        assertThat(source).contains("INDArray a = this.conv2.forward(x);");
        assertThat(source).contains("this.bn2.forward(a)");
    }

    @Test
    void aChainStaysApartWhenAnOpBetweenOverwritesItsInput() {
        String source = generated(DslDiagnostics.model("Net", "{3, 8, 8}", """
                h = sigmoid(x)
                a = conv1(h)
                g = tanh(h)
                return relu(a) + g
                """,
                "abstract class Net {",
                "    @Conv2d(out = 3, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}"), "NetModel");

        // tanh is h's last reader and overwrites it; a fused call at relu's place would convolve tanh(h).
        assertThat(source).contains("F.tanh(h, true)");
        assertThat(source).contains("this.conv1.forward(h)");
        assertThat(source).doesNotContain("forwardFused");
    }

    /** MobileNet's conv → BatchNorm2d → ReLU6: the bound is the call's fifth argument. */
    @Test
    void reluSixFusesWithItsBound() {
        String source = generated(DslDiagnostics.model("Net", "{3, 8, 8}", """
                return relu6(bn1(conv1(x)))
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @BatchNorm2d BatchNorm2dLayer bn1;",
                "}"), "NetModel");

        // Only the model's return reads the result: handed on, and reordered once, into the result.
        assertThat(source).contains("return workspace.result(this.conv1.forwardKept(x, this.bn1, null, 0f, 6f));");
    }

    @Test
    void aSequentialModelFusesConvolutionWithLeakyReluAtItsDefaultSlope() {
        String source = generated(Sources.model("Seq",
                "@Model(input = {3, 8, 8})",
                "public abstract class Seq {",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer conv;",
                "    @LeakyReLU LeakyReLULayer act;",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer conv2;",
                "    @Flatten FlattenLayer flatten;",
                "}"), "SeqModel");

        // conv2, a convolution, is the only reader: the fused result is handed on in oneDNN's layout.
        assertThat(source).contains("ConvActivation xKept = this.conv.forwardKept(x, null, null, 0.01f);");
        assertThat(source).contains("x = this.conv2.forwardFused(xKept, null, null, Float.NaN);");
        assertThat(source).contains("x = this.flatten.forward(x);");
    }

    /**
     * Consecutive convolutions of a sequential model hand their results on, the last one into the forward's result;
     * a step that is not a convolution ends the chain, and the convolution before it returns a plain array.
     */
    @Test
    void aSequentialConvolutionChainHandsItsResultsOn() {
        String source = stripped(generated(Sources.model("Stack",
                "@Model(input = {3, 16, 16})",
                "public abstract class Stack {",
                "    @Conv2d(out = 8, kernel = 3, autoPad = Padding.SAME) Conv2dLayer conv1;",
                "    @ReLU ReLULayer relu1;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool;",
                "    @Conv2d(out = 8, kernel = 3, dilation = 2, autoPad = Padding.SAME) Conv2dLayer conv2;",
                "    @BatchNorm2d BatchNorm2dLayer bn2;",
                "    @ReLU ReLULayer relu2;",
                "    @Conv2d(out = 8, kernel = 3, dilation = 4, autoPad = Padding.SAME) Conv2dLayer conv3;",
                "    @ReLU ReLULayer relu3;",
                "    @Conv2d(out = 4, kernel = 1) Conv2dLayer conv4;",
                "}"), "StackModel"));

        assertThat(source).contains(lines(
                "x = this.conv1.forwardFused(x, null, null, 0f);",
                "x = this.pool.forward(x);",
                "ConvActivation xKept = this.conv2.forwardKept(x, this.bn2, null, 0f);",
                "xKept = this.conv3.forwardKept(xKept, null, null, 0f);",
                "return workspace.result(this.conv4.forwardKept(xKept, null, null, Float.NaN));"));
    }

    /**
     * A forward text's convolutions hand their results on as a sequential model's do: through a local of their own
     * ({@code hKept}, the Java {@code h} keeping what it held), nested, and into the model's result.
     */
    @Test
    void aForwardTextHandsConvolutionResultsOnToTheNextConvolution() {
        String source = stripped(generated(DslDiagnostics.model("Net", "{3, 8, 8}", """
                h = relu(conv1(x))
                h = conv2(h)
                h = bn3(conv3(h))
                return conv5(conv4(h))
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @Conv2d(out = 4, kernel = 3, padding = 2, dilation = 2) Conv2dLayer conv2;",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv3;",
                "    @BatchNorm2d BatchNorm2dLayer bn3;",
                "    @Conv2d(out = 4, kernel = 1) Conv2dLayer conv4;",
                "    @Conv2d(out = 2, kernel = 1) Conv2dLayer conv5;",
                "}"), "NetModel"));

        assertThat(source).contains(lines(
                "// h = relu(conv1(x))",
                "ConvActivation hKept = this.conv1.forwardKept(x, null, null, 0f);",
                "// h = conv2(h)",
                "hKept = this.conv2.forwardKept(hKept, null, null, Float.NaN);",
                "// h = bn3(conv3(h))",
                "hKept = this.conv3.forwardKept(hKept, this.bn3, null, Float.NaN);",
                "// return conv5(conv4(h))",
                "return workspace.result(this.conv5.forwardKept(this.conv4.forwardKept(hKept, null, null, Float.NaN), "
                        + "null, null, Float.NaN));"));
    }

    /**
     * A convolution's result that anything but the next convolution reads stays an array: a second name, another op,
     * a second reader. A handed-on value's local never takes a name the text uses.
     */
    @Test
    void aResultReadByAnythingElseStaysAnArray() {
        String source = stripped(generated(DslDiagnostics.model("Net", "{3, 8, 8}", """
                a = conv1(x)
                b = a
                c = conv2(b)
                h = conv3(c)
                hKept = conv4(h)
                return hKept * c
                """,
                "abstract class Net {",
                "    @Conv2d(out = 3, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @Conv2d(out = 3, kernel = 3, padding = 1) Conv2dLayer conv2;",
                "    @Conv2d(out = 3, kernel = 3, padding = 1) Conv2dLayer conv3;",
                "    @Conv2d(out = 3, kernel = 3, padding = 1) Conv2dLayer conv4;",
                "}"), "NetModel"));

        // a has two names, c two readers (conv3 and the product), hKept is read by the product.
        assertThat(source).contains(lines(
                "INDArray a = this.conv1.forward(x);",
                "// b = a",
                "INDArray b = a;",
                "// c = conv2(b)",
                "INDArray c = this.conv2.forward(b);",
                "// h = conv3(c)",
                "ConvActivation hKept_1 = this.conv3.forwardKept(c, null, null, Float.NaN);",
                "// hKept = conv4(h)",
                "INDArray hKept = this.conv4.forwardFused(hKept_1, null, null, Float.NaN);"));
        assertThat(source).doesNotContain("ConvActivation hKept =");
    }

    /**
     * A fused chain's call stands where its last line is, so it may read a handed-on value after the text has
     * reassigned the variable that named it: a local of its own keeps the value, as for an array.
     */
    @Test
    void aHandedOnValueStillToBeReadOutlivesItsVariable() {
        String source = stripped(generated(DslDiagnostics.model("Net", "{3, 8, 8}", """
                h = conv1(x)
                y = conv2(h)
                h = conv3(x)
                y = relu(y)
                return conv4(h) + y
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv2;",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv3;",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv4;",
                "}"), "NetModel"));

        assertThat(source).contains(lines(
                "// h = conv1(x)",
                "ConvActivation hKept = this.conv1.forwardKept(x, null, null, Float.NaN);",
                "// y = conv2(h)",
                "// h = conv3(x)",
                "ConvActivation hKept_1 = hKept;",
                "hKept = this.conv3.forwardKept(x, null, null, Float.NaN);",
                "// y = relu(y)",
                "INDArray y = this.conv2.forwardFused(hKept_1, null, null, 0f);",
                "// return conv4(h) + y",
                "return workspace.result(this.conv4.forwardKept(hKept, null, y, Float.NaN));"));
    }
}
