package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.shapeproof.processor.DslDiagnostics.assertDslWarning;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Things that run but look unintended: a variable assigned and never read, a layer forward never calls. Warnings, not
 * errors: the model is still generated.
 */
class DslWarningsTest {

    private static JavaFileObject net(String dsl) {
        return DslDiagnostics.model("Net", "{1, 8, 8}", dsl,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer conv1;",
                "}");
    }

    @Test
    void unusedVariableIsAWarningAndTheModelIsGenerated() {
        JavaFileObject net = net("""
                x = conv1(x)
                skip = relu(x)
                return x
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        assertThat(c).hadErrorCount(0);
        assertThat(c).hadWarningContaining(Message.UNUSED_VARIABLE.tag()).inFile(net).onLineContaining("forward");
        String message = assertDslWarning(c, Message.UNUSED_VARIABLE, 2, 1,
                "skip = relu(x)",
                "^^^^");
        assertThat(message).contains("Net: skip is assigned but never used");
        assertThat(message).contains("hint    : remove the assignment, or use skip");
        assertThat(c).hadWarningCount(1);
        assertThat(c.generatedSourceFile("test.NetModel")).isPresent();
    }

    /** The first value of y is overwritten before anyone reads it: the warning names that first assignment. */
    @Test
    void overwrittenBeforeUseIsAWarningOnTheFirstAssignment() {
        JavaFileObject net = net("""
                y = conv1(x)
                y = relu(x)
                return y
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining(Message.UNUSED_VARIABLE.tag()).inFile(net).onLineContaining("forward");
        assertDslWarning(c, Message.UNUSED_VARIABLE, 1, 1,
                "y = conv1(x)",
                "^");
        assertThat(c).hadWarningCount(1);
    }

    /** Reading a variable to compute its next value is a use: {@code y = relu(y)} warns about nothing. */
    @Test
    void reassignmentThatReadsTheVariableIsNoWarning() {
        JavaFileObject net = net("""
                y = conv1(x)
                y = relu(y)
                identity = y
                y += identity
                return y
                """);
        Compilation c = Sources.compile(net);
        assertThat(c).succeededWithoutWarnings();
    }

    /** The warning sits on the layer's field, which is what to remove. */
    @Test
    void unusedModuleIsAWarningOnItsField() {
        JavaFileObject net = DslDiagnostics.model("Net", "{1, 8, 8}", """
                x = conv1(x)
                return x
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer conv1;",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer spare;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        assertThat(c).hadErrorCount(0);
        assertThat(c).hadWarningContaining(Message.UNUSED_MODULE.tag()).inFile(net)
                .onLineContaining("Conv2dLayer spare;");
        Diagnostic<? extends JavaFileObject> warning =
                DslDiagnostics.only(c, Diagnostic.Kind.WARNING, Message.UNUSED_MODULE);
        assertThat(warning.getMessage(null)).contains("Net: forward never calls the layer spare");
        assertThat(warning.getMessage(null)).contains("hint    : call it, or remove the field");
        assertThat(c).hadWarningCount(1);
    }

    /**
     * The hint and the generated code agree on what happens to an uncalled layer: if the model does not construct and
     * register it, the hint must not promise that its parameters are still loaded and saved.
     */
    @Test
    void unusedModuleHintMatchesTheGeneratedCode() {
        JavaFileObject net = DslDiagnostics.model("Net", "{1, 8, 8}", """
                x = conv1(x)
                return x
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer conv1;",
                "    @Conv2d(in = 4, out = 4, kernel = 3) Conv2dLayer spare;",
                "}");
        Compilation c = Sources.compile(net);
        String hint = DslDiagnostics.only(c, Diagnostic.Kind.WARNING, Message.UNUSED_MODULE).getMessage(null);
        String source = GeneratedShapes.source(c, "test.NetModel");
        boolean registered = source.contains("new Conv2dLayer(\"spare\"") && source.contains("this.spare)");
        if (!registered) {
            assertThat(hint).doesNotContain("would still be loaded and saved");
        }
    }

    /**
     * BUG: an uncalled layer's attributes are never checked: stride = 0 passes with only the UnusedModule warning,
     * while the same field in a sequential model is a NotPositive error. Attribute rules do not depend on shapes.
     */
    @Test
    void unusedModuleAttributesAreStillChecked() {
        JavaFileObject net = DslDiagnostics.model("Net", "{1, 8, 8}", """
                return conv1(x)
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer conv1;",
                "    @Conv2d(out = 4, kernel = 3,",
                "            stride = 0) Conv2dLayer spare;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("stride = 0");
        assertThat(c).hadErrorCount(1);
    }

    /** A module called through {@code self.} is called. */
    @Test
    void moduleCalledThroughSelfIsUsed() {
        JavaFileObject net = net("""
                return self.conv1(x)
                """);
        assertThat(Sources.compile(net)).succeededWithoutWarnings();
    }

    /** Warnings come with a shape error too, and do not count as errors. */
    @Test
    void warningsDoNotAddErrors() {
        JavaFileObject net = DslDiagnostics.model("Net", "{1, 8, 8}", """
                unused = relu(x)
                y = conv1(x)
                return y.view(-1, 7)
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer conv1;",
                "    @Conv2d(out = 4, kernel = 3) Conv2dLayer spare;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.VIEW_MISMATCH.tag()).inFile(net).onLineContaining("forward");
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningContaining(Message.UNUSED_VARIABLE.tag()).inFile(net).onLineContaining("forward");
        assertThat(c).hadWarningContaining(Message.UNUSED_MODULE.tag()).inFile(net)
                .onLineContaining("Conv2dLayer spare;");
        assertThat(c).hadWarningCount(2);
    }
}
