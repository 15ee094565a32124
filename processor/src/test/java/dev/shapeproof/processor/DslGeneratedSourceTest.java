package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The code generated for a forward text: a golden file for one DSL model (nested calls, in-place decisions, cat, view,
 * a multi-output record), and the in-place decisions spelled out on the generated text.
 *
 * <p>After an intended change to the generated code, regenerate the golden file with
 * {@code mvn -pl runtime,processor test -Dtest=DslGeneratedSourceTest -Dshapeproof.updateGolden=true} and review the
 * diff.
 */
class DslGeneratedSourceTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/GoldenDslNetModel.java");

    /**
     * relu(x) on the caller's array; y = relu(x) while x is still needed by x + y; nested pool/conv/relu calls; a
     * resize of a pooled branch; cat, view, dropout, and two outputs.
     */
    private static JavaFileObject goldenModel() {
        return DslDiagnostics.model("GoldenDslNet", "{3, 16, 16}", """
                h = relu(x)
                x = conv1(h)
                y = relu(x)
                z = x + y
                a = relu(max_pool2d(conv2(z), 2))
                b = interpolate(avg_pool2d(conv3(z), 4), scale_factor=2)
                both = cat([a, b], dim=1)
                flat = both.view(-1, 1024)
                logits = fc(dropout(flat, p=0.2))
                return both, logits
                """,
                "public abstract class GoldenDslNet {",
                "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv2;",
                "    @Conv2d(out = 8, kernel = 3, padding = 1, bias = false) Conv2dLayer conv3;",
                "    @Linear(in = 1024, out = 10) LinearLayer fc;",
                "}");
    }

    private static String generated(Compilation compilation, String name) {
        assertThat(compilation).succeededWithoutWarnings();
        return GeneratedShapes.source(compilation, "test." + name);
    }

    @Test
    void generatedSourceMatchesTheGoldenFile() throws IOException {
        String generated = generated(Sources.compile(goldenModel()), "GoldenDslNetModel");

        if (Boolean.getBoolean("shapeproof.updateGolden")) {
            Files.writeString(GOLDEN, generated, StandardCharsets.UTF_8);
        }
        assertThat(generated).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    @Test
    void generationIsDeterministic() {
        String first = generated(Sources.compile(goldenModel()), "GoldenDslNetModel");
        String second = generated(Sources.compile(goldenModel()), "GoldenDslNetModel");

        assertThat(second).isEqualTo(first);
    }

    /** Each DSL line becomes its comment and one Java statement, with the DSL's nesting. */
    @Test
    void eachDslLineIsACommentAndOneStatement() {
        String source = generated(Sources.compile(goldenModel()), "GoldenDslNetModel");
        assertThat(source).contains("""
                            // a = relu(max_pool2d(conv2(z), 2))
                            INDArray a = F.relu(F.maxPool2d(this.conv2.forward(z), \
                Window.kernel(2).stride(2), Window.kernel(2).stride(2)), true);
                """);
        assertThat(source).contains("""
                            // both = cat([a, b], dim=1)
                            INDArray both = F.cat(1, a, b);
                            // flat = both.view(-1, 1024)
                            INDArray flat = F.reshape(both, -1L, 1024L);
                """);
        // Results leave the forward's workspace as copies.
        assertThat(source).contains("""
                            // return both, logits
                            return new Output(workspace.result(both), workspace.result(logits));
                """);
        assertThat(source).contains("public Output forward(INDArray x)");
        assertThat(source).contains("public record Output(INDArray both, INDArray logits)");
    }

    /** The caller's array is never overwritten, even when nothing reads it afterwards. */
    @Test
    void activationOfTheInputIsNotInPlace() {
        String source = generated(Sources.compile(goldenModel()), "GoldenDslNetModel");
        assertThat(source).contains("INDArray h = F.relu(x, false);");
    }

    /** y = relu(x) while x + y still reads x: relu must not overwrite x. The add, x's last use, may. */
    @Test
    void activationWhoseInputIsStillNeededIsNotInPlace() {
        String source = generated(Sources.compile(goldenModel()), "GoldenDslNetModel");
        assertThat(source).contains("INDArray y = F.relu(x, false);");
        assertThat(source).doesNotContain("F.relu(x, true)");
        assertThat(source).contains("INDArray z = F.add(x, y, true);");
    }

    /** The same value used once more in the same line: relu(y) inside cat([relu(y), y]) must keep y. */
    @Test
    void activationWhoseInputIsReadLaterInTheSameLineIsNotInPlace() {
        JavaFileObject net = DslDiagnostics.model("Net", "{3, 8, 8}", """
                y = conv1(x)
                z = cat([relu(y), y], dim=1)
                return z
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        String source = generated(Sources.compile(net), "NetModel");
        assertThat(source).contains("INDArray z = F.cat(1, F.relu(y, false), y);");
    }

    /** A view shares the input's storage: relu of a view of the model input must not be in place. */
    @Test
    void activationOfAViewOfTheInputIsNotInPlace() {
        JavaFileObject net = DslDiagnostics.model("Net", "{1, 8, 8}", """
                flat = x.view(-1, 64)
                return fc(relu(flat))
                """,
                "abstract class Net {",
                "    @Linear(out = 10) LinearLayer fc;",
                "}");
        String source = generated(Sources.compile(net), "NetModel");
        assertThat(source).contains("F.relu(flat, false)");
    }

    /** A returned value lives past forward: an activation of it for a second output must not overwrite it. */
    @Test
    void activationOfAnOutputIsNotInPlace() {
        JavaFileObject net = DslDiagnostics.model("Net", "{3, 8, 8}", """
                features = conv1(x)
                scores = sigmoid(features)
                return features, scores
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        String source = generated(Sources.compile(net), "NetModel");
        assertThat(source).contains("INDArray scores = F.sigmoid(features, false);");
    }

    /** A broadcasting add cannot write into its smaller first operand. */
    @Test
    void broadcastingAddIsNotInPlace() {
        JavaFileObject net = DslDiagnostics.model("Net", "{4, 8, 8}", """
                y = conv1(x)
                gate = adaptive_avg_pool2d(y, 1)
                return gate + y
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        String source = generated(Sources.compile(net), "NetModel");
        assertThat(source).contains("return workspace.result(F.add(gate, y, false));");
    }

    /** A DSL name that is a Java keyword gets a trailing underscore. */
    @Test
    void javaKeywordsAsVariableNames() {
        JavaFileObject net = DslDiagnostics.model("Net", "{3, 8, 8}", """
                new = conv1(x)
                int = sigmoid(new)
                return int
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        String source = generated(Sources.compile(net), "NetModel");
        assertThat(source).contains("INDArray new_ = this.conv1.forward(x);");
        assertThat(source).contains("INDArray int_ = F.sigmoid(new_, true);");
    }

    /**
     * {@code workspace} is the generated forward's own local (its memory), so a DSL name {@code workspace} is renamed,
     * and the renaming stays one-to-one: {@code workspace_} becomes {@code workspace__}.
     */
    @Test
    void variableNamedWorkspaceDoesNotClashWithTheForwardsOwn() {
        JavaFileObject net = DslDiagnostics.model("Net", "{3, 8, 8}", """
                workspace = relu(conv1(x))
                workspace_ = sigmoid(workspace)
                return workspace + workspace_
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c.errors()).isEmpty();
        String source = generated(c, "NetModel");
        assertThat(source).contains("INDArray workspace_ = this.conv1.forwardFused(x, null, null, 0f);");
        assertThat(source).contains("INDArray workspace__ = F.sigmoid(workspace_, false);");
        assertThat(source).contains("return workspace.result(F.add(workspace_, workspace__, true));");
    }

    /**
     * BUG: a DSL variable called F (or Window) shadows the runtime class the generated code calls, so the generated
     * source does not compile: {@code INDArray F = F.relu(...)} reports "cannot find symbol relu" in
     * FModel.java. The generated code should qualify or rename, or the DSL should reject the name with a located error.
     */
    @Test
    void variableNamedLikeARuntimeClassStillCompiles() {
        JavaFileObject net = DslDiagnostics.model("Net", "{3, 8, 8}", """
                F = relu(conv1(x))
                return sigmoid(F)
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        Compilation c = Sources.compile(net);
        for (Diagnostic<? extends JavaFileObject> error : c.errors()) {
            // Either it compiles, or the processor rejects the name itself, in the user's file.
            assertThat(error.getMessage(Locale.ROOT)).startsWith(Message.TAG_PREFIX);
            assertThat(error.getSource()).isSameInstanceAs(net);
        }
    }

    /**
     * BUG: a statement spread over several lines (inside brackets) gets only its first line as the comment above its
     * Java statement ({@code // y = cat([conv1(x),}), so the generated code no longer reads like the DSL.
     */
    @Test
    void multiLineStatementIsCommentedWhole() {
        JavaFileObject net = DslDiagnostics.model("Net", "{4, 8, 8}", """
                y = cat([conv1(x),
                         x], dim=1)
                return y
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        String source = generated(Sources.compile(net), "NetModel");
        assertThat(source).containsMatch("//.*x\\], dim=1\\)");
    }

    /**
     * BUG: {@code dropout(x, training=False)} is PyTorch's identity in every mode, but the DSL ignores the literal and
     * follows the model's mode, so a trained model would drop where PyTorch does not. A literal False should be
     * honoured (no dropout) or rejected with a located error; only {@code training=self.training} matches the mode.
     */
    @Test
    void dropoutWithTrainingFalseIsNotSilentlyIgnored() {
        JavaFileObject net = DslDiagnostics.model("Net", "{3, 8, 8}", """
                y = dropout(conv1(x), p=0.5, training=False)
                return y
                """,
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "}");
        Compilation c = Sources.compile(net);
        if (c.status() == Compilation.Status.SUCCESS) {
            assertThat(GeneratedShapes.source(c, "test.NetModel"))
                    .contains("F.dropout(this.conv1.forward(x), 0.5, false)");
        } else {
            assertThat(c).hadErrorContaining("training").inFile(net).onLineContaining("forward");
            assertThat(c).hadErrorCount(1);
        }
    }
}
