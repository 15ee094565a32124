package dev.shapeproof.sizes;

import dev.shapeproof.shape.Window;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The size of one axis as an exact function of a model's free sizes: a constant ({@code 64}), a free size
 * ({@code H}), or what PyTorch's ops make of them: {@code ⌈H/2⌉} after a stride-2 convolution, {@code 2·⌊H/2⌋} after
 * a pooling and an upsampling, {@code 64·⌈H/4⌉·⌈W/4⌉} after a flatten.
 *
 * <p>Sizes are kept in one normal form, so that equal constructions are equal objects and every size reads back from
 * its spec: a chain of floor divisions collapses ({@code ⌊(⌊x/m⌋ + b)/n⌋ = ⌊(x + b·m)/(m·n)⌋} for every integer x),
 * so a ResNet's five stride-2 steps are one {@code ⌈H/32⌉}. Every size is evaluated in exact integer arithmetic, with
 * PyTorch's floor division; an overflow throws {@link ArithmeticException}.
 *
 * <p>{@link #toString()} is for people ({@code ⌈H/2⌉}); {@link #toSpec()} is ASCII ({@code ceil(H/2)}) and
 * {@link #parse} reads it back to an equal size, which is how generated code writes sizes.
 */
public sealed interface Size
        permits Size.Constant, Size.Symbol, Size.Affine, Size.CeilWindow, Size.Scaled, Size.Product, Size.Sum,
        Size.Max {

    /** The fixed size {@code value}. */
    static Size of(long value) {
        return new Constant(value);
    }

    /**
     * The free size called {@code name}: a Python identifier other than the spec's function names ({@code floor},
     * {@code ceil}, {@code pool}, {@code scale}).
     */
    static Size symbol(String name) {
        return new Symbol(name);
    }

    /** The product of sizes: what a flatten or a view makes of the axes it joins. */
    static Size product(Size... factors) {
        return Product.of(Arrays.asList(factors));
    }

    /** The sum of sizes: a {@code cat} along a free axis. */
    static Size sum(Size... terms) {
        return Sum.of(Arrays.asList(terms));
    }

    /**
     * What PyTorch's broadcasting makes of two sizes that an add aligns: equal sizes stay, a 1 takes the other's. At
     * every size where the add is valid that is the larger of the two.
     */
    static Size broadcast(Size a, Size b) {
        return Max.of(a, b);
    }

    /** Reads a size written by {@link #toSpec()}. */
    static Size parse(String spec) {
        return SizeSpec.parse(spec);
    }

    /** This size plus {@code offset} (a padding, a crop). */
    default Size plus(long offset) {
        return Affine.of(this, 1, offset, 1);
    }

    /** This size times {@code factor} ≥ 1 (an upsampling by an integer factor). */
    default Size times(long factor) {
        return Affine.of(this, factor, 0, 1);
    }

    /** ⌊this / divisor⌋, divisor ≥ 1. */
    default Size floorDiv(long divisor) {
        return Affine.of(this, 1, 0, divisor);
    }

    /** ⌈this / divisor⌉, divisor ≥ 1. */
    default Size ceilDiv(long divisor) {
        return Affine.of(this, 1, divisor - 1, divisor);
    }

    /**
     * The output size of {@code window} (a convolution or pooling along this axis) on this size, as
     * {@link Window#outputLength} computes it, ceil mode and PyTorch's last-window rule included.
     */
    default Size through(Window window) {
        return CeilWindow.of(this, window);
    }

    /**
     * {@code ⌊this · factor⌋} computed in doubles, as PyTorch's {@code interpolate(scale_factor=factor)} sizes its
     * output. A whole or dyadic factor (2, 0.5, 1.5) is exact and becomes a floor division; any other (0.1) stays
     * a double product, which is not exactly periodic (see {@link #periodicity()}).
     */
    default Size scaledBy(double factor) {
        return Scaled.of(this, factor);
    }

    /** The value at {@code sizes}, exactly; it may be below 1 where the size's op rejects the input. */
    long at(SizeValues sizes);

    /** The free sizes this one depends on, in the order they appear. */
    default Set<String> symbols() {
        Set<String> symbols = new LinkedHashSet<>();
        collectSymbols(symbols);
        return symbols;
    }

    /** Adds this size's free sizes to {@code symbols}. */
    void collectSymbols(Set<String> symbols);

    /** Whether this size depends on no free size. */
    default boolean isConstant() {
        return this instanceof Constant;
    }

    /**
     * How this size grows with its one free size: {@code f(s + period) = f(s) + increase} for every large enough
     * {@code s}. {@code null} for a size that grows otherwise: a product of two free sizes, or a double scale that
     * rounds inexactly. A constant has period 1 and increase 0, and no symbol.
     */
    Periodicity periodicity();

    /** {@code ⌈H/2⌉}: for people. */
    @Override
    String toString();

    /** {@code ceil(H/2)}: ASCII that {@link #parse} reads back to an equal size. */
    String toSpec();

    /**
     * {@code f(s + period) = f(s) + increase} once {@code s} is large enough, where {@code s} is {@code symbol}
     * ({@code null} for a constant). A composition of floor-affine maps has this form, which is why the admissible
     * sizes of a convolutional network are eventually periodic.
     */
    record Periodicity(String symbol, long period, long increase) {
        static final Periodicity CONSTANT = new Periodicity(null, 1, 0);

        /** The periodicity of {@code ⌊(a·f + b)/d⌋} where {@code f} has this one. */
        Periodicity floorAffine(long a, long d) {
            if (symbol == null) {
                return this;
            }
            long step = Math.multiplyExact(a, increase);
            long k = d / gcd(step, d);
            return new Periodicity(symbol, Math.multiplyExact(period, k), Math.multiplyExact(step, k) / d);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A size that does not depend on the free sizes. */
    record Constant(long value) implements Size {
        @Override
        public long at(SizeValues sizes) {
            return value;
        }

        @Override
        public void collectSymbols(Set<String> symbols) {}

        @Override
        public Periodicity periodicity() {
            return Periodicity.CONSTANT;
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }

        @Override
        public String toSpec() {
            return Long.toString(value);
        }
    }

    /** A free size of the model's input, by name. */
    record Symbol(String name) implements Size {
        public Symbol {
            if (!SizeSpec.isName(name)) {
                throw new IllegalArgumentException("not a name for a free size: " + name);
            }
        }

        @Override
        public long at(SizeValues sizes) {
            return sizes.get(name);
        }

        @Override
        public void collectSymbols(Set<String> symbols) {
            symbols.add(name);
        }

        @Override
        public Periodicity periodicity() {
            return new Periodicity(name, 1, 1);
        }

        @Override
        public String toString() {
            return name;
        }

        @Override
        public String toSpec() {
            return name;
        }
    }

    /**
     * {@code ⌊(a·x + b)/d⌋} with {@code a, d ≥ 1}, {@code gcd(a, d) = 1}: shifts, whole scales, exact divisions and
     * every convolution or floor-mode pooling window ({@code ⌊(x + pads − d·(k−1) − 1)/s⌋ + 1}).
     */
    record Affine(Size x, long a, long b, long d) implements Size {
        public Affine {
            Objects.requireNonNull(x, "x");
            if (a < 1 || d < 1) {
                throw new IllegalArgumentException("a floor-affine size needs a, d ≥ 1: " + a + ", " + d);
            }
        }

        /** The normal form of {@code ⌊(a·x + b)/d⌋}. */
        static Size of(Size x, long a, long b, long d) {
            if (a < 0 || d < 1) {
                throw new IllegalArgumentException("sizes only grow with their input: a = " + a + ", d = " + d);
            }
            if (a == 0) {
                return new Constant(Math.floorDiv(b, d));
            }
            if (x instanceof Constant c) {
                return new Constant(Math.floorDiv(Math.addExact(Math.multiplyExact(a, c.value()), b), d));
            }
            if (x instanceof Affine inner) {
                if (inner.d() == 1) {
                    // ⌊(a·(a'·y + b') + b)/d⌋
                    return of(inner.x(), Math.multiplyExact(a, inner.a()),
                            Math.addExact(Math.multiplyExact(a, inner.b()), b), d);
                }
                if (a == 1) {
                    // ⌊(⌊(a'·y + b')/d'⌋ + b)/d⌋ = ⌊(a'·y + b' + b·d')/(d'·d)⌋
                    return of(inner.x(), inner.a(), Math.addExact(inner.b(), Math.multiplyExact(b, inner.d())),
                            Math.multiplyExact(inner.d(), d));
                }
            }
            if (x instanceof Product product && b == 0 && d == 1) {
                return Product.of(List.of(new Constant(a), product));
            }
            if (x instanceof Sum sum && a == 1 && d == 1) {
                List<Size> terms = new ArrayList<>(sum.terms());
                terms.add(new Constant(b));
                return Sum.of(terms);
            }
            long g = gcd(a, d);
            if (g > 1) {
                // ⌊(g·a'·x + b)/(g·d')⌋ = ⌊(a'·x + ⌊b/g⌋)/d'⌋, since a'·x is an integer
                return of(x, a / g, Math.floorDiv(b, g), d / g);
            }
            if (a == 1 && b == 0 && d == 1) {
                return x;
            }
            return new Affine(x, a, b, d);
        }

        @Override
        public long at(SizeValues sizes) {
            return Math.floorDiv(Math.addExact(Math.multiplyExact(a, x.at(sizes)), b), d);
        }

        @Override
        public void collectSymbols(Set<String> symbols) {
            x.collectSymbols(symbols);
        }

        @Override
        public Periodicity periodicity() {
            Periodicity inner = x.periodicity();
            return inner == null ? null : inner.floorAffine(a, d);
        }

        @Override
        public String toString() {
            return SizeSpec.affine(this, true);
        }

        @Override
        public String toSpec() {
            return SizeSpec.affine(this, false);
        }
    }

    /**
     * A ceil-mode pooling window whose last window may start in the right padding, which PyTorch drops
     * (MaxPool2d(2, stride=2, padding=1, ceil_mode=True) on 11 gives 6, not 7): no single floor division says it.
     * Every other window is an {@link Affine}.
     */
    record CeilWindow(Size x, Window window) implements Size {
        public CeilWindow {
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(window, "window");
        }

        static Size of(Size x, Window window) {
            long pads = (long) window.padBefore() + window.padAfter();
            long stride = window.stride();
            if (x instanceof Constant c) {
                return new Constant(window.outputLength(Math.toIntExact(c.value())));
            }
            if (!window.ceilMode()) {
                // ⌊(x + pads − k_eff)/s⌋ + 1
                return Affine.of(x, 1, pads - window.effectiveKernel() + stride, stride);
            }
            // ⌈(x + pads − k_eff)/s⌉ + 1, and a last window starting in the right padding is dropped: (n−1)·s ≥ x +
            // before. Since (n−1)·s ≤ x + pads − k_eff + s − 1, that never happens when k_eff ≥ after + s.
            if (window.effectiveKernel() >= window.padAfter() + stride) {
                return Affine.of(x, 1, pads - window.effectiveKernel() + 2 * stride - 1, stride);
            }
            return new CeilWindow(x, window);
        }

        @Override
        public long at(SizeValues sizes) {
            return window.outputLength(Math.toIntExact(x.at(sizes)));
        }

        @Override
        public void collectSymbols(Set<String> symbols) {
            x.collectSymbols(symbols);
        }

        @Override
        public Periodicity periodicity() {
            Periodicity inner = x.periodicity();
            return inner == null ? null : inner.floorAffine(1, window.stride());
        }

        @Override
        public String toString() {
            return "pool(" + x + "; k=" + window.kernel() + ", s=" + window.stride() + ", p=" + window.padBefore()
                    + (window.padAfter() != window.padBefore() ? "+" + window.padAfter() : "")
                    + (window.dilation() != 1 ? ", d=" + window.dilation() : "") + ", ceil)";
        }

        @Override
        public String toSpec() {
            return "pool(" + x.toSpec() + "," + window.kernel() + "," + window.stride() + "," + window.padBefore() + ","
                    + window.padAfter() + "," + window.dilation() + ")";
        }
    }

    /**
     * {@code ⌊x · factor⌋} in doubles for a factor that is not dyadic (0.1, 1/3): double rounding makes it drift from
     * the rational ⌊x·p/q⌋, so it is not exactly periodic.
     */
    record Scaled(Size x, double factor) implements Size {
        public Scaled {
            Objects.requireNonNull(x, "x");
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("a scale factor is positive and finite: " + factor);
            }
        }

        /**
         * The largest numerator of a dyadic factor m/2^e that is exact as a floor division: x·m stays below 2⁵³ for
         * every x an int holds, so the double product is the exact rational.
         */
        private static final long EXACT_NUMERATOR = 1L << 21;

        static Size of(Size x, double factor) {
            if (x instanceof Constant c) {
                return new Constant((long) Math.floor(c.value() * factor));
            }
            // factor = m / 2^e exactly?
            long denominator = 1;
            double numerator = factor;
            while (numerator != Math.rint(numerator) && denominator < (1L << 30)) {
                numerator *= 2;
                denominator *= 2;
            }
            if (numerator == Math.rint(numerator) && numerator >= 1 && numerator < EXACT_NUMERATOR) {
                return Affine.of(x, (long) numerator, 0, denominator);
            }
            return new Scaled(x, factor);
        }

        @Override
        public long at(SizeValues sizes) {
            return (long) Math.floor(x.at(sizes) * factor);
        }

        @Override
        public void collectSymbols(Set<String> symbols) {
            x.collectSymbols(symbols);
        }

        @Override
        public Periodicity periodicity() {
            return x.isConstant() ? Periodicity.CONSTANT : null;
        }

        @Override
        public String toString() {
            return "⌊" + SizeSpec.factor(x, true) + "·" + factor + "⌋";
        }

        @Override
        public String toSpec() {
            return "scale(" + x.toSpec() + "," + factor + ")";
        }
    }

    /**
     * {@code coefficient · Π factors}, at least two factors that depend on free sizes, none a product or a scaled
     * size itself.
     */
    record Product(long coefficient, List<Size> factors) implements Size {
        public Product {
            factors = List.copyOf(factors);
        }

        static Size of(List<Size> all) {
            long coefficient = 1;
            List<Size> factors = new ArrayList<>();
            for (Size size : all) {
                coefficient = Math.multiplyExact(coefficient, collect(size, factors));
            }
            if (coefficient == 0) {
                return new Constant(0);
            }
            if (factors.isEmpty()) {
                return new Constant(coefficient);
            }
            if (factors.size() == 1) {
                return Affine.of(factors.get(0), coefficient, 0, 1);
            }
            return new Product(coefficient, factors);
        }

        /** Adds {@code size}'s factors to {@code factors} and returns its constant coefficient. */
        private static long collect(Size size, List<Size> factors) {
            if (size instanceof Constant c) {
                return c.value();
            }
            if (size instanceof Product p) {
                factors.addAll(p.factors());
                return p.coefficient();
            }
            if (size instanceof Affine affine && affine.b() == 0 && affine.d() == 1) {
                return Math.multiplyExact(affine.a(), collect(affine.x(), factors));
            }
            factors.add(size);
            return 1;
        }

        @Override
        public long at(SizeValues sizes) {
            long value = coefficient;
            for (Size factor : factors) {
                value = Math.multiplyExact(value, factor.at(sizes));
            }
            return value;
        }

        @Override
        public void collectSymbols(Set<String> symbols) {
            factors.forEach(factor -> factor.collectSymbols(symbols));
        }

        @Override
        public Periodicity periodicity() {
            return null;
        }

        @Override
        public String toString() {
            return SizeSpec.product(this, true);
        }

        @Override
        public String toSpec() {
            return SizeSpec.product(this, false);
        }
    }

    /** {@code Σ terms + constant}: at least two terms that depend on free sizes. */
    record Sum(List<Size> terms, long constant) implements Size {
        public Sum {
            terms = List.copyOf(terms);
        }

        static Size of(List<Size> all) {
            long constant = 0;
            List<Size> terms = new ArrayList<>();
            for (Size size : all) {
                constant = Math.addExact(constant, collect(size, terms));
            }
            if (terms.isEmpty()) {
                return new Constant(constant);
            }
            if (terms.size() == 1) {
                return Affine.of(terms.get(0), 1, constant, 1);
            }
            return new Sum(terms, constant);
        }

        private static long collect(Size size, List<Size> terms) {
            if (size instanceof Constant c) {
                return c.value();
            }
            if (size instanceof Sum s) {
                terms.addAll(s.terms());
                return s.constant();
            }
            if (size instanceof Affine affine && affine.a() == 1 && affine.d() == 1) {
                return Math.addExact(affine.b(), collect(affine.x(), terms));
            }
            terms.add(size);
            return 0;
        }

        @Override
        public long at(SizeValues sizes) {
            long value = constant;
            for (Size term : terms) {
                value = Math.addExact(value, term.at(sizes));
            }
            return value;
        }

        @Override
        public void collectSymbols(Set<String> symbols) {
            terms.forEach(term -> term.collectSymbols(symbols));
        }

        @Override
        public Periodicity periodicity() {
            String symbol = null;
            long period = 1;
            for (Size term : terms) {
                Periodicity p = term.periodicity();
                if (p == null || (symbol != null && p.symbol() != null && !symbol.equals(p.symbol()))) {
                    return null;
                }
                if (p.symbol() != null) {
                    symbol = p.symbol();
                    period = lcm(period, p.period());
                }
            }
            long increase = 0;
            for (Size term : terms) {
                Periodicity p = term.periodicity();
                increase = Math.addExact(increase, Math.multiplyExact(p.increase(), period / p.period()));
            }
            return new Periodicity(symbol, period, increase);
        }

        @Override
        public String toString() {
            return SizeSpec.sum(this, true);
        }

        @Override
        public String toSpec() {
            return SizeSpec.sum(this, false);
        }
    }

    /**
     * The larger of two sizes: an add's output where one operand broadcasts a 1 at some sizes. Two sizes that grow
     * alike differ by a periodic amount, so their maximum grows as they do.
     */
    record Max(Size a, Size b) implements Size {
        static Size of(Size a, Size b) {
            if (a.equals(b) || b.equals(new Constant(1))) {
                return a;
            }
            if (a.equals(new Constant(1))) {
                return b;
            }
            if (a instanceof Constant c && b instanceof Constant d) {
                return new Constant(Math.max(c.value(), d.value()));
            }
            return new Max(a, b);
        }

        @Override
        public long at(SizeValues sizes) {
            return Math.max(a.at(sizes), b.at(sizes));
        }

        @Override
        public void collectSymbols(Set<String> symbols) {
            a.collectSymbols(symbols);
            b.collectSymbols(symbols);
        }

        /**
         * Two sizes of one free size: {@code max(a, b) = b + max(a − b, 0)}, periodic when they grow alike; otherwise
         * eventually the faster one.
         */
        @Override
        public Periodicity periodicity() {
            Periodicity pa = a.periodicity();
            Periodicity pb = b.periodicity();
            if (pa == null || pb == null) {
                return null;
            }
            if (pa.symbol() == null) {
                return pb;
            }
            if (pb.symbol() == null) {
                return pa;
            }
            if (!pa.symbol().equals(pb.symbol())) {
                return null;
            }
            long period = lcm(pa.period(), pb.period());
            long ia = pa.increase() * (period / pa.period());
            long ib = pb.increase() * (period / pb.period());
            return new Periodicity(pa.symbol(), period, Math.max(ia, ib));
        }

        @Override
        public String toString() {
            return "max(" + a + ", " + b + ")";
        }

        @Override
        public String toSpec() {
            return "max(" + a.toSpec() + "," + b.toSpec() + ")";
        }
    }

    static long gcd(long a, long b) {
        return BigInteger.valueOf(a).gcd(BigInteger.valueOf(b)).longValueExact();
    }

    static long lcm(long a, long b) {
        return Math.multiplyExact(a / gcd(a, b), b);
    }
}
