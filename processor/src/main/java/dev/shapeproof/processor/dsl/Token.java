package dev.shapeproof.processor.dsl;

/** One token of the forward text. */
record Token(Kind kind, String text, Span span) {
    enum Kind { NAME, INT, FLOAT, STRING, OP, NEWLINE, END }

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.NAME) && text.equals(op);
    }

    /** How an error message names this token. */
    String describe() {
        return switch (kind) {
            case NEWLINE -> "the end of the line";
            case END -> "the end of the forward text";
            case STRING -> "the string " + text;
            default -> "'" + text + "'";
        };
    }
}
