package dev.shapeproof.sizes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The admissible values of free sizes that constrain each other, such as H and W after a flatten into a Linear
 * (which fixes the product {@code h·w}): a finite set of tuples, each checked. Immutable.
 */
public final class JointSizes {
    private final List<String> names;
    private final List<int[]> points;
    private final Set<List<Integer>> lookup = new HashSet<>();

    private JointSizes(List<String> names, List<int[]> points) {
        this.names = List.copyOf(names);
        List<int[]> sorted = new ArrayList<>();
        for (int[] point : points) {
            if (point.length != names.size()) {
                throw new IllegalArgumentException("a point of " + names + " has " + point.length + " values");
            }
            if (lookup.add(key(point))) {
                sorted.add(point.clone());
            }
        }
        sorted.sort(Arrays::compare);
        this.points = List.copyOf(sorted);
    }

    /** The tuples {@code points} of the sizes {@code names}, each in the order of {@code names}. */
    public static JointSizes of(List<String> names, List<int[]> points) {
        return new JointSizes(names, points);
    }

    private static List<Integer> key(int[] point) {
        return Arrays.stream(point).boxed().toList();
    }

    public List<String> names() {
        return names;
    }

    /** The admitted tuples in ascending order; copies. */
    public List<int[]> points() {
        return points.stream().map(int[]::clone).toList();
    }

