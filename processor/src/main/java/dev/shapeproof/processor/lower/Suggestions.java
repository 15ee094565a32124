package dev.shapeproof.processor.lower;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean": the closest known name by edit distance, if it is close enough to be a typo. */
final class Suggestions {
    private Suggestions() {}

    /** The closest of {@code candidates} to {@code name}, or {@code null} if none is within a typo's distance. */
    static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance || (distance == bestDistance && best != null && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(1, name.length() / 3) ? best : null;
    }

    /** {@code did you mean conv1?}, or {@code fallback} when nothing is close. */
    static String didYouMean(String name, Collection<String> candidates, String fallback) {
        String closest = closest(name, candidates);
        return closest != null ? "did you mean " + closest + "?" : fallback;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
