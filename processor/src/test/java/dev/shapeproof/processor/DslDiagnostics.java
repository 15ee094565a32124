package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Assertions on forward-DSL diagnostics. javac can only point at the start of the {@code forward} value, so a DSL
 * message carries its own place: {@code at forward line L, column C:}, the DSL line, and a caret line under the spot.
 * These helpers check all three exactly, and that javac's own position is the opening {@code """} of the text block.
 */
final class DslDiagnostics {
    private DslDiagnostics() {}

    /**
     * A source {@code test.<name>} whose {@code @Model} takes {@code input} and the forward text {@code dsl} (lines
     * without indentation), followed by {@code body} (the class declaration and its fields). The text block starts on
     * a line of its own, {@code        forward = """}, so {@code onLineContaining("forward")} finds exactly that line
     * and javac's column for the value is {@link #FORWARD_VALUE_COLUMN}.
     */
    static JavaFileObject model(String name, String input, String dsl, String... body) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("@Model(input = " + input + ",");
        lines.add("       forward = \"\"\"");
        for (String line : dsl.split("\n", -1)) {
            if (!line.isEmpty() || lines.size() > 2) {
                lines.add(line.isEmpty() ? "" : "           " + line);
            }
        }
        while (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        lines.add("           \"\"\")");
        lines.addAll(List.of(body));
        return Sources.model(name, lines.toArray(String[]::new));
    }

    /** The 1-based column of {@code """} on the line {@code        forward = """} that {@link #model} writes. */
    static final int FORWARD_VALUE_COLUMN = "       forward = ".length() + 1;

    /** The only diagnostic of {@code kind} tagged {@code id}; fails, listing every diagnostic, if there is not one. */
    static Diagnostic<? extends JavaFileObject> only(Compilation compilation, Diagnostic.Kind kind, Message id) {
        List<Diagnostic<? extends JavaFileObject>> matching = new java.util.ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
            if (d.getKind() == kind && d.getMessage(Locale.ROOT).startsWith(id.tag())) {
                matching.add(d);
            }
        }
        assertWithMessage("%s diagnostics tagged %s among:\n%s", kind, id.tag(), describe(compilation))
                .that(matching).hasSize(1);
        return matching.get(0);
    }

    /** The message of the only error tagged {@code id}. */
    static String error(Compilation compilation, Message id) {
        return only(compilation, Diagnostic.Kind.ERROR, id).getMessage(Locale.ROOT);
    }

    /**
     * Asserts that the only error tagged {@code id} sits, for javac, on the opening {@code """} of the forward value,
     * and that its message ends with the DSL quote: {@code at forward line L, column C:}, {@code lineText} (the DSL
     * line as the message shows it, indentation stripped) and {@code carets} (spaces then carets, aligned with
     * {@code lineText}). Returns the message for further checks.
     */
    static String assertDslError(Compilation compilation, Message id, int line, int column, String lineText,
            String carets) {
        Diagnostic<? extends JavaFileObject> diagnostic = only(compilation, Diagnostic.Kind.ERROR, id);
        assertOnForwardValue(diagnostic);
        String message = diagnostic.getMessage(Locale.ROOT);
        assertQuote(message, line, column, lineText, carets);
        return message;
    }

    /** As {@link #assertDslError}, for the only warning tagged {@code id}. */
    static String assertDslWarning(Compilation compilation, Message id, int line, int column, String lineText,
            String carets) {
        Diagnostic<? extends JavaFileObject> diagnostic = only(compilation, Diagnostic.Kind.WARNING, id);
        assertOnForwardValue(diagnostic);
        String message = diagnostic.getMessage(Locale.ROOT);
        assertQuote(message, line, column, lineText, carets);
        return message;
    }

    /**
     * Asserts that {@code message} ends with the DSL quote described at {@link #assertDslError}. javac's
     * {@code getMessage} indents every line after the first of a multi-line message by its own amount; that indent is
     * read from the message's last line that starts with {@code "  at forward line"} and applied to all three lines.
     */
    static void assertQuote(String message, int line, int column, String lineText, String carets) {
        assertThat(carets).matches(" *\\^+");
        int at = message.lastIndexOf("at forward line ");
        assertWithMessage("a DSL quote in: %s", message).that(at).isGreaterThan(0);
        String indent = message.substring(message.lastIndexOf('\n', at) + 1, at);
        assertWithMessage("javac's indent plus the quote's two spaces").that(indent).matches(" *  ");
        String javac = indent.substring(2);
        String quote = "\n" + javac + "  at forward line " + line + ", column " + column + ":"
                + "\n" + javac + "    " + lineText
                + "\n" + javac + "    " + carets;
        assertWithMessage("the DSL quote at the end of the message").that(message).endsWith(quote);
    }

    /** Asserts that javac reports {@code diagnostic} at the opening {@code """} of a text block. */
    static void assertOnForwardValue(Diagnostic<? extends JavaFileObject> diagnostic) {
        String line = sourceLine(diagnostic);
        int column = (int) diagnostic.getColumnNumber();
        assertWithMessage("javac's position, line %s column %s: %s", diagnostic.getLineNumber(), column, line)
                .that(line.substring(column - 1)).startsWith("\"\"\"");
        assertThat(line).contains("forward = \"\"\"");
    }

    /** The source line javac reports {@code diagnostic} on. */
    static String sourceLine(Diagnostic<? extends JavaFileObject> diagnostic) {
        try {
            String[] lines = diagnostic.getSource().getCharContent(true).toString().split("\n", -1);
            return lines[(int) diagnostic.getLineNumber() - 1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every diagnostic, for failure messages. */
    static String describe(Compilation compilation) {
        StringBuilder text = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
            text.append(d.getKind()).append(" at line ").append(d.getLineNumber()).append(": ")
                    .append(d.getMessage(Locale.ROOT)).append('\n');
        }
        return text.toString();
    }
}
