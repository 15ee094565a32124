package dev.shapeproof.processor.dsl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a DSL text into tokens, as Python's tokenizer does: newlines end statements except inside brackets or after
 * a backslash, {@code #} starts a comment, and indentation opens and closes blocks ({@code INDENT}, {@code DEDENT}).
 * The first line's indentation is the text's margin, so a text indented as a whole (a string in an annotation) reads
 * as if it started at column 1; blank and comment-only lines do not count.
 */
final class Lexer {
    /** Operators, longest first so that {@code //=} is not read as {@code //} and {@code =}. */
    private static final List<String> OPERATORS = List.of(
            "//=", "**=", "...",
            "+=", "-=", "*=", "/=", "%=", "==", "!=", "<=", ">=", "//", "**", "->",
            "=", "+", "-", "*", "/", "%", "@", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":");

    /** Columns a tab advances to, as Python counts them. */
    private static final int TAB = 8;

    private final String text;
    private final boolean statements;
    private final List<Token> tokens = new ArrayList<>();
    private final Deque<Integer> indents = new ArrayDeque<>();
    private int position;
    private int line = 1;
    private int lineStart;
    private int depth;
    private Integer margin;

    private Lexer(String text, boolean statements) {
        this.text = text;
        this.statements = statements;
    }

    /** The tokens of a text of statements (a forward), with its newlines and indentation. */
    static List<Token> tokenize(String text) throws DslException {
        return new Lexer(text, true).run();
    }

    /**
     * The tokens of a single expression or parameter list, which may span lines anywhere, as if it were written
     * inside brackets: no newlines, no indentation.
     */
    static List<Token> tokenizeExpression(String text) throws DslException {
        return new Lexer(text, false).run();
    }

    private List<Token> run() throws DslException {
        indents.push(0);
        boolean atLineStart = true;
        while (position < text.length()) {
            if (atLineStart && depth == 0 && statements) {
                atLineStart = false;
                if (indentation()) {
                    continue;
                }
            }
            char c = text.charAt(position);
            if (c == '\n') {
                if (depth == 0 && statements && !tokens.isEmpty() && last().kind() != Token.Kind.NEWLINE) {
                    tokens.add(new Token(Token.Kind.NEWLINE, "\n", span(position, 1)));
                }
                newLine();
                atLineStart = true;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                position++;
            } else if (c == '#') {
                skipComment();
            } else if (c == '\\' && position + 1 < text.length() && text.charAt(position + 1) == '\n') {
                position++; // an explicit line continuation: the statement goes on
                newLine();
            } else if (Character.isLetter(c) || c == '_') {
                int start = position;
                while (position < text.length()
                        && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_')) {
                    position++;
                }
                String name = text.substring(start, position);
                if ((name.equals("f") || name.equals("F")) && position < text.length()
                        && (text.charAt(position) == '\'' || text.charAt(position) == '"')) {
                    tokens.add(formatted(start));
                } else {
                    tokens.add(new Token(Token.Kind.NAME, name, span(start, position - start)));
                }
            } else if (Character.isDigit(c) || c == '.' && position + 1 < text.length()
                    && Character.isDigit(text.charAt(position + 1))) {
                tokens.add(number());
            } else if (c == '\'' || c == '"') {
                tokens.add(string(c));
            } else {
                operator(c);
            }
        }
        return finish();
    }

    /**
     * Reads the indentation of a new line and emits {@code INDENT} or {@code DEDENT}s. Returns true when the line is
     * blank or only a comment, which the caller then reads as such.
     */
    private boolean indentation() throws DslException {
        int column = 0;
        int at = position;
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t' || text.charAt(at) == '\f')) {
            column = text.charAt(at) == '\t' ? (column / TAB + 1) * TAB : column + 1;
            at++;
        }
        if (at >= text.length() || text.charAt(at) == '\n' || text.charAt(at) == '#' || text.charAt(at) == '\r') {
            position = at;
            return true;
        }
        position = at;
        if (margin == null) {
            margin = column;
        }
        if (column < margin) {
            throw new DslException("this line is indented less than the first line of the text", span(at, 1));
        }
        int level = column - margin;
        if (level > indents.peek()) {
            if (tokens.isEmpty() || last().kind() != Token.Kind.NEWLINE || !endsWithColon()) {
                throw new DslException("unexpected indentation: only the lines after a `:` (if, else, for, def) are "
                        + "indented further", span(at, 1));
            }
            indents.push(level);
            tokens.add(new Token(Token.Kind.INDENT, "", span(at, 1)));
        } else {
            while (level < indents.peek()) {
                indents.pop();
                tokens.add(new Token(Token.Kind.DEDENT, "", span(at, 1)));
            }
            if (level != indents.peek()) {
                throw new DslException("this line's indentation matches no enclosing block", span(at, 1));
            }
        }
        return false;
    }

    /** Whether the line before the current one ended with {@code :}, which opens an indented block. */
    private boolean endsWithColon() {
        return tokens.size() >= 2 && tokens.get(tokens.size() - 2).is(":");
    }

    private void operator(char c) throws DslException {
        for (String op : OPERATORS) {
            if (text.startsWith(op, position)) {
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    depth++;
                } else if ((op.equals(")") || op.equals("]") || op.equals("}")) && depth > 0) {
                    depth--;
                }
                tokens.add(new Token(Token.Kind.OP, op, span(position, op.length())));
                position += op.length();
                return;
            }
        }
        String shown = Character.isISOControl(c) || Character.isWhitespace(c) || Character.getType(c) == Character.FORMAT
                ? String.format("U+%04X", (int) c) : "'" + c + "'";
        throw new DslException("unexpected character " + shown, span(position, 1));
    }

    private void skipComment() {
        while (position < text.length() && text.charAt(position) != '\n') {
            position++;
        }
    }

    private void newLine() {
        position++;
        line++;
        lineStart = position;
    }

    private List<Token> finish() {
        // The end sits just after the last token, on its line: a message about it quotes a real line.
        Span end = span(position, 1);
        for (int i = tokens.size() - 1; i >= 0; i--) {
            Token token = tokens.get(i);
            if (token.kind() != Token.Kind.NEWLINE && token.kind() != Token.Kind.DEDENT) {
                Span last = token.span();
                end = new Span(last.line(), last.column() + last.length(), 1);
                break;
            }
        }
        if (statements && !tokens.isEmpty() && last().kind() != Token.Kind.NEWLINE) {
            tokens.add(new Token(Token.Kind.NEWLINE, "\n", end));
        }
        while (indents.peek() > 0) {
            indents.pop();
            tokens.add(new Token(Token.Kind.DEDENT, "", end));
        }
        tokens.add(new Token(Token.Kind.END, "", end));
        return tokens;
    }

    private Token last() {
        return tokens.get(tokens.size() - 1);
    }

    private Token number() throws DslException {
        int start = position;
        boolean isFloat = false;
        while (position < text.length()) {
            char c = text.charAt(position);
            if (Character.isDigit(c) || c == '_') {
                position++;
            } else if (c == '.' || c == 'e' || c == 'E') {
                isFloat = true;
                position++;
                if ((c == 'e' || c == 'E') && position < text.length()
                        && (text.charAt(position) == '-' || text.charAt(position) == '+')) {
                    position++;
                }
            } else {
                break;
            }
        }
        String literal = text.substring(start, position).replace("_", "");
        Span span = span(start, position - start);
        try {
            if (isFloat) {
                Double.parseDouble(literal);
                return new Token(Token.Kind.FLOAT, literal, span);
            }
            Integer.parseInt(literal);
            return new Token(Token.Kind.INT, literal, span);
        } catch (NumberFormatException e) {
            throw new DslException("'" + literal + "' is not a number the DSL can hold (ints are 32-bit)", span);
        }
    }

    private Token string(char quote) throws DslException {
        int start = position;
        String raw = rawString();
        return new Token(Token.Kind.STRING, unescape(raw), span(start, position - start));
    }

    /**
     * An f-string from its {@code f} at {@code start}: the token keeps the text between the quotes as written, so that
     * the parser can place an error inside a replacement field on its column.
     */
    private Token formatted(int start) throws DslException {
        String raw = rawString();
        return new Token(Token.Kind.FSTRING, raw, span(start, position - start));
    }

    /** Reads a string literal from its opening quote and returns its text as written, escapes included. */
    private String rawString() throws DslException {
        char quote = text.charAt(position);
        int start = position++;
        while (position < text.length() && text.charAt(position) != quote && text.charAt(position) != '\n') {
            char c = text.charAt(position++);
            if (c == '\\' && position < text.length() && text.charAt(position) != '\n') {
                position++;
            }
        }
        if (position >= text.length() || text.charAt(position) != quote) {
            throw new DslException("this string is not closed with " + quote, span(start, 1));
        }
        position++;
        return text.substring(start + 1, position - 1);
    }

    /** Python's escapes that module names and modes use: {@code \\n}, {@code \\t}, and any other as itself. */
    static String unescape(String raw) {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char escaped = raw.charAt(++i);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> escaped;
                });
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    private Span span(int start, int length) {
        return new Span(line, start - lineStart + 1, length);
    }
}
