package dev.shapeproof.io;

/**
 * A reading position in a weight file's text header, and the steps both of its parsers take over it: the JSON of a
 * safetensors header ({@link Json}) and the Python literal of a {@code .npy} header ({@code NpyFormat}). Each says
 * how its errors read.
 */
abstract class TextCursor {
    final String text;
    int pos;
    private final String name;

    /** A cursor at the start of {@code text}; {@code name} ("the JSON") names the text in "... ends too early". */
    TextCursor(String text, String name) {
        this.text = text;
        this.name = name;
    }

    /** The error for {@code problem} at the current position. */
    abstract BadInput error(String problem);

    final void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    final char peek() throws BadInput {
        if (pos >= text.length()) {
            throw error(name + " ends too early");
        }
        return text.charAt(pos);
    }

    final void expect(char c) throws BadInput {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** {@code s}, cut to {@code max} characters with "..." when longer, for an error message. */
    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
