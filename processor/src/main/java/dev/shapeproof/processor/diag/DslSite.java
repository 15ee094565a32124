package dev.shapeproof.processor.diag;

/**
 * A place in the forward DSL: 1-based line and column, the length to underline, and the text of that line.
 */
public record DslSite(int line, int column, int length, String lineText) {

    /** The site of {@code line}:{@code column} in {@code text}. */
    public static DslSite in(String text, int line, int column, int length) {
        String[] lines = text.split("\n", -1);
        String lineText = line - 1 < lines.length ? lines[line - 1] : "";
        return new DslSite(line, column, Math.max(1, length), lineText);
    }

    /** The lines appended to a message: where, the quoted line, and a caret under the place. */
    public String quote() {
        int indent = lineText.length() - lineText.stripLeading().length();
        String shown = lineText.strip();
        int caretColumn = Math.max(0, column - 1 - indent);
        int caretLength = Math.max(1, Math.min(length, Math.max(1, shown.length() - caretColumn)));
        return "\n  at forward line " + line + ", column " + column + ":\n    " + shown + "\n    "
                + " ".repeat(caretColumn) + "^".repeat(caretLength);
    }
}
