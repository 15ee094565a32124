package dev.shapeproof.sizes;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.IntPredicate;

/**
 * The admissible values of one free size between its bounds, in closed form: finitely many values below
 * {@code start}, and from {@code start} on the values whose remainder modulo {@code period} is admitted. Every set a
 * composition of floor-affine size rules gives has this form; {@link #toString()} prints it as
 * {@code H ≥ 33 and H ≡ 1 (mod 8)}, {@code H ∈ {7}} or {@code H ∈ {5, 7} or H ≥ 16 and H even}.
 *
 * <p>Immutable. Stored normalised (the smallest period, the earliest start), so equal sets are equal objects and
 * print the same.
 */
public final class SizeSet {
    private final String name;
    private final int lo;
    private final int hi;
    private final boolean declaredHi;
    /** The periodic part starts here; unused when there is none. */
    private final int start;
    /** 0 when there is no periodic part. */
    private final int period;
    /** The admitted remainders {@code h mod period}, for {@code h ≥ start}. */
    private final BitSet residues;
    /** The admitted values below {@code start}, as offsets from {@code lo}. */
    private final BitSet below;

    private SizeSet(String name, int lo, int hi, boolean declaredHi, int start, int period, BitSet residues,
            BitSet below) {
        this.name = name;
        this.lo = lo;
        this.hi = hi;
        this.declaredHi = declaredHi;
        this.start = start;
        this.period = period;
        this.residues = residues;
        this.below = below;
    }

    /**
     * The set of {@code h} in {@code [lo, hi]} for which {@code admitted} holds, given that from {@code start} on it
     * repeats with {@code period}: {@code admitted} is asked only for {@code lo ≤ h < start + period} (and
     * {@code h ≤ hi}).
     *
     * @param declaredHi whether {@code hi} was declared by the model, rather than ShapeProof's default bound: a
     *     declared bound is part of the printed set
     */
    public static SizeSet eventuallyPeriodic(String name, int lo, int hi, boolean declaredHi, int start, int period,
            IntPredicate admitted) {
        if (lo < 1 || hi < lo || period < 1 || start < lo) {
            throw new IllegalArgumentException("bounds " + lo + ".." + hi + ", start " + start + ", period " + period);
        }
        long known = (long) start + period - 1;
        if (known >= hi) {
            BitSet values = new BitSet();
            for (int h = lo; h <= hi; h++) {
                if (admitted.test(h)) {
                    values.set(h - lo);
                }
            }
            return finite(name, lo, hi, declaredHi, values);
        }
        boolean[] window = new boolean[period];
        for (int i = 0; i < period; i++) {
            window[i] = admitted.test(start + i);
        }
        int shortest = period;
        for (int p = 1; p < period; p++) {
            if (period % p == 0 && repeats(window, p)) {
                shortest = p;
                break;
            }
        }
        BitSet values = new BitSet();
        for (int h = lo; h < start; h++) {
            if (admitted.test(h)) {
                values.set(h - lo);
            }
        }
        int first = start;
        while (first > lo && values.get(first - 1 - lo) == window[Math.floorMod(first - 1 - start, shortest)]) {
            first--;
        }
        BitSet residues = new BitSet();
        for (int i = 0; i < shortest; i++) {
            if (window[i]) {
                residues.set(Math.floorMod(start + i, shortest));
            }
        }
        if (residues.isEmpty()) {
            values.clear(first - lo, start - lo);
            return finite(name, lo, hi, declaredHi, values);
        }
        values.clear(first - lo, Math.max(first - lo, start - lo));
        return new SizeSet(name, lo, hi, declaredHi, first, shortest, residues, values);
    }

    /** The values {@code lo + i} for each {@code i} set in {@code offsets}, all at most {@code hi}. */
    public static SizeSet finite(String name, int lo, int hi, boolean declaredHi, BitSet offsets) {
        BitSet values = (BitSet) offsets.clone();
        if (values.length() > (long) hi - lo + 1) {
            values.clear(hi - lo + 1, values.length());
        }
        return new SizeSet(name, lo, hi, declaredHi, hi, 0, new BitSet(), values);
    }

    private static boolean repeats(boolean[] window, int p) {
        for (int i = p; i < window.length; i++) {
            if (window[i] != window[i - p]) {
                return false;
            }
        }
        return true;
    }

    public String name() {
        return name;
    }

    /** The smallest size considered (the declared lower bound, or 1). */
    public int lo() {
        return lo;
    }

