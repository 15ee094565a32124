package dev.shapeproof.processor.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the forward text into tokens. Newlines end statements except inside brackets, as in Python; indentation and
 * {@code #} comments are ignored (the DSL has no blocks).
 */
final class Lexer {
    private static final String TWO_CHAR_OPS = "+=";
    private static final String ONE_CHAR_OPS = "=+-*/(),.[]:";

    private final String text;
    private int position;
    private int line = 1;
    private int lineStart;
    private int depth;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokenize(String text) throws DslException {
        return new Lexer(text).run();
    }

    private List<Token> run() throws DslException {
        List<Token> tokens = new ArrayList<>();
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '\n') {
                if (depth == 0 && !tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() != Token.Kind.NEWLINE) {
                    tokens.add(new Token(Token.Kind.NEWLINE, "\n", span(position, 1)));
                }
                position++;
                line++;
                lineStart = position;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                position++;
            } else if (c == '#') {
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
            } else if (c == '\\' && position + 1 < text.length() && text.charAt(position + 1) == '\n') {
                position++; // an explicit line continuation: the newline is skipped below as whitespace
                position++;
                line++;
                lineStart = position;
            } else if (Character.isLetter(c) || c == '_') {
                int start = position;
                while (position < text.length()
                        && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_')) {
                    position++;
                }
                tokens.add(new Token(Token.Kind.NAME, text.substring(start, position), span(start, position - start)));
            } else if (Character.isDigit(c)) {
                tokens.add(number());
            } else if (c == '\'' || c == '"') {
                tokens.add(string(c));
            } else if (text.startsWith(TWO_CHAR_OPS, position)) {
                tokens.add(new Token(Token.Kind.OP, TWO_CHAR_OPS, span(position, 2)));
                position += 2;
            } else if (ONE_CHAR_OPS.indexOf(c) >= 0) {
                if (c == '(' || c == '[') {
                    depth++;
                } else if ((c == ')' || c == ']') && depth > 0) {
                    depth--;
                }
                tokens.add(new Token(Token.Kind.OP, String.valueOf(c), span(position, 1)));
                position++;
            } else {
                throw new DslException("unexpected character '" + c + "'", span(position, 1));
            }
        }
        // The end sits just after the last token, on its line: a message about it quotes a real line.
        Span end = span(position, 1);
        for (int i = tokens.size() - 1; i >= 0; i--) {
            if (tokens.get(i).kind() != Token.Kind.NEWLINE) {
                Span last = tokens.get(i).span();
                end = new Span(last.line(), last.column() + last.length(), 1);
                break;
            }
        }
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() != Token.Kind.NEWLINE) {
            tokens.add(new Token(Token.Kind.NEWLINE, "\n", end));
        }
        tokens.add(new Token(Token.Kind.END, "", end));
        return tokens;
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
        int start = position++;
        StringBuilder value = new StringBuilder();
        while (position < text.length() && text.charAt(position) != quote) {
            if (text.charAt(position) == '\n') {
                break;
            }
            value.append(text.charAt(position++));
        }
        if (position >= text.length() || text.charAt(position) != quote) {
            throw new DslException("this string is not closed with " + quote, span(start, 1));
        }
        position++;
        return new Token(Token.Kind.STRING, value.toString(), span(start, position - start));
    }

    private Span span(int start, int length) {
        return new Span(line, start - lineStart + 1, length);
    }
}
