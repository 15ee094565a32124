package dev.shapeproof.sizes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The free sizes a model's forward accepts: for each free size that constrains no other, a {@link SizeSet}; for free
 * sizes that constrain each other, a {@link JointSizes}. The processor derives it exactly at compile time; the
 * generated forward asks {@link #require} before it runs, and every message prints it in closed form
 * ({@code H ≥ 33 and H ≡ 1 (mod 8); W ≡ 0 (mod 16)}).
 */
public final class AdmissibleSizes {
    /** The largest free size ShapeProof admits where the model declares no upper bound. */
    public static final int DEFAULT_MAX = 65_536;

    private final List<String> names;
    private final List<SizeSet> singles;
    private final List<JointSizes> joints;

    private AdmissibleSizes(List<String> names, List<SizeSet> singles, List<JointSizes> joints) {
        this.names = List.copyOf(names);
        this.singles = List.copyOf(singles);
        this.joints = List.copyOf(joints);
    }

    /**
     * @param names every free size, in declaration order
     * @param singles the sets of free sizes that constrain no other
     * @param joints the sets of free sizes that constrain each other
     */
    public static AdmissibleSizes of(List<String> names, List<SizeSet> singles, List<JointSizes> joints) {
        return new AdmissibleSizes(names, singles, joints);
    }

    /** Every free size, in declaration order. */
    public List<String> names() {
        return names;
    }

    public List<SizeSet> singles() {
        return singles;
    }

    public List<JointSizes> joints() {
        return joints;
    }

    /** The set of the free size {@code name} when it constrains no other, else {@code null}. */
    public SizeSet single(String name) {
        return singles.stream().filter(set -> set.name().equals(name)).findFirst().orElse(null);
    }

    public boolean contains(SizeValues sizes) {
        for (SizeSet set : singles) {
            if (!set.contains(sizes.get(set.name()))) {
                return false;
            }
        }
        for (JointSizes joint : joints) {
            if (!joint.contains(project(joint, sizes))) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return singles.stream().anyMatch(SizeSet::isEmpty) || joints.stream().anyMatch(JointSizes::isEmpty);
    }

    private static int[] project(JointSizes joint, SizeValues sizes) {
        int[] point = new int[joint.names().size()];
        for (int i = 0; i < point.length; i++) {
            point[i] = sizes.get(joint.names().get(i));
        }
        return point;
    }

    /**
     * Returns {@code sizes} if admissible.
     *
     * @throws IllegalArgumentException naming {@code what} (the model and its input), the sizes, the admissible set
     *     and the admissible sizes nearest to them
     */
    public SizeValues require(String what, SizeValues sizes) {
        if (contains(sizes)) {
            return sizes;
        }
        throw new IllegalArgumentException(what + ": " + sizes + " is not an admissible size; the admissible sizes are "
                + this + "; nearest: " + nearest(sizes));
    }

    /**
     * The admissible sizes nearest to {@code sizes}, per free size or group that rejects it:
     * {@code H = 96 or H = 128; W = 64 (as given)}.
     */
    public String nearest(SizeValues sizes) {
        StringJoiner text = new StringJoiner("; ");
        for (SizeSet set : singles) {
            int value = sizes.get(set.name());
            if (set.contains(value)) {
                continue;
            }
            long below = set.atOrBelow(value);
            long above = set.above(value);
            List<String> options = new ArrayList<>();
            if (below > 0) {
                options.add(set.name() + " = " + count(below));
            }
            if (above > 0) {
                options.add(set.name() + " = " + count(above));
            }
            text.add(options.isEmpty() ? "no " + set.name() : String.join(" or ", options));
        }
        for (JointSizes joint : joints) {
            int[] point = project(joint, sizes);
            if (joint.contains(point)) {
                continue;
            }
            StringJoiner options = new StringJoiner(" or ");
            for (int[] near : joint.nearest(point, 3)) {
                options.add(JointSizes.tuple(joint.names()) + " = " + JointSizes.point(near));
            }
            text.add(options.length() == 0 ? "none" : options.toString());
        }
        return text.toString();
    }

    /** The smallest admissible sizes, each free size at its smallest; {@code null} when there are none. */
    public SizeValues smallest() {
        int[] values = new int[names.size()];
        for (SizeSet set : singles) {
            if (set.isEmpty()) {
                return null;
            }
            values[names.indexOf(set.name())] = (int) set.min();
        }
        for (JointSizes joint : joints) {
            if (joint.isEmpty()) {
                return null;
            }
            int[] point = joint.points().get(0);
            for (int i = 0; i < point.length; i++) {
                values[names.indexOf(joint.names().get(i))] = point[i];
            }
        }
        return SizeValues.of(names, values);
    }

    /** {@code H ≥ 33 and H ≡ 1 (mod 8); W ≡ 0 (mod 16)}: each group's closed form, in declaration order. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner("; ");
        for (String name : names) {
            SizeSet set = single(name);
            if (set != null) {
                text.add(set.toString());
            }
            for (JointSizes joint : joints) {
                if (joint.names().get(0).equals(name)) {
                    text.add(joint.toString());
                }
            }
        }
        return text.toString();
    }

    /** Each group's spec, {@code " | "} between them; {@link #parse} reads it back. */
    public String toSpec() {
        StringJoiner spec = new StringJoiner(" | ");
        singles.forEach(set -> spec.add(set.toSpec()));
        joints.forEach(joint -> spec.add(joint.toSpec()));
        return spec.toString();
    }

    /** Reads {@link #toSpec()}; {@code names} are the free sizes in declaration order. */
    public static AdmissibleSizes parse(List<String> names, String spec) {
        List<SizeSet> singles = new ArrayList<>();
        List<JointSizes> joints = new ArrayList<>();
        for (String group : spec.split(" \\| ")) {
            if (group.contains("boxes=") || group.contains("points=")) {
                joints.add(JointSizes.parse(group));
            } else {
                singles.add(SizeSet.parse(group));
            }
        }
        return new AdmissibleSizes(names, singles, joints);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AdmissibleSizes that && names.equals(that.names) && singles.equals(that.singles)
                && joints.equals(that.joints);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(names, singles, joints);
    }
}
