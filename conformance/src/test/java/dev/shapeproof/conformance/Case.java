package dev.shapeproof.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One model of a campaign and PyTorch's verdict on it, as tools/campaign/campaign.py wrote it.
 *
 * @param id also the Java package of its source ({@code c000042}), so diagnostics map back to it
 * @param mutation the mistake it was given, or {@code null} for a model as generated
 * @param status {@code valid}, {@code error} (PyTorch raises) or {@code deliberate} (PyTorch runs what the README
 *     rejects on purpose)
 * @param pytorch PyTorch's error for {@code error}; for {@code deliberate} the README's rule and the reason
 *     ({@code batch-axis: view changed the batch axis}); else empty
 * @param outputs the output shapes, batch -1, for valid models
 * @param summary torchsummary's table for valid models (ShapeProof's documented differences applied)
 * @param lints the lints PyTorch's run shows ({@code SoftmaxOverBatch}, ...)
 * @param uncalled layers forward never calls
 * @param notes situations of PyTorch's run that known discrepancies refer to
 *     ({@code max-pool-window-outside-input})
 * @param numeric whether {@code numeric/<id>.weights.npz} and {@code .io.npz} exist
 */
record Case(String id, long seed, String kind, String mutation, String expect, List<String> suppress, String source,
        String status, String pytorch, List<List<Long>> outputs, String summary, List<String> lints,
        List<String> uncalled, List<String> notes, boolean numeric) {

    /** Every case of every {@code cases-*.jsonl} in {@code directory}, in file order. */
    static List<Case> load(Path directory) {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("cases-\\d+\\.jsonl")).sorted()
                    .toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        cases.add(of(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    @SuppressWarnings("unchecked")
    static Case of(String line) {
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(line);
        Map<String, Object> verdict = (Map<String, Object>) json.get("verdict");
        String status = (String) verdict.get("status");
        String pytorch = status.equals("error") ? (String) verdict.get("error")
                : status.equals("deliberate") ? verdict.get("rule") + ": " + verdict.get("why") : "";
        List<List<Long>> outputs = new ArrayList<>();
        for (Object output : (List<Object>) verdict.getOrDefault("outputs", List.of())) {
            outputs.add(((List<Object>) output).stream().map(d -> (Long) d).toList());
        }
        return new Case((String) json.get("id"), (Long) json.get("seed"), (String) json.get("kind"),
                (String) json.get("mutation"), (String) json.get("expect"), strings(json.get("suppress")),
                (String) json.get("source"), status, pytorch, outputs, (String) verdict.get("summary"),
                strings(verdict.get("lints")), strings(verdict.get("uncalled")), strings(verdict.get("notes")),
                Boolean.TRUE.equals(json.get("numeric")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value == null ? List.of() : ((List<Object>) value).stream().map(String.class::cast).toList();
    }

    boolean isValid() {
        return status.equals("valid");
    }

    /** The lints the processor should print: PyTorch's, less those the class suppresses. */
    List<String> expectedLints() {
        return lints.stream()
                .filter(lint -> !suppress.contains("ShapeProof/" + lint) && !suppress.contains("ShapeProof"))
                .sorted()
                .toList();
    }

    /**
     * The layers forward never calls, each of which the processor should warn about: none when the class suppresses
     * every ShapeProof warning or {@code UnusedModule}.
     */
    List<String> expectedUnused() {
        boolean suppressed = suppress.contains("ShapeProof") || suppress.contains("ShapeProof/UnusedModule");
        return suppressed ? List.of() : uncalled;
    }

    /** A name for reports: {@code c000042 (graph, view_size)}. */
    String label() {
        return id + " (" + kind + ", " + (mutation == null ? "as generated" : mutation) + ")";
    }
}