    /** The largest size considered (the declared upper bound, or ShapeProof's default). */
    public int hi() {
        return hi;
    }

    /** The period of the set's periodic part; 0 for a finite set. */
    public int period() {
        return period;
    }

    /** Where the periodic part starts. */
    public int start() {
        return start;
    }

    /** Whether {@code h} is admitted. */
    public boolean contains(long h) {
        if (h < lo || h > hi) {
            return false;
        }
        if (period == 0 || h < start) {
            return below.get((int) (h - lo));
        }
        return residues.get((int) (h % period));
    }

    public boolean isEmpty() {
        return below.isEmpty() && period == 0;
    }

    /** Whether the set has finitely many values below ShapeProof's default bound (no periodic part). */
    public boolean isFinite() {
        return period == 0;
    }

    /** The number of admitted values in {@code [lo, hi]}. */
    public long count() {
        long count = below.cardinality();
        if (period > 0) {
            for (int r = residues.nextSetBit(0); r >= 0; r = residues.nextSetBit(r + 1)) {
                long first = start + Math.floorMod(r - start, period);
                if (first <= hi) {
                    count += (hi - first) / period + 1;
                }
            }
        }
        return count;
    }

    /** The smallest admitted value, or -1. */
    public long min() {
        return above(lo);
    }

    /** The largest admitted value, or -1. */
    public long max() {
        return atOrBelow(hi);
    }

    /** The largest admitted value ≤ {@code h}, or -1. */
    public long atOrBelow(long h) {
        long from = Math.min(h, hi);
        if (from < lo) {
            return -1;
        }
        if (period > 0 && from >= start) {
            for (long v = from; v >= Math.max(start, from - period + 1); v--) {
                if (contains(v)) {
                    return v;
                }
            }
            from = start - 1;
        }
        int found = from < lo ? -1 : below.previousSetBit((int) (from - lo));
        return found < 0 ? -1 : lo + found;
    }

    /** The smallest admitted value ≥ {@code h}, or -1. */
    public long above(long h) {
        long from = Math.max(h, lo);
        if (from > hi) {
            return -1;
        }
        if (period == 0 || from < start) {
            int found = below.nextSetBit((int) (from - lo));
            if (found >= 0 && (period == 0 || lo + found < start)) {
                return lo + found <= hi ? lo + found : -1;
            }
            if (period == 0) {
                return -1;
            }
            from = start;
        }
        for (long v = from; v < from + period && v <= hi; v++) {
            if (contains(v)) {
                return v;
            }
        }
        return -1;
    }

    // --- closed form ------------------------------------------------------------------------------------------------

    /**
     * {@code H ≥ 33 and H ≡ 1 (mod 8)}, {@code H ∈ {7}}, {@code H ∈ {3, 5} or H ≥ 9 and H odd}, {@code any H}; a
     * declared upper bound is part of it ({@code H ≤ 1,024}), ShapeProof's default bound is not.
     */
    @Override
    public String toString() {
        List<String> alternatives = new ArrayList<>();
        String finite = finitePart();
        if (!finite.isEmpty()) {
            alternatives.add(finite);
        }
        if (period > 0) {
            alternatives.add(periodicPart());
        }
        if (alternatives.isEmpty()) {
            return "no " + name;
        }
        return String.join(" or ", alternatives);
    }

    private String finitePart() {
        List<int[]> runs = new ArrayList<>();
        for (int i = below.nextSetBit(0); i >= 0; ) {
            int end = below.nextClearBit(i);
            runs.add(new int[] {lo + i, lo + end - 1});
            i = below.nextSetBit(end);
        }
        if (runs.isEmpty()) {
            return "";
        }
        boolean small = runs.stream().allMatch(run -> run[1] - run[0] <= 1) && below.cardinality() <= 8;
        if (small) {
            StringJoiner values = new StringJoiner(", ", name + " ∈ {", "}");
            for (int i = below.nextSetBit(0); i >= 0; i = below.nextSetBit(i + 1)) {
                values.add(count(lo + i));
            }
            return values.toString();
        }
        StringJoiner parts = new StringJoiner(" or ");
        int shown = 0;
        for (int[] run : runs) {
            if (shown++ == 8) {
                parts.add("… (" + count(below.cardinality()) + " sizes below " + count(start) + ")");
                break;
            }
            parts.add(run[0] == run[1] ? name + " = " + count(run[0])
                    : count(run[0]) + " ≤ " + name + " ≤ " + count(run[1]));
        }
        return parts.toString();
    }

