package dev.shapeproof.processor.sizes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The number literals in a generated call, in order: an op's call that changes with the size differs from its call at
 * another size in some of them (an interpolation's output size), and only there.
 */
public final class CallLiterals {
    /** A Java number literal that is not part of a name ({@code conv1}) or of another number. */
    public static final Pattern NUMBER =
            Pattern.compile("(?<![\\w$.])\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?[LlFfDd]?(?![\\w$])");

    private CallLiterals() {}

    /** The literals of {@code code}, in order. */
    public static List<String> of(String code) {
        List<String> literals = new ArrayList<>();
        Matcher matcher = NUMBER.matcher(code);
        while (matcher.find()) {
            literals.add(matcher.group());
        }
        return literals;
    }

    /** {@code code} with every literal blanked: two calls that differ only in literals have equal skeletons. */
    public static String skeleton(String code) {
        return NUMBER.matcher(code).replaceAll("#");
    }

    /**
     * The positions of the literals that differ between {@code here} and any of {@code there}, or {@code null} when
     * the calls differ elsewhere than in literals.
     */
    public static List<Integer> differing(String here, List<String> there) {
        List<String> literals = of(here);
        List<Integer> differing = new ArrayList<>();
        for (String other : there) {
            if (!skeleton(other).equals(skeleton(here))) {
                return null;
            }
            List<String> otherLiterals = of(other);
            for (int i = 0; i < literals.size(); i++) {
                if (!literals.get(i).equals(otherLiterals.get(i)) && !differing.contains(i)) {
                    differing.add(i);
                }
            }
        }
        differing.sort(null);
        return differing;
    }

    /** The whole value of an int literal ({@code 8}, {@code 8L}), or {@code null} for a fractional one. */
    public static Long value(String literal) {
        String digits = literal.replaceAll("[LlFfDd]$", "");
        if (!digits.matches("\\d+")) {
            return null;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
