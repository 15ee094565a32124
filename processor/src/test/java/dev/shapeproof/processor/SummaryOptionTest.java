package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** {@code -Ashapeproof.summary=true}: every model's summary as a note, and a Markdown file beside the sources. */
class SummaryOptionTest {
    private static JavaFileObject net() {
        return Sources.model("Net",
                "@Model(input = {1, 28, 28})",
                "abstract class Net {",
                "    @Conv2d(out = 10, kernel = 5) Conv2dLayer conv1;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool;",
                "    @Flatten FlattenLayer flatten;",
                "    @Linear(out = 10) LinearLayer fc;",
                "}");
    }

    @Test
    void optionPrintsTheSummaryAsANoteAndWritesMarkdown() throws IOException {
        Compilation compilation = Compiler.javac()
                .withProcessors(new ShapeProofProcessor())
                .withOptions("-Ashapeproof.summary=true")
                .compile(net());

        assertThat(compilation).succeededWithoutWarnings();
        String note = compilation.notes().stream()
                .map(d -> d.getMessage(null))
                .filter(text -> text.contains("Layer (type)"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no summary note"));
        assertThat(note).contains("Conv2d-1           [-1, 10, 24, 24]             260");
        assertThat(note).contains("Linear-4                   [-1, 10]          14,410");
        assertThat(note).contains("detailed summary");
        String markdown = compilation
                .generatedFile(StandardLocation.SOURCE_OUTPUT, "test", "Net.summary.md")
                .orElseThrow(() -> new AssertionError("no Net.summary.md"))
                .getCharContent(true)
                .toString();
        assertThat(markdown).contains("| Conv2d-1 |");
    }

    @Test
    void withoutTheOptionThereIsNoNoteAndNoFile() {
        Compilation compilation = Sources.compile(net());

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.NOTE).toList())
                .isEmpty();
        assertThat(compilation.generatedFile(StandardLocation.SOURCE_OUTPUT, "test", "Net.summary.md")).isEmpty();
    }
}
