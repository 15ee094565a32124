package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.dsl.Parser;
import dev.shapeproof.processor.emit.Limits;
import dev.shapeproof.processor.lower.Lowering;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Inputs built to break a compiler: deep nesting, long texts, odd characters, absurd numbers, huge models. Each is
 * one located error naming the limit, or compiles; none is an exception from the processor or a javac crash.
 */
class HostileInputsTest {
    private static JavaFileObject net(String forward) {
        return Sources.model("Net",
                "@Model(input = {4}, forward = \"\"\"",
                forward,
                "        \"\"\")",
                "public abstract class Net {",
                "    @Linear(in = 4, out = 4) LinearLayer fc;",
                "}");
    }

    private static String nested(String open, String close, int depth, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    /** 1,000 nested calls overflowed the parser's stack; now the bracket past the limit is the error. */
    @Test
    void thousandNestedCallsAreOneErrorNamingTheLimit() {
        Compilation c = Sources.compile(net("        return fc(" + nested("relu(", ")", 1000, "x") + ")"));

        assertThat(c).hadErrorCount(1);
        String message = DslDiagnostics.error(c, Message.DSL_SYNTAX);
        assertThat(message).contains("nests more than " + Parser.MAX_NESTING + " levels deep");
        assertNoInternalError(c);
    }

    @Test
    void threeThousandNestedParenthesesAreOneError() {
        Compilation c = Sources.compile(net("        return fc(" + nested("(", ")", 3000, "x") + ")"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.DSL_SYNTAX)).contains("levels deep");
    }

    @Test
    void deeplyNestedBlocksAreOneError() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            text.append("        ").append("    ".repeat(i)).append("if True:\n");
        }
        text.append("        ").append("    ".repeat(150)).append("x = relu(x)\n");
        text.append("        return fc(x)");
        Compilation c = Sources.compile(net(text.toString()));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.DSL_SYNTAX)).contains("levels deep");
    }

    /**
     * Nesting under the parser's limit compiles, and the generated Java nests at most a few calls per expression:
     * javac 17 crashed on the 500 nested calls the generator used to write.
     */
    @Test
    void deepButLegalNestingBecomesFlatJava() {
        Compilation c = Sources.compile(net("        return fc(" + nested("relu(", ")", 90, "x") + ")"));

        assertThat(c).succeededWithoutWarnings();
        String source = GeneratedShapes.source(c, "test.NetModel");
        String forward = source.substring(source.indexOf("public INDArray forward("));
        forward = forward.substring(0, forward.indexOf("\n    }\n"));
        int deepest = 0;
        for (String line : forward.split("\n")) {
            if (line.strip().startsWith("//")) {
                continue; // the DSL line, quoted
            }
            int depth = 0;
            for (char ch : line.toCharArray()) {
                depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
                deepest = Math.max(deepest, depth);
            }
        }
        assertWithMessage(forward).that(deepest).isAtMost(2 * Limits.MAX_NESTED_CALLS + 2);
    }

    /** An unrolled loop longer than one Java method can hold is one error at the forward, not javac's "code too large". */
    @Test
    void aForwardTooLongForOneMethodIsOneErrorNamingTheLimit() {
        Compilation c = Sources.compile(net("""
                        for i in range(20000):
                            x = relu(x)
                        return fc(x)"""));

        assertThat(c).hadErrorCount(1);
        String message = DslDiagnostics.error(c, Message.FORWARD_TOO_LONG);
        assertThat(message).contains("20,001 ops, loops unrolled");
        assertThat(message).contains("at most " + String.format(Locale.ROOT, "%,d", Lowering.MAX_OPS_PER_FORWARD));
    }

    /** Just under the limit, the worst case per op (several Window builders) still fits javac's 64 KB. */
    @Test
    void theLongestForwardAllowedCompiles() {
        Compilation c = Sources.compile(Sources.model("Pools",
                "@Model(input = {1, 4, 4}, forward = \"\"\"",
                "        for _ in range(" + (Lowering.MAX_OPS_PER_FORWARD - 1) + "):",
                "            x = max_pool2d(x, 3, stride=1, padding=1, dilation=1, ceil_mode=True)",
                "        return conv(x)",
                "        \"\"\")",
                "public abstract class Pools {",
                "    @Conv2d(out = 1, kernel = 1) Conv2dLayer conv;",
                "}"));

        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void tabsCarriageReturnsAndNonAsciiNamesAreFine() {
        Compilation c = Sources.compile(net("        größe = relu(x)\r\n"
                + "        if True:\r\n"
                + "        \tgröße = relu(größe)\r\n"
                + "        return fc(größe)"));

        assertThat(c).succeededWithoutWarnings();
    }

    /** An invisible character is named by its code point, where it is. */
    @Test
    void anInvisibleCharacterIsNamedByItsCodePoint() {
        Compilation c = Sources.compile(net("        y = relu(\u200Bx)\n        return fc(y)"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.DSL_SYNTAX)).contains("unexpected character U+200B");
    }

    @Test
    void absurdPaddingIsOneErrorNotAnOverflow() {
        Compilation c = Sources.compile(Sources.model("Pad",
                "@Model(input = {1, 8, 8})",
                "public abstract class Pad {",
                "    @Conv2d(out = 2, kernel = 3, padding = 2147483647) Conv2dLayer conv;",
                "}"));

        assertThat(c).hadErrorCount(1);
        assertNoInternalError(c);
    }

    /** A dilation that wrapped to a small kernel in 32-bit arithmetic is an error, as PyTorch's is. */
    @Test
    void aDilationBeyondAnyTensorIsOneError() {
        Compilation c = Sources.compile(Sources.model("Dilated",
                "@Model(input = {1, 8, 8})",
                "public abstract class Dilated {",
                "    @Conv2d(out = 2, kernel = 5, dilation = 1073741825) Conv2dLayer conv;",
                "}"));

        assertThat(c).hadErrorCount(1);
        assertNoInternalError(c);
    }

    /** A number the DSL cannot hold in 32 bits, built by arithmetic, is an error at the operator. */
    @Test
    void arithmeticBeyondThirtyTwoBitsIsOneError() {
        Compilation c = Sources.compile(net("        y = max_pool2d(x.view(-1, 1, 2, 2), 65536 * 65536)\n"
                + "        return fc(y.view(-1, 4))"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.WRONG_ARGUMENTS)).contains("does not fit a 32-bit int");
    }

    /**
     * A model of 5,000 layers compiles (about 25 s and 220 MB of heap for javac and the processor together on the
     * project's 2-core machine): large models are slow, never refused or crashed.
     */
    @Test
    void fiveThousandLayersCompile() {
        String[] lines = new String[5_002];
        lines[0] = "@Model(input = {4}) public abstract class Deep {";
        for (int i = 0; i < 5_000; i++) {
            lines[i + 1] = "    @Linear(in = 4, out = 4) LinearLayer fc" + i + ";";
        }
        lines[5_001] = "}";
        Compilation c = Sources.compile(Sources.model("Deep", lines));

        assertThat(c).succeededWithoutWarnings();
    }

    private static void assertNoInternalError(Compilation c) {
        for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
            assertThat(d.getMessage(Locale.ROOT)).doesNotContain(Message.INTERNAL.tag());
        }
    }
}
