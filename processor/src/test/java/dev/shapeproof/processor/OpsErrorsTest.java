package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.shapeproof.processor.DslDiagnostics.assertDslError;
import static dev.shapeproof.processor.DslDiagnostics.error;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Mistakes with the ops of real architectures: each one error, on the attribute or the DSL place to edit, never
 * {@code Internal}. The four (wrong channels into ConvTranspose2d, a bad output padding, a LayerNorm shape that
 * does not match, attention heads that do not divide the embedding) first.
 */
class OpsErrorsTest {

    private static JavaFileObject net(String input, String dsl, String... fields) {
        String[] body = new String[fields.length + 2];
        body[0] = "abstract class Net {";
        System.arraycopy(fields, 0, body, 1, fields.length);
        body[body.length - 1] = "}";
        return DslDiagnostics.model("Net", input, dsl, body);
    }

    @Test
    void convTransposeWithWrongChannels() {
        JavaFileObject net = net("{8, 5, 5}", """
                return self.up(self.conv(x))
                """,
                "@Conv2d(out = 16, kernel = 3) Conv2dLayer conv;",
                "@ConvTranspose2d(out = 8, kernel = 2, stride = 2,",
                "                 in = 32) ConvTranspose2dLayer up;");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.CHANNEL_MISMATCH.tag()).inFile(net).onLineContaining("in = 32");
        assertThat(c).hadErrorContaining("up: in = 32, but its input has 16 channels");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void convTransposeOutputPaddingNotBelowStride() {
        JavaFileObject net = net("{8, 5, 5}", """
                return self.up(x)
                """,
                "@Init(\"nn.ConvTranspose2d(8, 4, 3, stride=2, output_padding=2)\") ConvTranspose2dLayer up;");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.OUTPUT_PADDING_TOO_LARGE.tag()).inFile(net)
                .onLineContaining("output_padding=2");
        assertThat(c).hadErrorContaining("outputPadding = 2 is not smaller than the stride (2) or the dilation (1)");
        assertThat(c).hadErrorContaining("set outputPadding = 1 at most");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void layerNormShapeThatDoesNotMatch() {
        JavaFileObject net = net("{4, 6, 6}", """
                t = self.conv(x).flatten(2).transpose(1, 2)
                return self.norm(t)
                """,
                "@Conv2d(out = 8, kernel = 1) Conv2dLayer conv;",
                "@LayerNorm(eps = 1e-6,",
                "           shape = 36) LayerNormLayer norm;");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.SHAPE_MISMATCH.tag()).inFile(net).onLineContaining("shape = 36");
        assertThat(c).hadErrorContaining("normalized shape [36] does not match the last 1 axes of its input, [8]");
        assertThat(c).hadErrorContaining("set shape = 8");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void attentionHeadsThatDoNotDivideTheEmbedding() {
        JavaFileObject net = net("{6, 4, 4}", """
                t = x.flatten(2).transpose(1, 2)
                t = self.proj(t)
                y, _ = self.attn(t, t, t, need_weights=False)
                return y
                """,
                "@Linear(out = 30) LinearLayer proj;",
                "@Init(\"nn.MultiheadAttention(30, 4, batch_first=True)\") MultiheadAttentionLayer attn;");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.HEADS_MISMATCH.tag()).inFile(net)
                .onLineContaining("MultiheadAttention(30, 4");
        assertThat(c).hadErrorContaining("numHeads = 4 does not divide embedDim = 30");
        assertThat(c).hadErrorContaining("(e.g. 3 or 5)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void attentionWithTheBatchSecond() {
        JavaFileObject net = net("{6, 4, 4}", """
                t = x.flatten(2).transpose(1, 2)
                y, _ = self.attn(t, t, t)
                return y
                """,
                "@MultiheadAttention(embedDim = 6, numHeads = 2) MultiheadAttentionLayer attn;");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.BATCH_AXIS.tag()).inFile(net).onLineContaining("@MultiheadAttention");
        assertThat(c).hadErrorContaining("set batchFirst = true");
        assertThat(c).hadErrorCount(1);
    }

    /** need_weights=True is PyTorch's default: the weights may be dropped, but reading them is an error. */
    @Test
    void attentionWeightsAreNotComputed() {
        JavaFileObject net = net("{6, 4, 4}", """
                t = x.flatten(2).transpose(1, 2)
                y, w = self.attn(t, t, t)
                return y + w
                """,
                "@MultiheadAttention(embedDim = 6, numHeads = 2, batchFirst = true) MultiheadAttentionLayer attn;");
        Compilation c = Sources.compile(net);
        String message = assertDslError(c, Message.WRONG_ARGUMENTS, 3, 12, "return y + w", "           ^");
        assertThat(message).contains("pass need_weights=False, or drop them (x, _ = ...)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void multiplyThatDoesNotBroadcast() {
        JavaFileObject net = net("{4, 6, 6}", """
                s = F.adaptive_avg_pool2d(self.conv(x), 2)
                return x * s
                """,
                "@Conv2d(out = 4, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        String message = assertDslError(c, Message.BROADCAST_MISMATCH, 2, 8, "return x * s", "       ^^^^^");
        assertThat(message).contains("the shapes of a * b do not broadcast");
        assertThat(message).contains("(axis 3: 6 vs 2)");
        assertThat(message).contains("pool it to 1×1 first");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void inPlaceMultiplyThatWouldGrow() {
        JavaFileObject net = net("{4, 6, 6}", """
                s = F.adaptive_avg_pool2d(self.conv(x), 1)
                s *= x
                return s
                """,
                "@Conv2d(out = 4, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.IN_PLACE_MISMATCH)).contains("s *= ... would change s's shape");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void reductionOverTheBatch() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                return y.mean(0)
                """,
                "@Conv2d(out = 4, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        String message = error(c, Message.BATCH_AXIS);
        assertThat(message).contains("mean would reduce over the batch axis (dim = 0)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void reductionWithoutDims() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                return torch.sum(y)
                """,
                "@Conv2d(out = 4, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.BATCH_AXIS)).contains("sum without dim reduces every axis, the batch included");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void permuteThatMovesTheBatch() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                return y.permute(1, 0, 2, 3)
                """,
                "@Conv2d(out = 4, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        String message = assertDslError(c, Message.BATCH_AXIS, 2, 18, "return y.permute(1, 0, 2, 3)",
                "                 ^^^^^^^^^^");
        assertThat(message).contains("permute would move the batch axis to position 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void indexingTheBatch() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                return y[0]
                """,
                "@Conv2d(out = 4, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.BATCH_AXIS)).contains("x[0] would pick samples from the batch");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void indexOutOfRange() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                return y[:, 4]
                """,
                "@Conv2d(out = 4, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.INDEX_OUT_OF_RANGE)).contains("index 4 is out of range for axis 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void splitSizesThatDoNotAddUp() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                a, b = torch.split(y, [3, 4], dim=1)
                return a
                """,
                "@Conv2d(out = 8, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        String message = error(c, Message.SHAPE_MISMATCH);
        assertThat(message).contains("the sizes [3, 4] add up to 7, but axis 1 has 8");
        assertThat(message).contains("make the last size 5");
        assertThat(c).hadErrorCount(1);
    }

    /** A mistake in a call that returns a tuple stops there: the unpacking does not add a second error. */
    @Test
    void chunkOfTheBatchIsOneError() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                a, b = y.chunk(2, dim=0)
                return a + b
                """,
                "@Conv2d(out = 8, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.BATCH_AXIS)).contains("chunk would split the batch axis (dim = 0)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void reflectPaddingLargerThanTheInput() {
        JavaFileObject net = net("{4, 3, 3}", """
                return F.pad(self.conv(x), (3, 3, 0, 0), mode='reflect')
                """,
                "@Conv2d(out = 8, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.WRONG_ARGUMENTS))
                .contains("reflect padding must be smaller than the axis it pads (axis 3 of size 3)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void reflectPaddingModeOnASmallMap() {
        JavaFileObject net = net("{4, 2, 2}", """
                return self.conv(x)
                """,
                "@Conv2d(out = 8, kernel = 3, padding = 2,",
                "        paddingMode = \"reflect\") Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.WRONG_ARGUMENTS.tag()).inFile(net)
                .onLineContaining("paddingMode = \"reflect\"");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void parameterIntoALayerNeedsTheBatch() {
        JavaFileObject net = net("{3, 8, 8}", """
                return self.fc(self.token)
                """,
                "@Init(\"nn.Parameter(torch.zeros(1, 1, 8))\") Parameter token;",
                "@Linear(in = 8, out = 4) LinearLayer fc;");
        Compilation c = Sources.compile(net);
        String message = error(c, Message.UNBATCHED_INPUT);
        assertThat(message).contains("input 0 is token (parameter), a tensor without the batch axis ([1, 1, 8])");
        assertThat(message).contains("p.expand(x.shape[0], -1, ...)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void expandThatChangesASize() {
        JavaFileObject net = net("{3, 8, 8}", """
                t = self.token.expand(x.shape[0], 2, -1)
                return t
                """,
                "@Init(\"nn.Parameter(torch.zeros(1, 3, 8))\") Parameter token;",
                "@Linear(in = 8, out = 4) LinearLayer fc;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.SHAPE_MISMATCH))
                .contains("expand(n, 2, -1) changes axis 1 of [1, 3, 8] from 3 to 2");
    }

    @Test
    void groupNormWithOtherChannels() {
        JavaFileObject net = net("{4, 6, 6}", """
                return self.norm(self.conv(x))
                """,
                "@Conv2d(out = 8, kernel = 1) Conv2dLayer conv;",
                "@GroupNorm(groups = 2,",
                "           channels = 6) GroupNormLayer norm;");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.CHANNEL_MISMATCH.tag()).inFile(net).onLineContaining("channels = 6");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void stackBeforeTheBatch() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                return torch.stack([y, y])
                """,
                "@Conv2d(out = 8, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.BATCH_AXIS)).contains("add dim=1: stack's default dim 0 is the batch");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void unknownTensorMethodNamesTheSupportedOnes() {
        JavaFileObject net = net("{4, 6, 6}", """
                y = self.conv(x)
                return y.tranpose(1, 2)
                """,
                "@Conv2d(out = 8, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        String message = error(c, Message.UNKNOWN_NAME);
        assertThat(message).contains(".tranpose(), which is not a tensor method ShapeProof supports");
        assertThat(message).contains("did you mean transpose");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void failedAssertion() {
        JavaFileObject net = net("{4, 6, 6}", """
                n, c, h, w = x.shape
                torch._assert(h == 7, "Wrong image height!")
                return self.conv(x)
                """,
                "@Conv2d(out = 8, kernel = 1) Conv2dLayer conv;");
        Compilation c = Sources.compile(net);
        assertThat(error(c, Message.WRONG_ARGUMENTS)).contains("torch._assert fails: Wrong image height!");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void initTextThatReturns() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {4, 6, 6}, init = \"\"\"",
                "        width = 8",
                "        return width",
                "        \"\"\", forward = \"return self.conv(x)\")",
                "abstract class Net {",
                "    @Init(\"nn.Conv2d(4, width, 1)\") Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorCount(1);
        assertThat(error(c, Message.DSL_SYNTAX)).contains("an init text computes values");
    }
}
