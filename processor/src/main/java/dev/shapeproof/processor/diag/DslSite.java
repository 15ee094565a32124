package dev.shapeproof.processor.diag;

/**
 * A place in a DSL text (a forward, an {@code @Init} expression, a block's parameters): 1-based line and column, the
 * length to underline, the text of that line, and what the text is, for the message.
 *
 * @param text what the text is: {@code forward}, {@code init}, {@code params}, {@code children}
 */
public record DslSite(int line, int column, int length, String lineText, String text) {

    /** The site of {@code line}:{@code column} in the forward text {@code source}. */
    public static DslSite in(String source, int line, int column, int length) {
        return in("forward", source, line, column, length);
    }

    /** The site of {@code line}:{@code column} in {@code source}, a text of the kind {@code text}. */
    public static DslSite in(String text, String source, int line, int column, int length) {
        String[] lines = source.split("\n", -1);
        String lineText = line - 1 < lines.length ? lines[line - 1] : "";
        return new DslSite(line, column, Math.max(1, length), lineText, text);
    }

    /** The lines appended to a message: where, the quoted line, and a caret under the place. */
    public String quote() {
        int indent = lineText.length() - lineText.stripLeading().length();
        String shown = lineText.strip();
        int caretColumn = Math.max(0, column - 1 - indent);
        int caretLength = Math.max(1, Math.min(length, Math.max(1, shown.length() - caretColumn)));
        return "\n  at " + text + " line " + line + ", column " + column + ":\n    " + shown + "\n    "
                + " ".repeat(caretColumn) + "^".repeat(caretLength);
    }
}
