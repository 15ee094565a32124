package dev.shapeproof.processor.dsl;

import dev.shapeproof.processor.dsl.Ast.Add;
import dev.shapeproof.processor.dsl.Ast.Argument;
import dev.shapeproof.processor.dsl.Ast.Assign;
import dev.shapeproof.processor.dsl.Ast.Call;
import dev.shapeproof.processor.dsl.Ast.Expr;
import dev.shapeproof.processor.dsl.Ast.Literal;
import dev.shapeproof.processor.dsl.Ast.Name;
import dev.shapeproof.processor.dsl.Ast.Negate;
import dev.shapeproof.processor.dsl.Ast.Program;
import dev.shapeproof.processor.dsl.Ast.Return;
import dev.shapeproof.processor.dsl.Ast.Sequence;
import dev.shapeproof.processor.dsl.Ast.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for the forward DSL:
 *
 * <pre>
 * program   := { statement NEWLINE }
 * statement := NAME ('=' | '+=') expr  |  'return' expr { ',' expr }
 * expr      := unary { '+' unary }
 * unary     := '-' unary | postfix
 * postfix   := primary { '.' NAME | '(' [ argument { ',' argument } ] ')' }
 * argument  := [ NAME '=' ] expr
 * primary   := NAME | INT | FLOAT | STRING | 'True' | 'False' | 'None'
 *            | '(' expr [ ',' [ expr { ',' expr } ] ] ')' | '[' [ expr { ',' expr } ] ']'
 * </pre>
 */
public final class Parser {
    private final List<Token> tokens;
    private int index;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses {@code text}, or throws at the first syntax error. */
    public static Program parse(String text) throws DslException {
        return new Parser(Lexer.tokenize(text)).program();
    }

    private Program program() throws DslException {
        List<Statement> statements = new ArrayList<>();
        while (peek().kind() != Token.Kind.END) {
            statements.add(statement());
            Token end = next();
            if (end.kind() != Token.Kind.NEWLINE && end.kind() != Token.Kind.END) {
                throw new DslException("expected the end of the line, found " + end.describe()
                        + "; one statement per line", end.span());
            }
        }
        return new Program(statements);
    }

    private Statement statement() throws DslException {
        Token first = peek();
        if (first.kind() == Token.Kind.NAME && first.text().equals("return")) {
            next();
            List<Expr> values = new ArrayList<>();
            values.add(expr());
            while (peek().is(",")) {
                next();
                values.add(expr());
            }
            return new Return(values, Span.between(first.span(), values.get(values.size() - 1).span()), lastLine());
        }
        if (first.kind() != Token.Kind.NAME) {
            throw new DslException("a statement starts with a variable (`x = ...`) or `return`, not "
                    + first.describe(), first.span());
        }
        next();
        Token operator = next();
        if (!operator.is("=") && !operator.is("+=")) {
            throw new DslException("expected `=` after " + first.text() + ", found " + operator.describe()
                    + (operator.is("(") ? "; a call's result must be assigned: `x = " + first.text() + "(...)`" : ""),
                    operator.span());
        }
        Expr value = expr();
        Span span = Span.between(first.span(), value.span());
        if (operator.is("+=")) {
            value = new Add(new Name(first.text(), first.span()), value, span);
        }
        return new Assign(first.text(), first.span(), value, operator.is("+="), span, lastLine());
    }

    private Expr expr() throws DslException {
        Expr left = unary();
        while (peek().is("+")) {
            next();
            Expr right = unary();
            left = new Add(left, right, Span.between(left.span(), right.span()));
        }
        if (peek().is("-") || peek().is("*") || peek().is("/")) {
            throw new DslException("only `+` (a residual add) is supported between tensors, not `" + peek().text()
                    + "`", peek().span());
        }
        return left;
    }

    private Expr unary() throws DslException {
        if (peek().is("-")) {
            Token minus = next();
            Expr operand = unary();
            return new Negate(operand, Span.between(minus.span(), operand.span()));
        }
        return postfix();
    }

