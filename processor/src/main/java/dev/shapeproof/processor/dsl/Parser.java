package dev.shapeproof.processor.dsl;

import dev.shapeproof.processor.dsl.Ast.Argument;
import dev.shapeproof.processor.dsl.Ast.Assign;
import dev.shapeproof.processor.dsl.Ast.AugAssign;
import dev.shapeproof.processor.dsl.Ast.Binary;
import dev.shapeproof.processor.dsl.Ast.BoolOp;
import dev.shapeproof.processor.dsl.Ast.Branch;
import dev.shapeproof.processor.dsl.Ast.Call;
import dev.shapeproof.processor.dsl.Ast.Compare;
import dev.shapeproof.processor.dsl.Ast.Comprehension;
import dev.shapeproof.processor.dsl.Ast.Conditional;
import dev.shapeproof.processor.dsl.Ast.Dict;
import dev.shapeproof.processor.dsl.Ast.Expr;
import dev.shapeproof.processor.dsl.Ast.ExprStatement;
import dev.shapeproof.processor.dsl.Ast.For;
import dev.shapeproof.processor.dsl.Ast.ForClause;
import dev.shapeproof.processor.dsl.Ast.If;
import dev.shapeproof.processor.dsl.Ast.Literal;
import dev.shapeproof.processor.dsl.Ast.Name;
import dev.shapeproof.processor.dsl.Ast.Param;
import dev.shapeproof.processor.dsl.Ast.Pass;
import dev.shapeproof.processor.dsl.Ast.Program;
import dev.shapeproof.processor.dsl.Ast.Return;
import dev.shapeproof.processor.dsl.Ast.Sequence;
import dev.shapeproof.processor.dsl.Ast.Slice;
import dev.shapeproof.processor.dsl.Ast.Starred;
import dev.shapeproof.processor.dsl.Ast.Statement;
import dev.shapeproof.processor.dsl.Ast.Subscript;
import dev.shapeproof.processor.dsl.Ast.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for the DSL, a subset of Python's grammar:
 *
 * <pre>
 * program    := [ 'def' NAME '(' params ')' [ '->' expr ] ':' suite ] | statements
 * statement  := 'if' expr ':' suite { 'elif' expr ':' suite } [ 'else' ':' suite ]
 *             | 'for' targets 'in' exprs ':' suite
 *             | simple NEWLINE
 * simple     := 'return' [ exprs ] | 'pass' | exprs { '=' exprs } | target augop expr
 * suite      := simple NEWLINE | NEWLINE INDENT statement { statement } DEDENT
 * exprs      := expr { ',' expr } [ ',' ]                          (a tuple when there is a comma)
 * expr       := or [ 'if' or 'else' expr ]
 * or, and    := and { 'or' and },  not { 'and' not }
 * not        := 'not' not | compare;    compare := sum { ('=='|'!='|'<'|'<='|'>'|'>='|'is' ['not']|['not'] 'in') sum }
 * sum        := term { ('+'|'-') term };  term := factor { ('*'|'/'|'//'|'%'|'@') factor }
 * factor     := ('-'|'+'|'~') factor | power;  power := postfix [ '**' factor ]
 * postfix    := primary { '.' NAME | '(' [ argument { ',' argument } ] ')' | '[' subscript ']' }
 * argument   := [ NAME '=' ] expr | '*' expr
 * primary    := NAME | INT | FLOAT | STRING { STRING } (f-strings among them) | '(' [ exprs | comprehension ] ')'
 *             | '[' [ items | comprehension ] ']' | '{' [ key ':' expr { ',' ... } | comprehension ] '}'
 * </pre>
 *
 * Brackets nest at most {@link #MAX_NESTING} deep: deeper texts are an error at the bracket, never a stack overflow.
 */
public final class Parser {
    /** How deep brackets and calls may nest; far beyond any real model's forward. */
    public static final int MAX_NESTING = 100;

    private static final Set<String> AUGMENTED = Set.of("+=", "-=", "*=", "/=", "//=", "%=", "**=");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<String> KEYWORDS = Set.of("if", "elif", "else", "for", "in", "not", "and", "or", "is",
            "return", "pass", "def", "lambda", "while", "import", "from", "class", "with", "try", "except", "yield",
            "del", "global", "nonlocal", "assert", "raise", "break", "continue");

    private final List<Token> tokens;
    private int index;
    private int nesting;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses a forward text, or throws at the first syntax error. */
    public static Program parse(String text) throws DslException {
        return new Parser(Lexer.tokenize(text)).program();
    }

    /** Parses a single expression, such as an {@code @Init} module expression. */
    public static Expr parseExpression(String text) throws DslException {
        Parser parser = new Parser(Lexer.tokenizeExpression(text));
        if (parser.peek().kind() == Token.Kind.END) {
            throw new DslException("the expression is empty", parser.peek().span());
        }
        Expr expr = parser.exprs();
        parser.skipNewlines();
        if (parser.peek().kind() != Token.Kind.END) {
            throw new DslException("expected the end of the expression, found " + parser.peek().describe(),
                    parser.peek().span());
        }
        return expr;
    }

    /** Parses an f-string's replacement field, which starts on {@code line} at {@code column}. */
    static Expr parseField(String text, int line, int column) throws DslException {
        List<Token> tokens = new ArrayList<>();
        for (Token token : Lexer.tokenizeExpression(text)) {
            Span span = token.span();
            tokens.add(new Token(token.kind(), token.text(),
                    new Span(line, column + span.column() - 1, span.length())));
        }
        Parser parser = new Parser(tokens);
        Expr expr = parser.exprs();
        parser.skipNewlines();
        if (parser.peek().kind() != Token.Kind.END) {
            throw new DslException("expected the end of the f-string's field, found " + parser.peek().describe(),
                    parser.peek().span());
        }
        return expr;
    }

    /** Parses a parameter list such as {@code inplanes: int, planes: int, stride: int = 1}. */
    public static List<Param> parseParams(String text) throws DslException {
        Parser parser = new Parser(Lexer.tokenizeExpression(text));
        List<Param> params = parser.peek().kind() == Token.Kind.END ? List.of() : parser.params(Token.Kind.END);
        parser.skipNewlines();
        if (parser.peek().kind() != Token.Kind.END) {
            throw new DslException("expected `,` or the end of the parameters, found " + parser.peek().describe(),
                    parser.peek().span());
        }
        return params;
    }

    private Program program() throws DslException {
        skipNewlines();
        if (peek().is("def")) {
            next();
            Token name = expectName("a function name after def");
            if (!name.text().equals("forward")) {
                throw new DslException("the function must be called forward", name.span());
            }
            Token open = expect("(", "after def forward");
            List<Param> params = peek().is(")") ? List.of() : params(null);
            expectClosing(")", open);
            if (params.isEmpty() || !params.get(0).name().equals("self")) {
                throw new DslException("forward's first parameter is self, as in PyTorch", open.span());
            }
            if (peek().is("->")) {
                next();
                expr();
            }
            expect(":", "after def forward(...)");
            List<Statement> body = suite();
            skipNewlines();
            if (peek().kind() != Token.Kind.END) {
                throw new DslException("only forward's body may follow its def line; indent this line",
                        peek().span());
            }
            return new Program(params.subList(1, params.size()), body);
        }
        List<Statement> statements = new ArrayList<>();
        while (peek().kind() != Token.Kind.END) {
            statements.add(statement());
            skipNewlines();
        }
        return new Program(null, statements);
    }

    private List<Param> params(Token.Kind end) throws DslException {
        List<Param> params = new ArrayList<>();
        boolean defaults = false;
        while (true) {
            Token name = expectName("a parameter name");
            Expr annotation = null;
            Expr defaultValue = null;
            if (peek().is(":")) {
                next();
                annotation = expr();
            }
            if (peek().is("=")) {
                next();
                defaultValue = expr();
                defaults = true;
            } else if (defaults) {
                throw new DslException("a parameter without a default follows one with a default", name.span());
            }
            for (Param other : params) {
                if (other.name().equals(name.text())) {
                    throw new DslException("two parameters are called " + name.text(), name.span());
                }
            }
            params.add(new Param(name.text(), annotation, defaultValue, name.span()));
            if (!peek().is(",")) {
                return params;
            }
            next();
            if (peek().is(")") || peek().kind() == end) {
                return params;
            }
        }
    }

    private List<Statement> suite() throws DslException {
        if (peek().kind() != Token.Kind.NEWLINE) {
            List<Statement> one = List.of(simple());
            endOfLine();
            return one;
        }
        next();
        if (peek().kind() != Token.Kind.INDENT) {
            throw new DslException("expected an indented block after the `:`", peek().span());
        }
        enter(next());
        List<Statement> body = new ArrayList<>();
        try {
            while (peek().kind() != Token.Kind.DEDENT && peek().kind() != Token.Kind.END) {
                body.add(statement());
                skipNewlines();
            }
        } finally {
            nesting--;
        }
        if (peek().kind() == Token.Kind.DEDENT) {
            next();
        }
        return body;
    }

    private Statement statement() throws DslException {
        Token first = peek();
        if (first.is("if")) {
            return ifStatement();
        }
        if (first.is("for")) {
            next();
            Expr target = targets();
            expectKeyword("in", "after the for loop's variables");
            Expr iterable = exprs();
            expect(":", "at the end of the for line");
            int line = lastLine();
            List<Statement> body = suite();
            return new For(target, iterable, body, Span.between(first.span(), iterable.span()), line);
        }
        if (first.kind() == Token.Kind.INDENT) {
            throw new DslException("unexpected indentation", first.span());
        }
        if (first.is("else") || first.is("elif")) {
            throw new DslException("`" + first.text() + "` without an `if` before it", first.span());
        }
        Statement statement = simple();
        endOfLine();
        return statement;
    }

    private If ifStatement() throws DslException {
        Token first = peek();
        List<Branch> branches = new ArrayList<>();
        do {
            Token keyword = next();
            Expr condition = expr();
            expect(":", "at the end of the " + keyword.text() + " line");
            branches.add(new Branch(condition, suite(), Span.between(keyword.span(), condition.span())));
            skipNewlines();
        } while (peek().is("elif"));
        List<Statement> orElse = List.of();
        if (peek().is("else")) {
            next();
            expect(":", "after else");
            orElse = suite();
        }
        return new If(branches, orElse, Span.between(first.span(), branches.get(0).condition().span()), lastLine());
    }

    private Statement simple() throws DslException {
        Token first = peek();
        if (first.is("return")) {
            next();
            List<Expr> values = new ArrayList<>();
            if (peek().kind() != Token.Kind.NEWLINE && peek().kind() != Token.Kind.END) {
                values.add(expr());
                while (peek().is(",")) {
                    next();
                    if (peek().kind() == Token.Kind.NEWLINE) {
                        break;
                    }
                    values.add(expr());
                }
            }
            Span span = values.isEmpty() ? first.span() : Span.between(first.span(), values.get(values.size() - 1).span());
            return new Return(values, span, lastLine());
        }
        if (first.is("pass")) {
            next();
            return new Pass(first.span(), lastLine());
        }
        if (first.kind() == Token.Kind.NAME && KEYWORDS.contains(first.text())) {
            throw new DslException("`" + first.text() + "` is not supported in the DSL", first.span());
        }
        if (first.kind() != Token.Kind.NAME && !first.is("(") && !first.is("[")) {
            throw new DslException("a statement starts with a variable (`x = ...`) or `return`, not "
                    + first.describe(), first.span());
        }
        Expr left = exprs();
        if (peek().is("=")) {
            List<Expr> targets = new ArrayList<>();
            targets.add(checkTarget(left));
            next();
            Expr value = exprs();
            while (peek().is("=")) {
                targets.add(checkTarget(value));
                next();
                value = exprs();
            }
            return new Assign(targets, value, Span.between(first.span(), value.span()), lastLine());
        }
        if (peek().kind() == Token.Kind.OP && AUGMENTED.contains(peek().text())) {
            Token operator = next();
            if (!(left instanceof Name) && !(left instanceof Ast.Attribute) && !(left instanceof Subscript)) {
                throw new DslException("only a variable can be the target of " + operator.text(), left.span());
            }
            Expr value = expr();
            String op = operator.text().substring(0, operator.text().length() - 1);
            return new AugAssign(left, op, value, Span.between(first.span(), value.span()), lastLine());
        }
        if (peek().kind() != Token.Kind.NEWLINE && peek().kind() != Token.Kind.END && left instanceof Name name) {
            throw new DslException("expected `=` after " + name.id() + ", found " + peek().describe()
                    + (peek().is("(") ? "; a call's result must be assigned: `x = " + name.id() + "(...)`" : ""),
                    peek().span());
        }
        return new ExprStatement(left, left.span(), lastLine());
    }

    /** What may stand left of {@code =}: names, attributes, subscripts and tuples of them. */
    private static Expr checkTarget(Expr target) throws DslException {
        if (target instanceof Name || target instanceof Ast.Attribute || target instanceof Subscript) {
            return target;
        }
        if (target instanceof Sequence sequence && !sequence.items().isEmpty()) {
            for (Expr item : sequence.items()) {
                checkTarget(item);
            }
            return target;
        }
        throw new DslException("cannot assign to " + describe(target), target.span());
    }

    private static String describe(Expr expr) {
        return expr instanceof Call ? "a call" : expr instanceof Literal ? "a literal" : "this expression";
    }

    /** The targets of a {@code for}: one name, or names separated by commas (a tuple). */
    private Expr targets() throws DslException {
        Token first = peek();
        List<Expr> items = new ArrayList<>();
        items.add(postfix());
        while (peek().is(",")) {
            next();
            items.add(postfix());
        }
        Expr target = items.size() == 1 ? items.get(0)
                : new Sequence(items, false, Span.between(first.span(), items.get(items.size() - 1).span()));
        return checkTarget(target);
    }

    /** Expressions separated by commas: a tuple when there is a comma. */
    private Expr exprs() throws DslException {
        Expr first = expr();
        if (!peek().is(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>();
        items.add(first);
        while (peek().is(",")) {
            next();
            if (!startsExpression(peek())) {
                break;
            }
            items.add(expr());
        }
        return new Sequence(items, false, Span.between(first.span(), items.get(items.size() - 1).span()));
    }

    private static boolean startsExpression(Token token) {
        return switch (token.kind()) {
            case NAME -> !KEYWORDS.contains(token.text()) || token.is("not");
            case INT, FLOAT, STRING, FSTRING -> true;
            case OP -> token.is("(") || token.is("[") || token.is("{") || token.is("-") || token.is("+")
                    || token.is("~") || token.is("*");
            default -> false;
        };
    }

    private Expr expr() throws DslException {
        Expr body = or();
        if (peek().is("if")) {
            Token keyword = next();
            Expr condition = or();
            expectKeyword("else", "in a conditional expression `a if condition else b`");
            enter(keyword);
            try {
                Expr orElse = expr();
                return new Conditional(condition, body, orElse, Span.between(body.span(), orElse.span()));
            } finally {
                nesting--;
            }
        }
        return body;
    }

    private Expr or() throws DslException {
        Expr first = and();
        if (!peek().is("or")) {
            return first;
        }
        List<Expr> values = new ArrayList<>(List.of(first));
        while (peek().is("or")) {
            next();
            values.add(and());
        }
        return new BoolOp("or", values, Span.between(first.span(), values.get(values.size() - 1).span()));
    }

    private Expr and() throws DslException {
        Expr first = not();
        if (!peek().is("and")) {
            return first;
        }
        List<Expr> values = new ArrayList<>(List.of(first));
        while (peek().is("and")) {
            next();
            values.add(not());
        }
        return new BoolOp("and", values, Span.between(first.span(), values.get(values.size() - 1).span()));
    }

    private Expr not() throws DslException {
        if (peek().is("not")) {
            Token not = next();
            enter(not);
            try {
                Expr operand = not();
                return new Unary("not", operand, Span.between(not.span(), operand.span()));
            } finally {
                nesting--;
            }
        }
        return compare();
    }

    private Expr compare() throws DslException {
        Expr first = sum();
        List<Expr> operands = new ArrayList<>(List.of(first));
        List<String> ops = new ArrayList<>();
        while (true) {
            Token token = peek();
            String op;
            if (token.kind() == Token.Kind.OP && COMPARISONS.contains(token.text())) {
                next();
                op = token.text();
            } else if (token.is("is")) {
                next();
                op = peek().is("not") ? "is not" : "is";
                if (op.equals("is not")) {
                    next();
                }
            } else if (token.is("in")) {
                next();
                op = "in";
            } else if (token.is("not") && tokens.get(index + 1).is("in")) {
                next();
                next();
                op = "not in";
            } else {
                break;
            }
            ops.add(op);
            operands.add(sum());
        }
        if (ops.isEmpty()) {
            return first;
        }
        return new Compare(operands, ops, Span.between(first.span(), operands.get(operands.size() - 1).span()));
    }

    private Expr sum() throws DslException {
        Expr left = term();
        while (peek().is("+") || peek().is("-")) {
            Token op = next();
            Expr right = term();
            left = new Binary(op.text(), left, right, Span.between(left.span(), right.span()), op.span());
        }
        return left;
    }

    private Expr term() throws DslException {
        Expr left = factor();
        while (peek().is("*") || peek().is("/") || peek().is("//") || peek().is("%") || peek().is("@")) {
            Token op = next();
            Expr right = factor();
            left = new Binary(op.text(), left, right, Span.between(left.span(), right.span()), op.span());
        }
        return left;
    }

    private Expr factor() throws DslException {
        if (peek().is("-") || peek().is("+") || peek().is("~")) {
            Token sign = next();
            enter(sign);
            try {
                Expr operand = factor();
                return new Unary(sign.text(), operand, Span.between(sign.span(), operand.span()));
            } finally {
                nesting--;
            }
        }
        Expr base = postfix();
        if (peek().is("**")) {
            Token op = next();
            Expr exponent = factor();
            return new Binary("**", base, exponent, Span.between(base.span(), exponent.span()), op.span());
        }
        return base;
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
                enter(open);
                List<Argument> arguments = new ArrayList<>();
                try {
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
                } finally {
                    nesting--;
                }
                Token close = expectClosing(")", open);
                expr = new Call(expr, arguments, Span.between(expr.span(), close.span()));
            } else if (peek().is("[")) {
                Token open = next();
                enter(open);
                Expr index;
                try {
                    index = subscript();
                } finally {
                    nesting--;
                }
                Token close = expectClosing("]", open);
                expr = new Subscript(expr, index, Span.between(expr.span(), close.span()));
            } else {
                return expr;
            }
        }
    }

    /** The inside of {@code [...]}: an expression, a slice, or several of them separated by commas. */
    private Expr subscript() throws DslException {
        Token first = peek();
        List<Expr> items = new ArrayList<>();
        items.add(sliceOrExpr());
        boolean sawComma = false;
        while (peek().is(",")) {
            next();
            sawComma = true;
            if (peek().is("]")) {
                break;
            }
            items.add(sliceOrExpr());
        }
        if (!sawComma) {
            return items.get(0);
        }
        return new Sequence(items, false, Span.between(first.span(), items.get(items.size() - 1).span()));
    }

    private Expr sliceOrExpr() throws DslException {
        Token first = peek();
        Expr lower = peek().is(":") ? null : expr();
        if (!peek().is(":")) {
            return lower;
        }
        Token colon = next();
        Expr upper = peek().is(":") || peek().is("]") || peek().is(",") ? null : expr();
        Expr step = null;
        if (peek().is(":")) {
            next();
            step = peek().is("]") || peek().is(",") ? null : expr();
        }
        Span end = step != null ? step.span() : upper != null ? upper.span() : colon.span();
        return new Slice(lower, upper, step, Span.between(first.span(), end));
    }

    private Argument argument() throws DslException {
        Token first = peek();
        if (first.is("*")) {
            next();
            Expr value = expr();
            Span span = Span.between(first.span(), value.span());
            return new Argument(null, new Starred(value, span), span);
        }
        if (first.is("**")) {
            throw new DslException("`**` keyword unpacking is not supported; pass the keywords by name", first.span());
        }
        if (first.kind() == Token.Kind.NAME && tokens.get(index + 1).is("=")) {
            next();
            next();
            Expr value = expr();
            return new Argument(first.text(), value, Span.between(first.span(), value.span()));
        }
        Expr value = expr();
        if (peek().is("for")) {
            // A generator as the only argument: sum(x for x in ...)
            value = comprehension(null, value, false, first);
        }
        return new Argument(null, value, value.span());
    }

    /**
     * Adjacent string literals concatenate, as in Python; an f-string's fields join its text as {@code str(field)},
     * which is what Python's formatting gives for the ints, floats, strings and booleans of module code.
     */
    private Expr strings(Token first) throws DslException {
        List<Expr> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        Span span = first.span();
        Token token = first;
        while (true) {
            span = Span.between(span, token.span());
            if (token.kind() == Token.Kind.STRING) {
                literal.append(token.text());
            } else {
                for (FormattedStrings.Piece piece : FormattedStrings.pieces(token)) {
                    if (piece.literal() != null) {
                        literal.append(piece.literal());
                    } else {
                        if (!literal.isEmpty()) {
                            parts.add(new Literal(literal.toString(), token.span()));
                            literal.setLength(0);
                        }
                        Expr field = piece.expression();
                        parts.add(new Call(new Name("str", field.span()),
                                List.of(new Argument(null, field, field.span())), field.span()));
                    }
                }
            }
            if (peek().kind() != Token.Kind.STRING && peek().kind() != Token.Kind.FSTRING) {
                break;
            }
            token = next();
        }
        if (!literal.isEmpty() || parts.isEmpty()) {
            parts.add(new Literal(literal.toString(), token.span()));
        }
        if (parts.size() == 1 && parts.get(0) instanceof Literal only) {
            return new Literal(only.value(), span);
        }
        Expr joined = parts.get(0);
        for (Expr part : parts.subList(1, parts.size())) {
            joined = new Binary("+", joined, part, Span.between(joined.span(), part.span()), part.span());
        }
        return joined;
    }

    private Expr primary() throws DslException {
        Token token = next();
        switch (token.kind()) {
            case INT:
                return new Literal(Integer.parseInt(token.text()), token.span());
            case FLOAT:
                return new Literal(Double.parseDouble(token.text()), token.span());
            case STRING, FSTRING:
                return strings(token);
            case NAME:
                if (KEYWORDS.contains(token.text()) && !token.is("not")) {
                    throw new DslException("expected a value, found the keyword `" + token.text() + "`",
                            token.span());
                }
                return switch (token.text()) {
                    case "True" -> new Literal(Boolean.TRUE, token.span());
                    case "False" -> new Literal(Boolean.FALSE, token.span());
                    case "None" -> new Literal(null, token.span());
                    case "true", "false" -> throw new DslException("Python spells it `"
                            + (token.text().equals("true") ? "True" : "False") + "`", token.span());
                    case "null" -> throw new DslException("Python spells it `None`", token.span());
                    default -> new Name(token.text(), token.span());
                };
            default:
                break;
        }
        if (token.is("(") || token.is("[")) {
            return display(token);
        }
        if (token.is("{")) {
            return dict(token);
        }
        throw new DslException("expected a value, found " + token.describe(), token.span());
    }

    /** {@code (...)} or {@code [...]}: parentheses, a tuple, a list, or a comprehension. */
    private Expr display(Token open) throws DslException {
        boolean isList = open.is("[");
        String close = isList ? "]" : ")";
        enter(open);
        List<Expr> items = new ArrayList<>();
        boolean sawComma = false;
        try {
            if (!peek().is(close)) {
                items.add(item());
                if (peek().is("for")) {
                    Expr comprehension = comprehension(null, items.get(0), false, open);
                    Token end = expectClosing(close, open);
                    Comprehension c = (Comprehension) comprehension;
                    return new Comprehension(null, c.element(), c.clauses(), false,
                            Span.between(open.span(), end.span()));
                }
                while (peek().is(",")) {
                    next();
                    sawComma = true;
                    if (peek().is(close)) {
                        break;
                    }
                    items.add(item());
                }
            }
        } finally {
            nesting--;
        }
        Token end = expectClosing(close, open);
        Span span = Span.between(open.span(), end.span());
        if (!isList && items.size() == 1 && !sawComma && !(items.get(0) instanceof Starred)) {
            return items.get(0); // plain parentheses
        }
        return new Sequence(items, isList, span);
    }

    /** An item of a list or tuple display: an expression or a {@code *} unpacking. */
    private Expr item() throws DslException {
        if (peek().is("*")) {
            Token star = next();
            Expr value = expr();
            return new Starred(value, Span.between(star.span(), value.span()));
        }
        return expr();
    }

    private Expr dict(Token open) throws DslException {
        enter(open);
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        try {
            if (!peek().is("}")) {
                Expr key = expr();
                expect(":", "between a dict's key and value (sets are not supported)");
                Expr value = expr();
                if (peek().is("for")) {
                    Comprehension c = (Comprehension) comprehension(key, value, true, open);
                    Token end = expectClosing("}", open);
                    return new Comprehension(key, value, c.clauses(), true, Span.between(open.span(), end.span()));
                }
                keys.add(key);
                values.add(value);
                while (peek().is(",")) {
                    next();
                    if (peek().is("}")) {
                        break;
                    }
                    keys.add(expr());
                    expect(":", "between a dict's key and value");
                    values.add(expr());
                }
            }
        } finally {
            nesting--;
        }
        Token end = expectClosing("}", open);
        return new Dict(keys, values, Span.between(open.span(), end.span()));
    }

    /** The {@code for ... in ... [if ...]} clauses after a comprehension's element. */
    private Expr comprehension(Expr key, Expr element, boolean isDict, Token start) throws DslException {
        List<ForClause> clauses = new ArrayList<>();
        while (peek().is("for")) {
            next();
            Expr target = targets();
            expectKeyword("in", "after the comprehension's variables");
            Expr iterable = or();
            List<Expr> conditions = new ArrayList<>();
            while (peek().is("if")) {
                next();
                conditions.add(or());
            }
            clauses.add(new ForClause(target, iterable, conditions));
        }
        return new Comprehension(key, element, clauses, isDict, Span.between(start.span(), element.span()));
    }

    /** Counts one more level of nesting at {@code token}; too many is an error there. */
    private void enter(Token token) throws DslException {
        if (++nesting > MAX_NESTING) {
            nesting = 0;
            throw new DslException("the text nests more than " + MAX_NESTING + " levels deep here; assign inner "
                    + "results to variables on lines of their own", token.span());
        }
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
                || token.kind() == Token.Kind.INDENT || token.kind() == Token.Kind.DEDENT
                || token.span().line() > open.span().line() && !token.is(",")) {
            throw new DslException("this '" + open.text() + "' is never closed", open.span());
        }
        throw new DslException("expected `" + close + "` to close the '" + open.text() + "' at column "
                + open.span().column() + ", found " + token.describe(), token.span());
    }

    private Token expect(String op, String where) throws DslException {
        Token token = peek();
        if (!token.is(op)) {
            throw new DslException("expected `" + op + "` " + where + ", found " + token.describe(), token.span());
        }
        return next();
    }

    private void expectKeyword(String keyword, String where) throws DslException {
        expect(keyword, where);
    }

    private Token expectName(String what) throws DslException {
        Token token = next();
        if (token.kind() != Token.Kind.NAME || KEYWORDS.contains(token.text())) {
            throw new DslException("expected " + what + ", found " + token.describe(), token.span());
        }
        return token;
    }

    private void endOfLine() throws DslException {
        Token end = peek();
        if (end.kind() == Token.Kind.NEWLINE) {
            next();
            return;
        }
        if (end.kind() == Token.Kind.END || end.kind() == Token.Kind.DEDENT) {
            return;
        }
        throw new DslException("expected the end of the line, found " + end.describe() + "; one statement per line",
                end.span());
    }

    private void skipNewlines() {
        while (peek().kind() == Token.Kind.NEWLINE) {
            next();
        }
    }

    /** The line of the last token consumed. */
    private int lastLine() {
        for (int i = index - 1; i >= 0; i--) {
            Token token = tokens.get(i);
            if (token.kind() != Token.Kind.NEWLINE && token.kind() != Token.Kind.INDENT
                    && token.kind() != Token.Kind.DEDENT) {
                return token.span().line();
            }
        }
        return 1;
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