    private String periodicPart() {
        List<String> conditions = new ArrayList<>();
        long first = above(start);
        boolean boundNeeded = false;
        for (long h = lo; h < first && !boundNeeded; h++) {
            boundNeeded = residues.get((int) (h % period));
        }
        if (boundNeeded || lo > 1) {
            conditions.add(name + " ≥ " + count(first));
        }
        if (period > 1) {
            conditions.add(congruence());
        }
        if (declaredHi) {
            conditions.add(name + " ≤ " + count(hi));
        }
        return conditions.isEmpty() ? "any " + name : String.join(" and ", conditions);
    }

    private String congruence() {
        if (residues.cardinality() == 1) {
            int r = residues.nextSetBit(0);
            if (period == 2) {
                return name + (r == 0 ? " even" : " odd");
            }
            return name + " ≡ " + r + " (mod " + period + ")";
        }
        if (residues.cardinality() == period - 1) {
            return name + " ≢ " + residues.nextClearBit(0) + " (mod " + period + ")";
        }
        StringJoiner list = new StringJoiner(", ", name + " mod " + period + " ∈ {", "}");
        residues.stream().forEach(r -> list.add(Integer.toString(r)));
        return list.toString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    // --- spec --------------------------------------------------------------------------------------------------------

    /**
     * {@code H lo=1 hi=65536 below=3,5,7-12 start=33 period=8 residues=1}, with {@code hi=1024!} for a declared
     * bound: what generated code writes and {@link #parse} reads back.
     */
    public String toSpec() {
        StringBuilder spec = new StringBuilder(name).append(" lo=").append(lo).append(" hi=").append(hi)
                .append(declaredHi ? "!" : "");
        if (!below.isEmpty()) {
            StringJoiner values = new StringJoiner(",");
            for (int i = below.nextSetBit(0); i >= 0; ) {
                int end = below.nextClearBit(i);
                values.add(end - i == 1 ? Integer.toString(lo + i) : (lo + i) + "-" + (lo + end - 1));
                i = below.nextSetBit(end);
            }
            spec.append(" below=").append(values);
        }
        if (period > 0) {
            StringJoiner list = new StringJoiner(",");
            residues.stream().forEach(r -> list.add(Integer.toString(r)));
            spec.append(" start=").append(start).append(" period=").append(period).append(" residues=").append(list);
        }
        return spec.toString();
    }

    /** Reads {@link #toSpec()}. */
    public static SizeSet parse(String spec) {
        String[] tokens = spec.trim().split(" +");
        try {
            String name = tokens[0];
            int lo = 1;
            int hi = 0;
            boolean declaredHi = false;
            int start = -1;
            int period = 0;
            BitSet residues = new BitSet();
            BitSet below = new BitSet();
            List<String[]> belowRuns = new ArrayList<>();
            for (int i = 1; i < tokens.length; i++) {
                String[] pair = tokens[i].split("=", 2);
                switch (pair[0]) {
                    case "lo" -> lo = Integer.parseInt(pair[1]);
                    case "hi" -> {
                        declaredHi = pair[1].endsWith("!");
                        hi = Integer.parseInt(declaredHi ? pair[1].substring(0, pair[1].length() - 1) : pair[1]);
                    }
                    case "below" -> {
                        for (String run : pair[1].split(",")) {
                            belowRuns.add(run.split("-"));
                        }
                    }
                    case "start" -> start = Integer.parseInt(pair[1]);
                    case "period" -> period = Integer.parseInt(pair[1]);
                    case "residues" -> {
                        for (String r : pair[1].split(",")) {
                            residues.set(Integer.parseInt(r));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown key " + pair[0]);
                }
            }
            for (String[] run : belowRuns) {
                int from = Integer.parseInt(run[0]);
                int to = run.length == 1 ? from : Integer.parseInt(run[1]);
                below.set(from - lo, to - lo + 1);
            }
            if (period == 0) {
                return finite(name, lo, hi, declaredHi, below);
            }
            return new SizeSet(name, lo, hi, declaredHi, start, period, residues, below);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a size set spec: " + spec, e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SizeSet that && name.equals(that.name) && lo == that.lo && hi == that.hi
                && declaredHi == that.declaredHi && start == that.start && period == that.period
                && residues.equals(that.residues) && below.equals(that.below);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, lo, hi, start, period, residues, below);
    }
}
