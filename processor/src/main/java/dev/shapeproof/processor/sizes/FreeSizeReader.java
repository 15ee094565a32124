package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.sizes.AdmissibleSizes;
import dev.shapeproof.sizes.Size;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the free-size attributes of {@code @Model} and {@code @Input}: {@code dims = "3, H, W"} and
 * {@code sizes = "H >= 32, 64 <= W <= 1024"}. A mistake is one {@code InvalidFreeSizes} error on the attribute.
 */
public final class FreeSizeReader {
    private static final String OP = "(<=|<|>=|>|==|≤|≥)";
    private static final Pattern NAME_FIRST = Pattern.compile("([A-Za-z_]\\w*)\\s*" + OP + "\\s*(\\d+)");
    private static final Pattern NUMBER_FIRST = Pattern.compile("(\\d+)\\s*" + OP + "\\s*([A-Za-z_]\\w*)");
    private static final Pattern RANGE = Pattern.compile(
            "(\\d+)\\s*(<=|<|≤)\\s*([A-Za-z_]\\w*)\\s*(<=|<|≤)\\s*(\\d+)");

    private final Reporter reporter;
    private final String model;

    public FreeSizeReader(Reporter reporter, String model) {
        this.reporter = reporter;
        this.model = model;
    }

    /**
     * The dims of one input, {@code "3, H, W"}: each an {@code Integer} or a free size's name. Empty after reporting
     * on {@code location}.
     */
    public Optional<List<Object>> dims(String text, Location location) {
        List<Object> dims = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String token = part.trim();
            if (token.matches("\\d+")) {
                int value;
                try {
                    value = Integer.parseInt(token);
                } catch (NumberFormatException e) {
                    return invalid(location, "the size " + token + " is larger than any tensor", text,
                            "give a size up to 2,147,483,647, or a name for a free size");
                }
                if (value <= 0) {
                    return invalid(location, "every size must be positive, but one is 0", text,
                            "the batch dimension is implicit and free; list only the sizes of one sample");
                }
                dims.add(value);
            } else if (isName(token)) {
                dims.add(token);
            } else {
                return invalid(location, "\"" + token + "\" is neither a size nor a name", text,
                        "write sizes and names of free sizes separated by commas, e.g. dims = \"3, H, W\"");
            }
        }
        if (dims.size() != 3 && dims.size() != 1) {
            return invalid(location, "an input of rank " + dims.size() + " is neither an image nor a feature vector",
                    text, "use \"C, H, W\" with names for the free sizes, e.g. \"3, H, W\"");
        }
        if (dims.get(0) instanceof String channel) {
            return invalid(location, "the channels (" + channel + ") cannot be free: layers fix them", text,
                    "give the channel count, e.g. dims = \"3, " + (dims.size() == 3 ? dims.get(1) + ", "
                            + dims.get(2) : "H, W") + "\"");
        }
        return Optional.of(dims);
    }

    private static boolean isName(String token) {
        try {
            Size.symbol(token);
            return !token.isEmpty() && Character.isLetter(token.charAt(0)) || token.startsWith("_");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private <T> Optional<T> invalid(Location location, String why, String text, String hint) {
        reporter.report(location, Message.INVALID_FREE_SIZES, model, why, "dims = \"" + text + "\"",
                "\"C, H, W\" or \"F\": channels fixed, free sizes named (H, W) where the height and width are", hint);
        return Optional.empty();
    }

    /**
     * The free sizes of {@code inputs} with the bounds of {@code sizes}; empty after reporting. {@code null} when no
     * input has a free size and {@code sizes} is empty.
     */
    public Optional<FreeSizeDeclaration> declaration(List<FreeSizeDeclaration.InputDims> inputs, String sizes,
            Location sizesLocation) {
        Map<String, int[]> bounds = new LinkedHashMap<>();
        for (FreeSizeDeclaration.InputDims input : inputs) {
            for (Object dim : input.dims()) {
                if (dim instanceof String name) {
                    bounds.putIfAbsent(name, new int[] {1, AdmissibleSizes.DEFAULT_MAX, 0});
                }
            }
        }
        if (bounds.isEmpty() && sizes.isBlank()) {
            return null;
        }
        Map<String, List<String>> written = new LinkedHashMap<>();
        if (!sizes.isBlank()) {
            if (bounds.isEmpty()) {
                return invalidSizes(sizesLocation, "sizes bounds free sizes, but no input has one", sizes,
                        "declare the input with names for its free sizes, e.g. dims = \"3, H, W\", or remove sizes");
            }
            for (String part : sizes.split(",")) {
                String constraint = part.trim();
                if (!apply(constraint, bounds, written, sizesLocation, sizes)) {
                    return Optional.empty();
                }
            }
        }
        List<FreeSizeDeclaration.Bound> result = new ArrayList<>();
        for (Map.Entry<String, int[]> entry : bounds.entrySet()) {
            int[] bound = entry.getValue();
            if (bound[0] > bound[1]) {
                return invalidSizes(sizesLocation, "no " + entry.getKey() + " satisfies " + String.join(" and ",
                        written.get(entry.getKey())), sizes, "give " + entry.getKey() + " a non-empty range");
            }
            result.add(new FreeSizeDeclaration.Bound(entry.getKey(), bound[0], bound[1], bound[2] == 1,
                    String.join(", ", written.getOrDefault(entry.getKey(), List.of()))));
        }
        return Optional.of(new FreeSizeDeclaration(new ArrayList<>(bounds.keySet()), result, inputs,
                sizesLocation));
    }

    /** Applies one constraint to the bounds; false after reporting. */
    private boolean apply(String constraint, Map<String, int[]> bounds, Map<String, List<String>> written,
            Location location, String sizes) {
        Matcher range = RANGE.matcher(constraint);
        Matcher nameFirst = NAME_FIRST.matcher(constraint);
        Matcher numberFirst = NUMBER_FIRST.matcher(constraint);
        String name;
        List<long[]> limits = new ArrayList<>(); // {op: 0 ≥, 1 ≤, 2 ==, value}
        if (range.matches()) {
            name = range.group(3);
            limits.add(limit(flip(range.group(2)), range.group(1)));
            limits.add(limit(range.group(4), range.group(5)));
        } else if (nameFirst.matches()) {
            name = nameFirst.group(1);
            limits.add(limit(nameFirst.group(2), nameFirst.group(3)));
        } else if (numberFirst.matches()) {
            name = numberFirst.group(3);
            limits.add(limit(flip(numberFirst.group(2)), numberFirst.group(1)));
        } else {
            invalidSizes(location, "\"" + constraint + "\" is not a bound", sizes,
                    "write bounds such as \"H >= 32\", \"W <= 1024\" or \"64 <= H <= 512\", separated by commas");
            return false;
        }
        int[] bound = bounds.get(name);
        if (bound == null) {
            invalidSizes(location, "sizes bounds " + name + ", which no input has", sizes,
                    "the free sizes are " + String.join(", ", bounds.keySet()));
            return false;
        }
        for (long[] limit : limits) {
            if (limit[1] > Integer.MAX_VALUE || limit[1] < 0) {
                invalidSizes(location, "the bound " + limit[1] + " is beyond any tensor", sizes,
                        "bound " + name + " by at most 2,147,483,647");
                return false;
            }
            int value = (int) limit[1];
            if (limit[0] == 0 || limit[0] == 2) {
                bound[0] = Math.max(bound[0], value);
            }
            if (limit[0] == 1 || limit[0] == 2) {
                bound[1] = Math.min(bound[1] == AdmissibleSizes.DEFAULT_MAX && bound[2] == 0 ? Integer.MAX_VALUE
                        : bound[1], value);
                bound[2] = 1;
            }
        }
        written.computeIfAbsent(name, key -> new ArrayList<>()).add(constraint);
        return true;
    }

    /** {@code {kind, value}}: kind 0 for a lower bound, 1 for an upper bound, 2 for both; strict bounds tightened. */
    private static long[] limit(String op, String number) {
        long value;
        try {
            value = Long.parseLong(number);
        } catch (NumberFormatException e) {
            value = Long.MAX_VALUE;
        }
        return switch (op) {
            case ">=", "≥" -> new long[] {0, value};
            case ">" -> new long[] {0, value == Long.MAX_VALUE ? value : value + 1};
            case "<=", "≤" -> new long[] {1, value};
            case "<" -> new long[] {1, value - 1};
            default -> new long[] {2, value};
        };
    }

    /** {@code 32 <= H} is {@code H >= 32}. */
    private static String flip(String op) {
        return switch (op) {
            case "<=", "≤" -> ">=";
            case "<" -> ">";
            case ">=", "≥" -> "<=";
            case ">" -> "<";
            default -> op;
        };
    }

    private <T> Optional<T> invalidSizes(Location location, String why, String text, String hint) {
        reporter.report(location, Message.INVALID_FREE_SIZES, model, why, "sizes = \"" + text + "\"",
                "bounds on the free sizes, such as \"H >= 32, W <= 1024\"", hint);
        return Optional.empty();
    }
}
