package dev.shapeproof.sizes;

import dev.shapeproof.shape.Window;
import java.util.Set;

/**
 * The two spellings of a {@link Size}: for people ({@code ⌈H/2⌉ + 1}, {@code 2·⌊H/2⌋}) and as ASCII specs
 * ({@code ceil(H/2)+1}, {@code 2*floor(H/2)}), and the parser that reads specs back. Both spellings come from one
 * method per form, so they always say the same thing.
 *
 * <p>A floor-affine size {@code ⌊(a·x + b)/d⌋} is written with its whole part outside ({@code b = q·d + r}) and as a
 * floor or a ceiling, whichever needs the smaller offset inside: {@code ⌊(H + 1)/2⌋} reads {@code ⌈H/2⌉}.
 */
final class SizeSpec {
    private static final Set<String> FUNCTIONS = Set.of("floor", "ceil", "pool", "scale", "max");

    private SizeSpec() {}

    /** Whether {@code name} can name a free size: an identifier that is not a function of the spec. */
    static boolean isName(String name) {
        if (name == null || name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0)) || name.contains("$")
                || FUNCTIONS.contains(name)) {
            return false;
        }
        return name.chars().allMatch(Character::isJavaIdentifierPart);
    }

    static String affine(Size.Affine size, boolean pretty) {
        String x = operand(size.x(), pretty);
        String ax = size.a() == 1 ? x : coefficient(size.a(), x, size.x() instanceof Size.Symbol, pretty);
        if (size.d() == 1) {
            return ax + offset(size.b(), pretty);
        }
        long d = size.d();
        // Candidates: the whole part outside or not, as a floor or a ceiling; the fewest offsets win, then the smallest.
        long[] best = null;
        for (long q : new long[] {0, Math.floorDiv(size.b(), d)}) {
            for (int ceil = 0; ceil <= 1; ceil++) {
                long inner = size.b() - q * d - ceil * (d - 1);
                long[] candidate = {(inner != 0 ? 1 : 0) + (q != 0 ? 1 : 0), Math.abs(inner) + Math.abs(q),
                        q != 0 ? 1 : 0, ceil, inner, q};
                if (best == null || java.util.Arrays.compare(candidate, 0, 4, best, 0, 4) < 0) {
                    best = candidate;
                }
            }
        }
        boolean ceil = best[3] == 1;
        long inner = best[4];
        long q = best[5];
        String numerator = inner == 0 ? ax : "(" + ax + offset(inner, pretty) + ")";
        String body = pretty
                ? (ceil ? "⌈" : "⌊") + numerator + "/" + d + (ceil ? "⌉" : "⌋")
                : (ceil ? "ceil(" : "floor(") + numerator + "/" + d + ")";
        return body + offset(q, pretty);
    }

    static String product(Size.Product size, boolean pretty) {
        StringBuilder text = new StringBuilder();
        if (size.coefficient() != 1) {
            text.append(size.coefficient()).append(pretty ? "·" : "*");
        }
        for (int i = 0; i < size.factors().size(); i++) {
            if (i > 0) {
                text.append(pretty ? "·" : "*");
            }
            text.append(operand(size.factors().get(i), pretty));
        }
        return text.toString();
    }

    static String sum(Size.Sum size, boolean pretty) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size.terms().size(); i++) {
            if (i > 0) {
                text.append(pretty ? " + " : "+");
            }
            Size term = size.terms().get(i);
            text.append(term instanceof Size.Sum ? "(" + text(term, pretty) + ")" : text(term, pretty));
        }
        return text + offset(size.constant(), pretty);
    }

    /** {@code x} as the operand of a product or a scale: parenthesised unless it is one unit. */
    static String factor(Size x, boolean pretty) {
        return operand(x, pretty);
    }

    private static String operand(Size x, boolean pretty) {
        String text = text(x, pretty);
        boolean atomic = x instanceof Size.Symbol || x instanceof Size.Constant || x instanceof Size.CeilWindow
                || x instanceof Size.Scaled || x instanceof Size.Product || x instanceof Size.Max
                || x instanceof Size.Affine affine && affine.d() > 1
                        && (text.endsWith("⌋") || text.endsWith("⌉") || text.endsWith(")"));
        return atomic ? text : "(" + text + ")";
    }

    private static String text(Size x, boolean pretty) {
        return pretty ? x.toString() : x.toSpec();
    }

    private static String coefficient(long a, String x, boolean symbol, boolean pretty) {
        if (!pretty) {
            return a + "*" + x;
        }
        return symbol ? a + x : a + "·" + x;
    }

    private static String offset(long c, boolean pretty) {
        if (c == 0) {
            return "";
        }
        if (!pretty) {
            return (c > 0 ? "+" : "-") + Math.abs(c);
        }
        return (c > 0 ? " + " : " − ") + Math.abs(c);
    }

    // --- reading specs back ----------------------------------------------------------------------------------------

    static Size parse(String spec) {
        Parser parser = new Parser(spec);
        Size size = parser.expression();
        parser.expectEnd();
        return size;
    }

    /** Recursive descent over the ASCII spelling; see the class comment. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text.replace(" ", "");
        }

        Size expression() {
            Size size = term();
            while (at < text.length() && (peek() == '+' || peek() == '-')) {
                char op = text.charAt(at++);
                Size right = term();
                if (op == '-') {
                    if (!(right instanceof Size.Constant c)) {
                        throw error("only a number can be subtracted");
                    }
                    size = size.plus(-c.value());
                } else {
                    size = right instanceof Size.Constant c ? size.plus(c.value()) : Size.sum(size, right);
                }
            }
            return size;
        }

        private Size term() {
            Size size = factor();
            while (at < text.length() && peek() == '*') {
                at++;
                Size right = factor();
                if (size instanceof Size.Constant c && !(right instanceof Size.Constant)) {
                    size = right.times(c.value());
                } else if (right instanceof Size.Constant c) {
                    size = size.times(c.value());
                } else {
                    size = Size.product(size, right);
                }
            }
            return size;
        }

        private Size factor() {
            if (at >= text.length()) {
                throw error("a size is missing");
            }
            char c = peek();
            if (c == '(') {
                at++;
                Size inner = expression();
                expect(')');
                return inner;
            }
            if (c == '-' || Character.isDigit(c)) {
                return Size.of(number());
            }
            String name = name();
            switch (name) {
                case "floor", "ceil" -> {
                    expect('(');
                    Size numerator = expression();
                    expect('/');
                    long divisor = number();
                    expect(')');
                    return name.equals("floor") ? numerator.floorDiv(divisor) : numerator.ceilDiv(divisor);
                }
                case "pool" -> {
                    expect('(');
                    Size x = expression();
                    int[] window = new int[5];
                    for (int i = 0; i < window.length; i++) {
                        expect(',');
                        window[i] = Math.toIntExact(number());
                    }
                    expect(')');
                    return x.through(new Window(window[0], window[1], window[2], window[3], window[4], true));
                }
                case "max" -> {
                    expect('(');
                    Size a = expression();
                    expect(',');
                    Size b = expression();
                    expect(')');
                    return Size.broadcast(a, b);
                }
                case "scale" -> {
                    expect('(');
                    Size x = expression();
                    expect(',');
                    int start = at;
                    while (at < text.length() && peek() != ')') {
                        at++;
                    }
                    double factor = Double.parseDouble(text.substring(start, at));
                    expect(')');
                    return x.scaledBy(factor);
                }
                default -> {
                    return Size.symbol(name);
                }
            }
        }

        private long number() {
            int start = at;
            if (at < text.length() && peek() == '-') {
                at++;
            }
            while (at < text.length() && Character.isDigit(peek())) {
                at++;
            }
            if (start == at || text.charAt(at - 1) == '-') {
                throw error("a number is expected");
            }
            return Long.parseLong(text.substring(start, at));
        }

        private String name() {
            int start = at;
            while (at < text.length() && Character.isJavaIdentifierPart(peek())) {
                at++;
            }
            if (start == at) {
                throw error("a size, a name or a function is expected");
            }
            return text.substring(start, at);
        }

        private char peek() {
            return text.charAt(at);
        }

        private void expect(char c) {
            if (at >= text.length() || peek() != c) {
                throw error("'" + c + "' is expected");
            }
            at++;
        }

        void expectEnd() {
            if (at != text.length()) {
                throw error("unexpected text");
            }
        }

        private IllegalArgumentException error(String why) {
            return new IllegalArgumentException("not a size spec: " + text + " (" + why + " at " + at + ")");
        }
    }
}
