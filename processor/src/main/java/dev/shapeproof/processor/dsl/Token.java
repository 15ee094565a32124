package dev.shapeproof.processor.dsl;

/** One token of a DSL text. */
record Token(Kind kind, String text, Span span) {
    /**
     * {@code INDENT} and {@code DEDENT} mark where a more or less indented block starts, as Python's tokenizer does;
     * {@code NEWLINE} ends a logical line.
     */
    enum Kind { NAME, INT, FLOAT, STRING, FSTRING, OP, NEWLINE, INDENT, DEDENT, END }

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.NAME) && text.equals(op);
    }

    /** How an error message names this token. */
    String describe() {
        return switch (kind) {
            case NEWLINE -> "the end of the line";
            case INDENT -> "an indented block";
            case DEDENT -> "the end of an indented block";
            case END -> "the end of the text";
            case STRING -> "the string '" + text + "'";
            case FSTRING -> "the f-string f'" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