    public boolean contains(int[] point) {
        return lookup.contains(key(point));
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** The admitted tuples closest to {@code point} (largest difference over the sizes), at most {@code limit}. */
    public List<int[]> nearest(int[] point, int limit) {
        return points.stream()
                .sorted(Comparator.comparingLong((int[] p) -> distance(p, point)).thenComparing(Arrays::compare))
                .limit(limit)
                .map(int[]::clone)
                .toList();
    }

    private static long distance(int[] a, int[] b) {
        long distance = 0;
        for (int i = 0; i < a.length; i++) {
            distance = Math.max(distance, Math.abs((long) a[i] - b[i]));
        }
        return distance;
    }

    /**
     * Two free sizes as rectangles ({@code 28 ≤ H ≤ 31 and 28 ≤ W ≤ 31 or H = 60 and W = 12}), the first six and a
     * count beyond; more as tuples ({@code (H, W, D) ∈ {(28, 28, 3), …}}).
     */
    @Override
    public String toString() {
        if (points.isEmpty()) {
            return "no " + tuple(names);
        }
        if (names.size() == 2) {
            return rectangles();
        }
        StringJoiner list = new StringJoiner(", ", tuple(names) + " ∈ {", "}");
        for (int i = 0; i < points.size(); i++) {
            if (i == 8) {
                list.add("… " + String.format(Locale.ROOT, "%,d", points.size()) + " in all");
                break;
            }
            list.add(point(points.get(i)));
        }
        return list.toString();
    }

    /** Runs of first values that admit the same second values, each second set as its runs. */
    private String rectangles() {
        java.util.TreeMap<Integer, java.util.BitSet> columns = new java.util.TreeMap<>();
        for (int[] point : points) {
            columns.computeIfAbsent(point[0], key -> new java.util.BitSet()).set(point[1]);
        }
        List<String> parts = new ArrayList<>();
        Integer from = null;
        Integer to = null;
        java.util.BitSet seconds = null;
        int shown = 0;
        for (var column : columns.entrySet()) {
            if (seconds != null && column.getKey() == to + 1 && column.getValue().equals(seconds)) {
                to = column.getKey();
                continue;
            }
            if (seconds != null) {
                parts.add(rectangle(from, to, seconds));
            }
            from = column.getKey();
            to = from;
            seconds = column.getValue();
        }
        parts.add(rectangle(from, to, seconds));
        StringJoiner text = new StringJoiner(" or ");
        for (String part : parts) {
            if (shown++ == 6) {
                text.add("… (" + String.format(Locale.ROOT, "%,d", points.size()) + " pairs in all)");
                break;
            }
            text.add(part);
        }
        return text.toString();
    }

    private String rectangle(int from, int to, java.util.BitSet seconds) {
        String first = range(names.get(0), from, to);
        List<String> runs = new ArrayList<>();
        for (int i = seconds.nextSetBit(0); i >= 0; ) {
            int end = seconds.nextClearBit(i) - 1;
            runs.add(range(names.get(1), i, end));
            i = seconds.nextSetBit(end + 1);
        }
        String second = runs.size() == 1 ? runs.get(0) : "(" + String.join(" or ", runs) + ")";
        return first + " and " + second;
    }

    private static String range(String name, int from, int to) {
        return from == to ? name + " = " + String.format(Locale.ROOT, "%,d", from)
                : String.format(Locale.ROOT, "%,d ≤ %s ≤ %,d", from, name, to);
    }

    static String tuple(List<String> names) {
        return names.size() == 1 ? names.get(0) : "(" + String.join(", ", names) + ")";
    }

    static String point(int[] values) {
        StringJoiner text = new StringJoiner(", ", values.length == 1 ? "" : "(", values.length == 1 ? "" : ")");
        for (int value : values) {
            text.add(String.format(Locale.ROOT, "%,d", value));
        }
        return text.toString();
    }

    /**
     * {@code H,W boxes=28-31x28-31,60x12}: what generated code writes and {@link #parse} reads back. The tuples as
     * boxes, one range per size: runs of first values whose remaining sizes admit the same boxes share one, so a
     * grid of 125 × 125 admitted sizes is one box, not 15,625 tuples (javac refuses string constants past 64 KB).
     */
    public String toSpec() {
        StringJoiner list = new StringJoiner(",");
        for (String box : boxes(points, 0)) {
            list.add(box);
        }
        return String.join(",", names) + " boxes=" + list;
    }

    /** The boxes of {@code points} (sorted) over the sizes from {@code axis} on, each as {@code 28-31x12}. */
    private static List<String> boxes(List<int[]> points, int axis) {
        List<String> boxes = new ArrayList<>();
        if (points.isEmpty()) {
            return boxes;
        }
        if (axis == points.get(0).length - 1) {
            int from = points.get(0)[axis];
            int to = from;
            for (int i = 1; i <= points.size(); i++) {
                if (i < points.size() && points.get(i)[axis] == to + 1) {
                    to++;
                    continue;
                }
                boxes.add(range(from, to));
                if (i < points.size()) {
                    from = points.get(i)[axis];
                    to = from;
                }
            }
            return boxes;
        }
        // Group by this axis's value; merge consecutive values whose remaining boxes are the same.
        Integer from = null;
        int to = 0;
        List<String> tail = null;
        int start = 0;
        for (int i = 1; i <= points.size(); i++) {
            if (i < points.size() && points.get(i)[axis] == points.get(start)[axis]) {
                continue;
            }
            int value = points.get(start)[axis];
            List<String> rest = boxes(points.subList(start, i), axis + 1);
            if (tail != null && value == to + 1 && rest.equals(tail)) {
                to = value;
            } else {
                if (tail != null) {
                    for (String box : tail) {
                        boxes.add(range(from, to) + "x" + box);
                    }
                }
                from = value;
                to = value;
                tail = rest;
            }
            start = i;
        }
        for (String box : tail) {
            boxes.add(range(from, to) + "x" + box);
        }
        return boxes;
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }

    /** Reads {@link #toSpec()} (and the older {@code points=28x28,29x29}, one tuple each). */
    public static JointSizes parse(String spec) {
        String[] parts = spec.trim().split(" +");
        boolean boxes = parts.length == 2 && parts[1].startsWith("boxes=");
        if (parts.length != 2 || !boxes && !parts[1].startsWith("points=")) {
            throw new IllegalArgumentException("not a joint size spec: " + spec);
        }
        List<String> names = List.of(parts[0].split(","));
        List<int[]> points = new ArrayList<>();
        String list = parts[1].substring(parts[1].indexOf('=') + 1);
        if (!list.isEmpty()) {
            for (String box : list.split(",")) {
                String[] ranges = box.split("x");
                if (ranges.length != names.size()) {
                    throw new IllegalArgumentException("not a joint size spec: " + spec);
                }
                int[] lo = new int[ranges.length];
                int[] hi = new int[ranges.length];
                for (int i = 0; i < ranges.length; i++) {
                    int dash = ranges[i].indexOf('-');
                    lo[i] = Integer.parseInt(dash < 0 ? ranges[i] : ranges[i].substring(0, dash));
                    hi[i] = dash < 0 ? lo[i] : Integer.parseInt(ranges[i].substring(dash + 1));
                }
                addBox(points, lo, hi, lo.clone(), 0);
            }
        }
        return new JointSizes(names, points);
    }

    /** Every tuple of the box {@code lo..hi}, from {@code axis} on, into {@code points}. */
    private static void addBox(List<int[]> points, int[] lo, int[] hi, int[] point, int axis) {
        if (axis == lo.length) {
            points.add(point.clone());
            return;
        }
        for (int value = lo[axis]; value <= hi[axis]; value++) {
            point[axis] = value;
            addBox(points, lo, hi, point, axis + 1);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JointSizes that && names.equals(that.names) && lookup.equals(that.lookup);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + lookup.hashCode();
    }
}
