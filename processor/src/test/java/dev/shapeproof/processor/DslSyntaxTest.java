package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.shapeproof.processor.DslDiagnostics.FORWARD_VALUE_COLUMN;
import static dev.shapeproof.processor.DslDiagnostics.assertDslError;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Forward texts that do not parse, or parse into something that cannot run: each is one {@code DslSyntax} (or
 * {@code MissingReturn}) error on the {@code forward} value, whose message quotes the DSL line with a caret under the
 * offending token.
 */
class DslSyntaxTest {

    private static JavaFileObject net(String dsl) {
        return DslDiagnostics.model("Net", "{1, 8, 8}", dsl,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer conv1;",
                "}");
    }

    /** javac reports the line of {@code forward = """}, at the column of the opening quotes. */
    @Test
    void javacPointsAtTheStartOfTheForwardValue() {
        JavaFileObject net = net("""
                x = = conv1(x)
                return x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        // Sources.model adds four lines and @Model( is the fifth: forward = """ is line 6.
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLine(6).atColumn(FORWARD_VALUE_COLUMN);
        assertThat(c).hadErrorCount(1);
    }

    /** An f-string's field is parsed where it stands: an error inside it points at its own column. */
    @Test
    void anErrorInsideAnFStringFieldPointsAtTheField() {
        JavaFileObject net = net("""
                y = {f"out{1 +}": conv1(x)}
                return y["out1"]
                """);
        Compilation c = Sources.compile(net);
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 15,
                "y = {f\"out{1 +}\": conv1(x)}",
                "              ^");
        assertThat(message).contains("expected a value");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void anFStringFormatSpecIsRefusedWithAHint() {
        JavaFileObject net = net("""
                y = {f"out{1:02d}": conv1(x)}
                return y["out01"]
                """);
        Compilation c = Sources.compile(net);
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 13,
                "y = {f\"out{1:02d}\": conv1(x)}",
                "            ^");
        assertThat(message).contains("an f-string field with a format spec is not supported");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void doubleEquals() {
        JavaFileObject net = net("""
                y = conv1(x)
                x = = y
                return x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 2, 5,
                "x = = y",
                "    ^");
        assertThat(message).contains("Net: the forward text does not parse: expected a value, found '='");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void badCharacter() {
        JavaFileObject net = net("""
                x = conv1(x) $ 2
                return x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 14,
                "x = conv1(x) $ 2",
                "             ^");
        assertThat(message).contains("unexpected character '$'");
        assertThat(c).hadErrorCount(1);
    }

    /** Indentation inside the text is part of the column, and stripped from the quote with the caret moved along. */
    @Test
    void columnsCountIndentationAndCommentsAndBlankLinesCountAsLines() {
        JavaFileObject net = net("""
                # the stem
                y = conv1(x)  # a comment after code

                z = relu(
                        y) @ 2
                return z
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        assertDslError(c, Message.DSL_SYNTAX, 5, 12,
                "y) @ 2",
                "   ^");
        assertThat(c).hadErrorCount(1);
    }

    /**
     * BUG: the parser reports an unclosed parenthesis where it notices it, at the next line's first token ({@code
     * return}, line 2), so the user looks at a line that is fine. Python names the parenthesis that is never closed:
     * here relu's, line 1 column 9.
     */
    @Test
    void unclosedParenthesisPointsAtTheParenthesis() {
        JavaFileObject net = net("""
                x = relu(conv1(x)
                return x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 9,
                "x = relu(conv1(x)",
                "        ^");
        assertThat(message).contains("(");
        assertThat(c).hadErrorCount(1);
    }

    /** What the parser does today with an unclosed parenthesis: one error, at the token where it noticed. */
    @Test
    void unclosedParenthesisIsOneSyntaxError() {
        JavaFileObject net = net("""
                x = relu(conv1(x)
                return x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        assertThat(DslDiagnostics.error(c, Message.DSL_SYNTAX)).contains("is never closed");
        assertThat(c).hadErrorCount(1);
    }

    /**
     * BUG: at the end of the text, an unclosed parenthesis is reported on a line 3 that does not exist (an empty quote
     * and a caret under nothing), as "found the end of the line". It should point at the '(' on line 2, column 12.
     */
    @Test
    void unclosedParenthesisOnTheLastLine() {
        JavaFileObject net = net("""
                x = conv1(x)
                return relu(x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        assertDslError(c, Message.DSL_SYNTAX, 2, 12,
                "return relu(x",
                "           ^");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void unclosedString() {
        JavaFileObject net = net("""
                x = interpolate(conv1(x), scale_factor=2, mode='bilinear)
                return x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 48,
                "x = interpolate(conv1(x), scale_factor=2, mode='bilinear)",
                "                                               ^");
        assertThat(message).contains("this string is not closed with '");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void statementAfterReturn() {
        JavaFileObject net = net("""
                x = conv1(x)
                return x
                x = relu(x)
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 3, 1,
                "x = relu(x)",
                "^^^^^^^^^^^");
        assertThat(message).contains("this line comes after the return and never runs");
        assertThat(message).contains("hint    : move the return to the end");
        assertThat(c).hadErrorCount(1);
    }

    /** The error names the last line and suggests returning the last variable assigned; no unused-variable noise. */
    @Test
    void missingReturn() {
        JavaFileObject net = net("""
                y = conv1(x)
                z = relu(y)
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.MISSING_RETURN.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.MISSING_RETURN, 2, 1,
                "z = relu(y)",
                "^^^^^^^^^^^");
        assertThat(message).contains("Net: the forward text never returns a value");
        assertThat(message).contains("hint    : end it with `return z`");
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningCount(0);
    }

    @Test
    void callWithoutAssignment() {
        JavaFileObject net = net("""
                relu(x)
                return conv1(x)
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 5,
                "relu(x)",
                "    ^");
        assertThat(message).contains("a call's result must be assigned: `x = relu(...)`");
        assertThat(c).hadErrorCount(1);
    }

    /** The element-wise operators are PyTorch's + - * /; floor division, modulo and powers of tensors are not. */
    @Test
    void unsupportedOperatorBetweenTensors() {
        JavaFileObject net = net("""
                y = conv1(x)
                return y // y
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 2, 10,
                "return y // y",
                "         ^^");
        assertThat(message).contains("`//` is not supported between tensors; the element-wise operators are + - * /");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void lowercaseBoolean() {
        JavaFileObject net = net("""
                y = interpolate(conv1(x), scale_factor=2, mode='bilinear', align_corners=true)
                return y
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 74,
                "y = interpolate(conv1(x), scale_factor=2, mode='bilinear', align_corners=true)",
                "                                                                         ^^^^");
        assertThat(message).contains("Python spells it `True`");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void positionalArgumentAfterKeyword() {
        JavaFileObject net = net("""
                y = max_pool2d(conv1(x), kernel_size=2, 2)
                return y
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 41,
                "y = max_pool2d(conv1(x), kernel_size=2, 2)",
                "                                        ^");
        assertThat(message).contains("a positional argument follows a keyword argument");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void intTooLarge() {
        JavaFileObject net = net("""
                y = max_pool2d(conv1(x), 99999999999)
                return y
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DSL_SYNTAX.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslError(c, Message.DSL_SYNTAX, 1, 26,
                "y = max_pool2d(conv1(x), 99999999999)",
                "                         ^^^^^^^^^^^");
        assertThat(message).contains("'99999999999' is not a number the DSL can hold (ints are 32-bit)");
        assertThat(c).hadErrorCount(1);
    }

    /** A syntax error stops the model before anything else is said: no unused-module warning for conv1. */
    @Test
    void syntaxErrorIsTheOnlyDiagnostic() {
        JavaFileObject net = net("""
                x = = x
                return x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningCount(0);
    }
}
