package dev.shapeproof.processor.dsl;

import java.util.List;

/** The syntax tree of a forward text. Every node keeps its {@link Span} for error messages. */
public final class Ast {
    private Ast() {}

    /** The whole forward: its statements in order. */
    public record Program(List<Statement> statements) {}

    /** One line of the forward. */
    public sealed interface Statement permits Assign, Return {
        Span span();

        /** The last line the statement spans: a call's arguments may continue on the next lines. */
        int endLine();
    }

    /**
     * {@code target = value}; {@code target += value} is parsed as {@code target = target + value}.
     *
     * @param augmented whether it was written {@code +=} (for messages)
     */
    public record Assign(String target, Span targetSpan, Expr value, boolean augmented, Span span, int endLine)
            implements Statement {}

    /** {@code return a} or {@code return a, b}. */
    public record Return(List<Expr> values, Span span, int endLine) implements Statement {}

    /** An expression. */
    public sealed interface Expr permits Name, Attribute, Call, Literal, Sequence, Add, Negate {
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
     * @param keyword the keyword, or {@code null} for a positional argument
     */
    public record Argument(String keyword, Expr value, Span span) {}

    /** An int ({@code Integer}), float ({@code Double}), string, boolean or {@code None} ({@code null}) literal. */
    public record Literal(Object value, Span span) implements Expr {}

    /** A tuple {@code (a, b)} or a list {@code [a, b]}. */
    public record Sequence(List<Expr> items, boolean isList, Span span) implements Expr {}

    /** {@code left + right}. */
    public record Add(Expr left, Expr right, Span span) implements Expr {}

    /** {@code -operand}, for negative numbers such as {@code -1} in a view. */
    public record Negate(Expr operand, Span span) implements Expr {}
}
