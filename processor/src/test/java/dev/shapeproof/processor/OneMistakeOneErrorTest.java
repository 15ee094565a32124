package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import org.junit.jupiter.api.Test;

/**
 * One wrong value is one error, however many ops read it: at the op that produced it when every reader fails on it,
 * else at the first reader that fails, the others silenced. PyTorch stops at the first failing op; ShapeProof checks
 * the whole forward, and must not turn one mistake into a page of errors.
 */
class OneMistakeOneErrorTest {

    /** The case: a cat along the wrong dim feeding three convs gave three ChannelMismatch and none at the cat. */
    @Test
    void aCatAlongTheWrongDimFeedingThreeConvsIsOneErrorAtTheCat() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{3, 8, 8}", """
                a = conv0(x)
                y = cat([a, a], dim=2)
                p = conv1(y)
                q = conv2(y)
                r = conv3(y)
                return p + q + r
                """,
                "abstract class Net {",
                "    @Conv2d(in = 3, out = 4, kernel = 1) Conv2dLayer conv0;",
                "    @Conv2d(in = 8, out = 4, kernel = 1) Conv2dLayer conv1;",
                "    @Conv2d(in = 8, out = 4, kernel = 1) Conv2dLayer conv2;",
                "    @Conv2d(in = 8, out = 4, kernel = 1) Conv2dLayer conv3;",
                "}"));
        String message = DslDiagnostics.assertDslError(c, Message.NO_READER_FITS, 2, 5,
                "y = cat([a, a], dim=2)", "    ^^^^^^^^^^^^^^^^^^");
        assertThat(message).contains("cat: its result [-1, 4, 16, 8] fits none of the 3 ops that read it");
        assertThat(message).contains("read by conv1, conv2, conv3");
        assertThat(message).contains("required: in = 4 (for conv1)");
        assertThat(c).hadErrorCount(1);
    }

    /** A value one reader accepts is right for it: the reader that fails is the mistake. */
    @Test
    void aValueOneReaderAcceptsBlamesTheReaderThatFails() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{3, 8, 8}", """
                y = conv0(x)
                p = conv1(y)
                q = conv2(y)
                return p + q
                """,
                "abstract class Net {",
                "    @Conv2d(in = 3, out = 4, kernel = 1) Conv2dLayer conv0;",
                "    @Conv2d(in = 4, out = 4, kernel = 1) Conv2dLayer conv1;",
                "    @Conv2d(in = 5, out = 4, kernel = 1) Conv2dLayer conv2;",
                "}"));
        assertThat(DslDiagnostics.error(c, Message.CHANNEL_MISMATCH)).contains("conv2: in = 5");
        assertThat(c).hadErrorCount(1);
    }

    /** The model's input has no producer to blame: the first reader's error, the second silenced. */
    @Test
    void twoReadersOfAWrongInputAreOneErrorAtTheFirst() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{3, 8, 8}", """
                p = conv1(x)
                q = conv2(x)
                return p + q
                """,
                "abstract class Net {",
                "    @Conv2d(in = 4, out = 4, kernel = 1) Conv2dLayer conv1;",
                "    @Conv2d(in = 4, out = 4, kernel = 1) Conv2dLayer conv2;",
                "}"));
        assertThat(DslDiagnostics.error(c, Message.CHANNEL_MISMATCH)).contains("conv1: in = 4");
        assertThat(c).hadErrorCount(1);
    }

    /** Two independent mistakes on two values stay two errors. */
    @Test
    void twoWrongValuesAreTwoErrors() {
        Compilation c = Sources.compile(DslDiagnostics.model("Net", "{3, 8, 8}", """
                p = conv1(x)
                q = fc(p)
                r = conv2(x)
                return q, r
                """,
                "abstract class Net {",
                "    @Conv2d(in = 3, out = 4, kernel = 1) Conv2dLayer conv1;",
                "    @Linear(in = 5, out = 2) LinearLayer fc;",
                "    @Conv2d(in = 2, out = 4, kernel = 1) Conv2dLayer conv2;",
                "}"));
        assertThat(c).hadErrorCount(2);
    }

    /** A sequential model stops at its first error: the layers after it are not "never called". */
    @Test
    void aSequentialModelsLayersAfterTheErrorAreNotUnused() {
        Compilation c = Sources.compile(Sources.model("Seq",
                "@Model(input = {3, 8, 8})",
                "abstract class Seq {",
                "    @Conv2d(in = 3, out = 4, kernel = 1) Conv2dLayer conv0;",
                "    @Conv2d(in = 5, out = 4, kernel = 1) Conv2dLayer conv1;",
                "    @Conv2d(in = 4, out = 4, kernel = 1) Conv2dLayer conv2;",
                "}"));
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningCount(0);
    }

    /**
     * c008982 (campaign seed 11): a reshape that fixes the batch fails, and an in-place ReLU on its result made the
     * reshaped tensor's source a stale read too: two errors for one mistake. A failed value's in-place op is not
     * checked, nor are the reads it would make stale.
     */
    @Test
    void anInPlaceOpOnAFailedViewAddsNoStaleRead() {
        Compilation c = Sources.compile(Sources.model("Net",
                "@Model(inputs = {@Input(name = \"x\", shape = {6, 16, 16}), @Input(name = \"y\", shape = {15})},",
                "       forward = \"\"\"",
                "        y = torch.tanh(y)",
                "        z1 = y.reshape(2, 15)",
                "        z1 = self.relu1(z1)",
                "        second = self.gelu1(y)",
                "        return z1, second",
                "        \"\"\")",
                "abstract class Net {",
                "    @ReLU(inplace = true) ReLULayer relu1;",
                "    @GELU(approximate = \"tanh\") GELULayer gelu1;",
                "}"));
        assertThat(DslDiagnostics.error(c, Message.VIEW_MISMATCH)).contains("view(2, 15)");
        assertThat(c).hadErrorCount(1);
    }
}
