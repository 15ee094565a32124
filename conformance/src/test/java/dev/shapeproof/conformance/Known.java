package dev.shapeproof.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The discrepancies known and left to their owners (known-discrepancies.json): each entry names the mutations whose
 * models show it, the kind of discrepancy and why. A case passes when every discrepancy it has is such an entry's; an
 * entry no case shows any more is stale and fails the committed campaign, so the list shrinks as the bugs are fixed.
 */
record Known(List<String> mutations, String kind, String owner, String reason) {

    @SuppressWarnings("unchecked")
    static List<Known> load(Path file) {
        try {
            List<Object> entries = (List<Object>) MiniJson.parse(Files.readString(file, StandardCharsets.UTF_8));
            return entries.stream().map(e -> (Map<String, Object>) e)
                    .map(e -> new Known(((List<Object>) e.get("mutations")).stream().map(String.class::cast).toList(),
                            (String) e.get("kind"), (String) e.get("owner"), (String) e.get("reason")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean covers(Case c, Campaign.Discrepancy d) {
        return mutations.contains(c.mutation()) && kind.equals(d.kind());
    }

    @Override
    public String toString() {
        return String.join(", ", mutations) + " → " + kind + " (" + owner + "): " + reason;
    }
}
