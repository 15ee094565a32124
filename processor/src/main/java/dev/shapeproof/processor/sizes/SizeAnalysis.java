package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.sizes.Size;
import dev.shapeproof.sizes.SizeValues;
import dev.shapeproof.sizes.SymbolicShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the sizes a model admits repeat: for each free size, a period and a threshold past which every op's verdict
 * repeats with that period; and which free sizes constrain each other and must be checked jointly.
 *
 * <p>Why it holds (docs/any-size.md has the long form). Every size is {@code f(s)} with {@code f(s + P) = f(s) + Q}
 * for large s ({@link Size#periodicity()}); P is the lcm of every size's period. An op's verdict depends on its input
 * sizes only through their remainders and how they compare once each free one passes the op's threshold
 * ({@link SizeRules.Rule#threshold()}): a window fits, a broadcast never meets a 1, a size never equals one of the op's
 * constants. Two sizes of one free size compared by an add or a cat either grow alike (their difference is periodic)
 * or apart (past a point they never meet, found here exactly). So past the largest of these thresholds every verdict
 * repeats with period P, and checking every size up to threshold + P decides them all.
 */
final class SizeAnalysis {
    /** Periods beyond this are not extended: the sizes up to {@link #FALLBACK_LIMIT} are checked one by one instead. */
    static final int MAX_PERIOD = 4_096;
    /** The most sizes checked for one free size; beyond, the set is what was checked. */
    static final int MAX_EVALUATIONS = 20_000;
    /** How far a free size is checked when its set cannot be extended periodically. */
    static final int FALLBACK_LIMIT = 4_096;
    /** How far each of two free sizes that constrain each other is checked, unless the model bounds it lower. */
    static final int JOINT_LIMIT = 128;
    /** The most tuples checked for free sizes that constrain each other. */
    static final int MAX_JOINT_POINTS = 65_536;

    private SizeAnalysis() {}

    /**
     * How one free size is checked: every size from {@code lo} to {@code evaluateTo}; the set repeats with
     * {@code period} from {@code start} when {@code limit} is {@code null}. Otherwise {@code limit} says why it does
     * not and the admitted sizes stop at {@code evaluateTo}.
     */
    record SymbolPlan(String symbol, int lo, int hi, boolean declaredHi, int start, int period, int evaluateTo,
            String limit) {}

    /**
     * Free sizes that constrain each other, checked on the grid {@code [lo, to]} per size, because of
     * {@code reason} (the op that ties them).
     */
    record JointPlan(List<String> symbols, int[] lo, int[] to, int[] hi, String reason) {}

    record Plan(List<SymbolPlan> singles, List<JointPlan> joints) {}

    static Plan plan(FreeSizeDeclaration declaration, SymbolicShapes shapes, SizeValues reference) {
        Map<String, String> parent = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String symbol : declaration.symbols()) {
            parent.put(symbol, symbol);
        }
        for (Map.Entry<Value, SymbolicShape> entry : shapes.all().entrySet()) {
            for (Size dim : entry.getValue().sample()) {
                Set<String> symbols = dim.symbols();
                if (symbols.size() > 1) {
                    union(parent, reasons, symbols, describe(entry.getKey()) + " has the size " + dim);
                }
            }
        }
        for (Node node : shapes.ops()) {
            Set<String> ties = shapes.rule(node).ties();
            if (ties.size() > 1) {
                union(parent, reasons, ties, node + " checks the product of " + String.join(" and ", ties));
            }
            List<SymbolicShape> inputs = inputs(shapes, node);
            int rank = inputs.stream().mapToInt(SymbolicShape::rank).max().orElse(0);
            for (int axis = 1; axis < rank && inputs.size() > 1; axis++) {
                Set<String> symbols = new LinkedHashSet<>();
                for (SymbolicShape input : inputs) {
                    Size size = SizeRules.aligned(input, axis, rank);
                    if (size != null) {
                        symbols.addAll(size.symbols());
                    }
                }
                if (symbols.size() > 1) {
                    union(parent, reasons, symbols, node + " compares sizes of " + String.join(" and ", symbols));
                }
            }
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String symbol : declaration.symbols()) {
            groups.computeIfAbsent(find(parent, symbol), key -> new ArrayList<>()).add(symbol);
        }
        List<SymbolPlan> singles = new ArrayList<>();
        List<JointPlan> joints = new ArrayList<>();
        for (List<String> group : groups.values()) {
            if (group.size() == 1) {
                singles.add(single(declaration, shapes, reference, group.get(0)));
            } else {
                joints.add(joint(declaration, group, reasons.get(find(parent, group.get(0)))));
            }
        }
        return new Plan(singles, joints);
    }

    private static String describe(Value value) {
        return value.producer() == null ? "the input " + value.name() : value.producer().toString();
    }

    private static List<SymbolicShape> inputs(SymbolicShapes shapes, Node node) {
        List<SymbolicShape> inputs = new ArrayList<>();
        for (Value input : node.inputs()) {
            inputs.add(shapes.of(input));
        }
        return inputs;
    }

    private static void union(Map<String, String> parent, Map<String, String> reasons, Set<String> symbols,
            String reason) {
        String root = null;
        for (String symbol : symbols) {
            String other = find(parent, symbol);
            if (root == null) {
                root = other;
            } else if (!other.equals(root)) {
                parent.put(other, root);
                reasons.putIfAbsent(root, reason);
            }
        }
    }

    private static String find(Map<String, String> parent, String symbol) {
        String root = symbol;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        return root;
    }

    private static SymbolPlan single(FreeSizeDeclaration declaration, SymbolicShapes shapes, SizeValues reference,
            String symbol) {
        FreeSizeDeclaration.Bound bound = declaration.bound(symbol);
        int index = declaration.symbols().indexOf(symbol);
        long period = 1;
        String limit = null;
        List<Size> sizes = new ArrayList<>();
        for (SymbolicShape shape : shapes.all().values()) {
            for (Size dim : shape.sample()) {
                if (dim.symbols().equals(Set.of(symbol))) {
                    sizes.add(dim);
                    Size.Periodicity periodicity = dim.periodicity();
                    if (periodicity == null) {
                        limit = "the size " + dim + " is a product rounded in doubles, as PyTorch computes a "
                                + "scale_factor that is no fraction of a power of two, which does not repeat exactly";
                    } else if (limit == null) {
                        period = lcm(period, periodicity.period());
                        if (period > MAX_PERIOD) {
                            limit = "the sizes repeat only every " + period + " (past " + MAX_PERIOD + ")";
                        }
                    }
                }
            }
        }
        Values values = new Values(reference, index);
        long threshold = bound.lo();
        for (Node node : shapes.ops()) {
            SizeRules.Rule rule = shapes.rule(node);
            List<SymbolicShape> inputs = inputs(shapes, node);
            for (SymbolicShape input : inputs) {
                for (Size dim : input.sample()) {
                    if (dim.symbols().equals(Set.of(symbol))) {
                        threshold = Math.max(threshold, values.firstReaching(dim, rule.threshold(), bound));
                    }
                }
            }
            if (limit == null && inputs.size() > 1) {
                threshold = Math.max(threshold, comparisons(inputs, symbol, values, bound, threshold));
            }
        }
        long evaluateTo = Math.min(bound.hi(), threshold + period - 1);
        if (limit == null && evaluateTo - bound.lo() + 1 > MAX_EVALUATIONS) {
            limit = "they settle only from " + symbol + " = " + threshold + " with period " + period
                    + ", past the " + String.format(java.util.Locale.ROOT, "%,d", MAX_EVALUATIONS)
                    + " sizes checked one by one";
        }
        if (limit != null) {
            return new SymbolPlan(symbol, bound.lo(), bound.hi(), bound.declaredHi(), bound.lo(), 1,
                    (int) Math.min(bound.hi(), (long) bound.lo() + FALLBACK_LIMIT - 1), limit);
        }
        return new SymbolPlan(symbol, bound.lo(), bound.hi(), bound.declaredHi(), (int) threshold, (int) period,
                (int) evaluateTo, null);
    }

    /**
     * The threshold past which the right-aligned sizes that {@code inputs} compare (an add, a cat) settle: a free size
     * against a fixed one never meets it again, two that grow at different rates never meet again.
     */
    private static long comparisons(List<SymbolicShape> inputs, String symbol, Values values,
            FreeSizeDeclaration.Bound bound, long from) {
        int rank = inputs.stream().mapToInt(SymbolicShape::rank).max().orElse(0);
        long threshold = from;
        for (int axis = 1; axis < rank; axis++) {
            for (int i = 0; i < inputs.size(); i++) {
                for (int j = i + 1; j < inputs.size(); j++) {
                    Size a = SizeRules.aligned(inputs.get(i), axis, rank);
                    Size b = SizeRules.aligned(inputs.get(j), axis, rank);
                    if (a == null || b == null) {
                        continue;
                    }
                    boolean freeA = a.symbols().equals(Set.of(symbol));
                    boolean freeB = b.symbols().equals(Set.of(symbol));
                    if (freeA && b.isConstant()) {
                        threshold = Math.max(threshold, values.firstReaching(a, constant(b) + 1, bound));
                    } else if (freeB && a.isConstant()) {
                        threshold = Math.max(threshold, values.firstReaching(b, constant(a) + 1, bound));
                    } else if (freeA && freeB) {
                        threshold = Math.max(threshold, values.apart(a, b, from, bound));
                    }
                }
            }
        }
        return threshold;
    }

    private static long constant(Size size) {
        return ((Size.Constant) size).value();
    }

    private static JointPlan joint(FreeSizeDeclaration declaration, List<String> symbols, String reason) {
        int n = symbols.size();
        int[] lo = new int[n];
        int[] to = new int[n];
        int[] hi = new int[n];
        for (int i = 0; i < n; i++) {
            FreeSizeDeclaration.Bound bound = declaration.bound(symbols.get(i));
            lo[i] = bound.lo();
            hi[i] = bound.hi();
            int cap = bound.declaredHi() ? Math.max(JOINT_LIMIT, (int) Math.pow(MAX_JOINT_POINTS, 1.0 / n))
                    : JOINT_LIMIT;
            to[i] = (int) Math.min(bound.hi(), (long) bound.lo() + cap - 1);
        }
        // Keep the grid within MAX_JOINT_POINTS: shrink the longest side first.
        while (points(lo, to) > MAX_JOINT_POINTS) {
            int longest = 0;
            for (int i = 1; i < n; i++) {
                if (to[i] - lo[i] > to[longest] - lo[longest]) {
                    longest = i;
                }
            }
            to[longest] = lo[longest] + (to[longest] - lo[longest]) / 2;
        }
        return new JointPlan(List.copyOf(symbols), lo, to, hi, reason);
    }

    static long points(int[] lo, int[] to) {
        long points = 1;
        for (int i = 0; i < lo.length; i++) {
            points *= (long) to[i] - lo[i] + 1;
        }
        return points;
    }

    private static long lcm(long a, long b) {
        return Math.multiplyExact(a / java.math.BigInteger.valueOf(a).gcd(java.math.BigInteger.valueOf(b))
                .longValueExact(), b);
    }

    /** Sizes of one free size evaluated with the others at the reference. */
    private static final class Values {
        private final SizeValues reference;
        private final int index;

        Values(SizeValues reference, int index) {
            this.reference = reference;
            this.index = index;
        }

        long at(Size size, long value) {
            return size.at(reference.with(index, (int) Math.min(Integer.MAX_VALUE, value)));
        }

        /**
         * The smallest s from which {@code size(s) ≥ target} for good: sizes never shrink as their free size grows,
         * so it is a binary search. The upper bound when none reaches it there.
         */
        long firstReaching(Size size, long target, FreeSizeDeclaration.Bound bound) {
            long lo = bound.lo();
            long hi = bound.hi();
            if (at(size, hi) < target) {
                return hi;
            }
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (at(size, mid) >= target) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        /**
         * From where two sizes of this free size that grow at different rates are apart for good: their difference
         * gains the same amount every common period, so once it stays nonzero (of one sign) over a whole period it
         * does forever. {@code from} when they grow alike: their difference is then periodic.
         */
        long apart(Size a, Size b, long from, FreeSizeDeclaration.Bound bound) {
            Size.Periodicity pa = a.periodicity();
            Size.Periodicity pb = b.periodicity();
            if (pa == null || pb == null) {
                return from;
            }
            long period = lcm(pa.period(), pb.period());
            long gain = pa.increase() * (period / pa.period()) - pb.increase() * (period / pb.period());
            if (gain == 0) {
                return from;
            }
            long sign = Long.signum(gain);
            for (long start = from; start <= bound.hi(); start += period) {
                boolean apart = true;
                for (long s = start; s < start + period && apart; s++) {
                    apart = sign * (at(a, s) - at(b, s)) >= 1;
                }
                if (apart) {
                    return start;
                }
            }
            return bound.hi();
        }
    }
}
