package dev.shapeproof.processor.dsl;

import dev.shapeproof.processor.dsl.Ast.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an f-string ({@code f"block{stage}-{i + 1}"}, as {@code __init__} code names its modules) into its literal
 * text and its replacement fields, each field parsed as an expression placed on its own columns of the line.
 *
 * <p>A field is an expression alone: conversions ({@code !r}) and format specs ({@code :02d}) are refused with a
 * hint, since module names and modes never need them and each would be a small language of its own to check.
 */
final class FormattedStrings {
    /** Literal text ({@code expression} null) or a replacement field ({@code literal} null). */
    record Piece(String literal, Expr expression) {}

    private FormattedStrings() {}

    static List<Piece> pieces(Token token) throws DslException {
        String raw = token.text();
        int line = token.span().line();
        int base = token.span().column() + 2; // the column of the character after the opening quote
        List<Piece> pieces = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < raw.length() && raw.charAt(i + 1) == c) {
                literal.append(c); // {{ and }} stand for the brace itself
                i += 2;
            } else if (c == '}') {
                throw new DslException("a single '}' in an f-string: write '}}' for the character itself",
                        new Span(line, base + i, 1));
            } else if (c == '{') {
                int end = fieldEnd(raw, i + 1, line, base);
                String source = raw.substring(i + 1, end);
                if (source.isBlank()) {
                    throw new DslException("this f-string's {} holds no expression", new Span(line, base + i, 2));
                }
                if (!literal.isEmpty()) {
                    pieces.add(new Piece(Lexer.unescape(literal.toString()), null));
                    literal.setLength(0);
                }
                pieces.add(new Piece(null, Parser.parseField(source, line, base + i + 1)));
                i = end + 1;
            } else if (c == '\\' && i + 1 < raw.length()) {
                literal.append(c).append(raw.charAt(i + 1)); // an escape stays whole: \{ is not a field
                i += 2;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) {
            pieces.add(new Piece(Lexer.unescape(literal.toString()), null));
        }
        return pieces;
    }

    /** The index of the '}' that closes the field starting at {@code start}; nested brackets and strings skipped. */
    private static int fieldEnd(String raw, int start, int line, int base) throws DslException {
        int depth = 0;
        for (int i = start; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\'' || c == '"') {
                int close = raw.indexOf(c, i + 1);
                i = close < 0 ? raw.length() : close;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (c == '}') {
                return i;
            } else if (depth == 0 && (c == ':' || c == '!' && (i + 1 >= raw.length() || raw.charAt(i + 1) != '='))) {
                String what = c == ':' ? "a format spec" : "a conversion";
                throw new DslException("an f-string field with " + what + " is not supported: the field is an "
                        + "expression alone; write f\"{str(x)}\" or \"%02d\" % x", new Span(line, base + i, 1));
            }
        }
        throw new DslException("this f-string's { is not closed with }", new Span(line, base + start - 1, 1));
    }
}
