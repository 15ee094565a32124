package dev.shapeproof.sizes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A sum of products of sizes with whole coefficients, such as a free-size model's MACs
 * ({@code 1,728·⌈H/2⌉·⌈W/2⌉ + 36,864·⌈H/4⌉·⌈W/4⌉}) or its activations' elements. Like terms are merged; a constant
 * term has no factors. Immutable.
 */
public final class SizePolynomial {
    /** Coefficients by the factors of their term, in the order terms were first added. */
    private final Map<List<Size>, Long> terms;

    private SizePolynomial(Map<List<Size>, Long> terms) {
        this.terms = terms;
    }

    public static final SizePolynomial ZERO = new SizePolynomial(Map.of());

    /** The polynomial of one size: {@code 64·⌈H/4⌉·⌈W/4⌉} is one term with coefficient 64. */
    public static SizePolynomial of(Size size) {
        List<Size> factors = new ArrayList<>();
        long coefficient = 1;
        if (size instanceof Size.Constant c) {
            coefficient = c.value();
        } else if (size instanceof Size.Product product) {
            coefficient = product.coefficient();
            factors.addAll(product.factors());
        } else if (size instanceof Size.Affine affine && affine.b() == 0 && affine.d() == 1) {
            coefficient = affine.a();
            factors.add(affine.x());
        } else {
            factors.add(size);
        }
        Map<List<Size>, Long> terms = new LinkedHashMap<>();
        if (coefficient != 0) {
            terms.put(List.copyOf(factors), coefficient);
        }
        return new SizePolynomial(terms);
    }

    public SizePolynomial plus(SizePolynomial other) {
        Map<List<Size>, Long> sum = new LinkedHashMap<>(terms);
        other.terms.forEach((factors, coefficient) -> sum.merge(factors, coefficient, Math::addExact));
        sum.values().removeIf(coefficient -> coefficient == 0);
        return new SizePolynomial(sum);
    }

    public SizePolynomial times(long factor) {
        Map<List<Size>, Long> product = new LinkedHashMap<>();
        if (factor != 0) {
            terms.forEach((factors, coefficient) -> product.put(factors, Math.multiplyExact(coefficient, factor)));
        }
        return new SizePolynomial(product);
    }

    /** The value at {@code sizes}, exactly. */
    public long at(SizeValues sizes) {
        long value = 0;
        for (Map.Entry<List<Size>, Long> term : terms.entrySet()) {
            long product = term.getValue();
            for (Size factor : term.getKey()) {
                product = Math.multiplyExact(product, factor.at(sizes));
            }
            value = Math.addExact(value, product);
        }
        return value;
    }

    /**
     * Whether this polynomial is at least {@code other} wherever every size is positive: no coefficient of
     * {@code this − other} is negative.
     */
    public boolean dominates(SizePolynomial other) {
        SizePolynomial difference = plus(other.times(-1));
        return difference.terms.values().stream().allMatch(coefficient -> coefficient >= 0);
    }

    public boolean isZero() {
        return terms.isEmpty();
    }

    /** {@code 1,728·⌈H/2⌉·⌈W/2⌉ + 9,408}. */
    @Override
    public String toString() {
        if (terms.isEmpty()) {
            return "0";
        }
        StringJoiner text = new StringJoiner(" + ");
        terms.forEach((factors, coefficient) -> {
            StringBuilder term = new StringBuilder();
            if (coefficient != 1 || factors.isEmpty()) {
                term.append(String.format(Locale.ROOT, "%,d", coefficient));
            }
            for (Size factor : factors) {
                if (term.length() > 0) {
                    term.append('·');
                }
                term.append(SizeSpec.factor(factor, true));
            }
            text.add(term);
        });
        return text.toString();
    }

    /** Each term's size spec, {@code " + "} between them; {@link #parse} reads it back. */
    public String toSpec() {
        if (terms.isEmpty()) {
            return "0";
        }
        StringJoiner spec = new StringJoiner(" + ");
        terms.forEach((factors, coefficient) -> {
            List<Size> all = new ArrayList<>();
            all.add(Size.of(coefficient));
            all.addAll(factors);
            spec.add(Size.product(all.toArray(new Size[0])).toSpec());
        });
        return spec.toString();
    }

    /** Reads {@link #toSpec()}. */
    public static SizePolynomial parse(String spec) {
        SizePolynomial sum = ZERO;
        for (String term : spec.split(" \\+ ")) {
            sum = sum.plus(of(Size.parse(term)));
        }
        return sum;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SizePolynomial that && terms.equals(that.terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }
}
