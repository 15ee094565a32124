package dev.shapeproof.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The discrepancies known and left to their owners (known-discrepancies.json): each entry names the cases that show it,
 * by their mutations or by a note of PyTorch's run ({@code max-pool-window-outside-input}), optionally only in one
 * run ({@code nd4j-kernels-only}), the kind of discrepancy and why. A case passes when every discrepancy it has is such
 * an entry's; an entry that cases could show but none does is stale and fails the committed campaign, so the list
 * shrinks as the bugs are fixed.
 */
record Known(List<String> mutations, String note, String run, String kind, String owner, String reason) {

    @SuppressWarnings("unchecked")
    static List<Known> load(Path file) {
        try {
            List<Object> entries = (List<Object>) MiniJson.parse(Files.readString(file, StandardCharsets.UTF_8));
            return entries.stream().map(e -> (Map<String, Object>) e)
                    .map(e -> new Known(((List<Object>) e.getOrDefault("mutations", List.of())).stream()
                            .map(String.class::cast).toList(), (String) e.get("note"), (String) e.get("run"),
                            (String) e.get("kind"), (String) e.get("owner"), (String) e.get("reason")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the entry is about {@code c}: one of its mutations, or its note, in this run. */
    boolean selects(Case c) {
        boolean inRun = run == null || run.equals(currentRun());
        return inRun && (mutations.contains(c.mutation()) || (note != null && c.notes().contains(note)));
    }

    boolean covers(Case c, Campaign.Discrepancy d) {
        return selects(c) && kind.equals(d.kind());
    }

    /** {@code nd4j-kernels-only} when every kernel runs on ND4J, else {@code default}. */
    static String currentRun() {
        return "never".equals(System.getProperty("shapeproof.smallTensorKernels")) ? "nd4j-kernels-only" : "default";
    }

    @Override
    public String toString() {
        return selector() + " → " + kind + " (" + owner + "): " + reason;
    }

    /** The cases it is about, for reports. */
    String selector() {
        String cases = note != null ? "note " + note : String.join(", ", mutations);
        return run == null ? cases : cases + " in the " + run + " run";
    }
}