    private Expr postfix() throws DslException {
        Expr expr = primary();
        while (true) {
            if (peek().is(".")) {
                next();
                Token name = next();
                if (name.kind() != Token.Kind.NAME) {
                    throw new DslException("expected a name after '.', found " + name.describe(), name.span());
                }
                expr = new Ast.Attribute(expr, name.text(), Span.between(expr.span(), name.span()));
            } else if (peek().is("(")) {
                Token open = next();
                List<Argument> arguments = new ArrayList<>();
                if (!peek().is(")")) {
                    arguments.add(argument());
                    while (peek().is(",")) {
                        next();
                        if (peek().is(")")) {
                            break; // a trailing comma, as Python allows
                        }
                        arguments.add(argument());
                    }
                }
                Token close = expectClosing(")", open);
                expr = new Call(expr, arguments, Span.between(expr.span(), close.span()));
            } else {
                return expr;
            }
        }
    }

    private Argument argument() throws DslException {
        Token first = peek();
        if (first.kind() == Token.Kind.NAME && tokens.get(index + 1).is("=")) {
            next();
            next();
            Expr value = expr();
            return new Argument(first.text(), value, Span.between(first.span(), value.span()));
        }
        Expr value = expr();
        return new Argument(null, value, value.span());
    }

    private Expr primary() throws DslException {
        Token token = next();
        switch (token.kind()) {
            case INT:
                return new Literal(Integer.parseInt(token.text()), token.span());
            case FLOAT:
                return new Literal(Double.parseDouble(token.text()), token.span());
            case STRING:
                return new Literal(token.text(), token.span());
            case NAME:
                return switch (token.text()) {
                    case "True" -> new Literal(Boolean.TRUE, token.span());
                    case "False" -> new Literal(Boolean.FALSE, token.span());
                    case "None" -> new Literal(null, token.span());
                    case "true", "false" -> throw new DslException("Python spells it `"
                            + (token.text().equals("true") ? "True" : "False") + "`", token.span());
                    default -> new Name(token.text(), token.span());
                };
            default:
                break;
        }
        if (token.is("(") || token.is("[")) {
            boolean isList = token.is("[");
            String close = isList ? "]" : ")";
            List<Expr> items = new ArrayList<>();
            boolean sawComma = false;
            if (!peek().is(close)) {
                items.add(expr());
                while (peek().is(",")) {
                    next();
                    sawComma = true;
                    if (peek().is(close)) {
                        break;
                    }
                    items.add(expr());
                }
            }
            Token end = expectClosing(close, token);
            Span span = Span.between(token.span(), end.span());
            if (!isList && items.size() == 1 && !sawComma) {
                return items.get(0); // plain parentheses
            }
            return new Sequence(items, isList, span);
        }
        throw new DslException("expected a value, found " + token.describe(), token.span());
    }

    /**
     * The closing bracket of {@code open}. When the line or the text ends first, the error points at the bracket that
     * was never closed, where the user has to look.
     */
    private Token expectClosing(String close, Token open) throws DslException {
        Token token = peek();
        if (token.is(close)) {
            return next();
        }
        // Inside brackets newlines continue the statement, so an unclosed one shows up as a token on a later line.
        if (token.kind() == Token.Kind.NEWLINE || token.kind() == Token.Kind.END
                || token.span().line() > open.span().line() && !token.is(",")) {
            throw new DslException("this '" + open.text() + "' is never closed", open.span());
        }
        throw new DslException("expected `" + close + "` to close the '" + open.text() + "' at column "
                + open.span().column() + ", found " + token.describe(), token.span());
    }

    /** The line of the last token consumed. */
    private int lastLine() {
        return tokens.get(Math.max(0, index - 1)).span().line();
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token token = tokens.get(index);
        if (token.kind() != Token.Kind.END) {
            index++;
        }
        return token;
    }
}
