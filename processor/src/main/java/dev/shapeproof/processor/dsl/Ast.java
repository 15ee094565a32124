package dev.shapeproof.processor.dsl;

import java.util.List;

/**
 * The syntax tree of a DSL text: a forward (statements), a module expression ({@code @Init}) or a parameter list
 * ({@code @Block(params)}). It is a subset of Python's; every node keeps its {@link Span} for error messages.
 */
public final class Ast {
    private Ast() {}

    /**
     * A forward text: its parameters (from a {@code def forward(self, x):} header, or {@code null} when it has none
     * and the input is {@code x}) and its statements.
     */
    public record Program(List<Param> params, List<Statement> statements) {}

    /**
     * One parameter of a {@code def} header or a block's {@code params}: {@code name}, {@code name: int},
     * {@code name=1}.
     *
     * @param annotation its type annotation, or {@code null}
     * @param defaultValue its default, or {@code null} when it is required
     */
    public record Param(String name, Expr annotation, Expr defaultValue, Span span) {}

    /** One statement. */
    public sealed interface Statement permits Assign, AugAssign, Return, If, For, ExprStatement, Pass {
        Span span();

        /** The last line the statement spans: a call's arguments may continue on the next lines. */
        int endLine();
    }

    /** {@code target = value}; several targets for {@code a = b = value}; a tuple target unpacks. */
    public record Assign(List<Expr> targets, Expr value, Span span, int endLine) implements Statement {}

    /** {@code target += value} and the other augmented assignments; {@code op} is the binary operator ({@code +}). */
    public record AugAssign(Expr target, String op, Expr value, Span span, int endLine) implements Statement {}

    /** {@code return a} or {@code return a, b}; no value is an empty list. */
    public record Return(List<Expr> values, Span span, int endLine) implements Statement {}

    /** {@code if}/{@code elif} branches in order, then the {@code else} body (empty when there is none). */
    public record If(List<Branch> branches, List<Statement> orElse, Span span, int endLine) implements Statement {}

    /** One {@code if} or {@code elif}: its condition and body. */
    public record Branch(Expr condition, List<Statement> body, Span span) {}

    /** {@code for target in iterable:} and its body. */
    public record For(Expr target, Expr iterable, List<Statement> body, Span span, int endLine)
            implements Statement {}

    /** An expression whose value is dropped, such as {@code features.append(y)}. */
    public record ExprStatement(Expr value, Span span, int endLine) implements Statement {}

    /** {@code pass}. */
    public record Pass(Span span, int endLine) implements Statement {}

    /** An expression. */
    public sealed interface Expr permits Name, Attribute, Call, Literal, Sequence, Dict, Binary, Unary, Compare,
            BoolOp, Conditional, Subscript, Slice, Starred, Comprehension {
        Span span();
    }

    /** A variable, module or function name. */
    public record Name(String id, Span span) implements Expr {}

    /** {@code target.name}: {@code self.conv1}, {@code F.relu}, {@code x.view}. */
    public record Attribute(Expr target, String name, Span span) implements Expr {}

    /** {@code callee(args)}. */
    public record Call(Expr callee, List<Argument> arguments, Span span) implements Expr {}

    /**
     * One argument of a call.
     *
     * @param keyword the keyword, or {@code null} for a positional argument (or a {@code *} unpacking, whose value is
     *     a {@link Starred})
     */
    public record Argument(String keyword, Expr value, Span span) {}

    /** An int ({@code Integer}), float ({@code Double}), string, boolean or {@code None} ({@code null}) literal. */
    public record Literal(Object value, Span span) implements Expr {}

    /** A tuple {@code (a, b)} or a list {@code [a, b]}. */
    public record Sequence(List<Expr> items, boolean isList, Span span) implements Expr {}

    /** A dict display {@code {k: v, ...}}. */
    public record Dict(List<Expr> keys, List<Expr> values, Span span) implements Expr {}

    /** {@code left op right} with {@code op} one of {@code + - * / // % ** @}; {@code opSpan} is the operator's. */
    public record Binary(String op, Expr left, Expr right, Span span, Span opSpan) implements Expr {}

    /** {@code -operand}, {@code +operand}, {@code not operand}. */
    public record Unary(String op, Expr operand, Span span) implements Expr {}

    /**
     * A comparison chain {@code a < b <= c}: {@code ops} are {@code == != < <= > >= is, is not, in, not in}, one
     * between each pair of {@code operands}.
     */
    public record Compare(List<Expr> operands, List<String> ops, Span span) implements Expr {}

    /** {@code a and b and c} or {@code a or b}. */
    public record BoolOp(String op, List<Expr> values, Span span) implements Expr {}

    /** {@code body if condition else orElse}. */
    public record Conditional(Expr condition, Expr body, Expr orElse, Span span) implements Expr {}

    /** {@code target[index]}; several indices ({@code x[:, 0]}) make a tuple index. */
    public record Subscript(Expr target, Expr index, Span span) implements Expr {}

    /** {@code lower:upper:step} inside a subscript; absent parts are {@code null}. */
    public record Slice(Expr lower, Expr upper, Expr step, Span span) implements Expr {}

    /** {@code *value} in a call's arguments or a list display. */
    public record Starred(Expr value, Span span) implements Expr {}

    /**
     * {@code [element for target in iterable if condition]}, the tuple or generator form, or
     * {@code {key: element for ...}}.
     *
     * @param key the dict key expression, or {@code null} for a list
     */
    public record Comprehension(Expr key, Expr element, List<ForClause> clauses, boolean isDict, Span span)
            implements Expr {}

    /** One {@code for target in iterable} of a comprehension, with its {@code if} conditions. */
    public record ForClause(Expr target, Expr iterable, List<Expr> conditions) {}
}
