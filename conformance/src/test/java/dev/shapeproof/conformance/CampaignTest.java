package dev.shapeproof.conformance;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.conformance.Campaign.Discrepancy;
import dev.shapeproof.conformance.Campaign.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The differential campaign as a test: every committed case (conformance/campaign/, written by
 * tools/campaign/campaign.py from PyTorch's verdicts) compiled with the processor and checked against PyTorch, one
 * dynamic test per model. {@code -Dconformance.cases=DIR} checks a fresh campaign instead; target/campaign-report.txt
 * has the figures either way.
 */
class CampaignTest {
    private static Path cases;
    private static boolean committed;
    private static boolean numericOnly;
    private static List<Known> known;
    private static Campaign campaign;
    private static List<Outcome> outcomes;
    private static long millis;

    @BeforeAll
    static void run() throws IOException {
        cases = Path.of(System.getProperty("conformance.cases", "campaign")).toAbsolutePath().normalize();
        // -Dconformance.numericOnly=true: only the models with numeric goldens (the ND4J-kernels run of the pom)
        numericOnly = Boolean.getBoolean("conformance.numericOnly");
        committed = cases.equals(Path.of(System.getProperty("conformance.committed", "campaign"))
                .toAbsolutePath().normalize());
        known = Known.load(Path.of(System.getProperty("conformance.known", "known-discrepancies.json")));
        List<Case> all = Case.load(cases).stream().filter(c -> !numericOnly || c.numeric()).toList();
        Path work = Files.createTempDirectory("conformance");
        long start = System.nanoTime();
        campaign = new Campaign(cases, work);
        outcomes = campaign.run(all);
        millis = (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void theCommittedCampaignIsLargeAndVaried() {
        if (!committed || numericOnly) {
            return;
        }
        Map<String, Long> byStatus = outcomes.stream()
                .collect(Collectors.groupingBy(o -> o.c().status(), Collectors.counting()));
        assertWithMessage("cases").that(outcomes.size()).isAtLeast(2000);
        assertWithMessage("valid cases").that(byStatus.getOrDefault("valid", 0L)).isAtLeast(800L);
        assertWithMessage("rejected cases").that(byStatus.getOrDefault("error", 0L)).isAtLeast(600L);
        assertWithMessage("numeric goldens").that(outcomes.stream().filter(o -> o.c().numeric()).count())
                .isAtLeast(100L);
        assertWithMessage("graph models").that(outcomes.stream().filter(o -> o.c().kind().equals("graph")).count())
                .isAtLeast(800L);
    }

    @TestFactory
    Stream<DynamicTest> everyModelAgreesWithPyTorch() {
        return outcomes.stream().map(o -> DynamicTest.dynamicTest(o.c().label(), () -> {
            List<Discrepancy> unexplained = o.discrepancies().stream()
                    .filter(d -> known.stream().noneMatch(k -> k.covers(o.c(), d)))
                    .toList();
            assertWithMessage("%s\nPyTorch: %s %s\nShapeProof: %s\n%s", o.c().label(), o.c().status(),
                    o.c().pytorch(), o.findings(), o.c().source())
                    .that(unexplained).isEmpty();
        }));
    }

    /**
     * Once a known bug is fixed its entry must go, or it would hide the bug's return. An entry about no committed case
     * (a note no committed model shows, another run) is not judged here; the ND4J-kernels run judges the entries
     * that name it.
     */
    @Test
    void everyKnownDiscrepancyStillHappens() {
        if (!committed) {
            return;
        }
        for (Known entry : known) {
            // the ND4J-kernels run checks only the numeric models: it judges the entries of its own run
            boolean otherRun = numericOnly && entry.run() == null;
            if (otherRun || outcomes.stream().noneMatch(o -> entry.selects(o.c()))) {
                continue;
            }
            boolean seen = outcomes.stream()
                    .anyMatch(o -> o.discrepancies().stream().anyMatch(d -> entry.covers(o.c(), d)));
            assertWithMessage("no case shows the known discrepancy %s: remove it from known-discrepancies.json",
                    entry).that(seen).isTrue();
        }
    }

    @AfterAll
    static void report() throws IOException {
        if (outcomes == null) {
            return;
        }
        String text = report(outcomes);
        Path file = Path.of("target", Boolean.getBoolean("conformance.numericOnly")
                ? "campaign-report-nd4j-kernels-only.txt" : "campaign-report.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.println(text.lines().limit(40).collect(Collectors.joining("\n")));
    }

    static String report(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder();
        Map<String, Long> byStatus = new TreeMap<>(outcomes.stream()
                .collect(Collectors.groupingBy(o -> o.c().status(), Collectors.counting())));
        out.append(String.format(Locale.ROOT, "ShapeProof vs PyTorch 1.13: %d models from %s (%s), %.1f s%n",
                outcomes.size(), cases, System.getProperty("nd4j.classifier", ""), millis / 1000.0));
        out.append("PyTorch's verdicts: ").append(byStatus).append('\n');
        long numeric = outcomes.stream().filter(o -> !Double.isNaN(o.numericError())).count();
        double worst = outcomes.stream().mapToDouble(Outcome::numericError).filter(e -> !Double.isNaN(e)).max()
                .orElse(0);
        double worstAgreeing = outcomes.stream().filter(o -> o.discrepancies().isEmpty())
                .mapToDouble(Outcome::numericError).filter(e -> !Double.isNaN(e)).max().orElse(0);
        out.append(String.format(Locale.ROOT, "numeric goldens run: %d, worst relative error %.2e (tolerance %.0e), "
                + "%.2e among models without a discrepancy%n", numeric, worst, Campaign.TOLERANCE, worstAgreeing));
        Map<String, List<Outcome>> byKind = new TreeMap<>();
        Map<String, List<Outcome>> unexplained = new TreeMap<>();
        for (Outcome o : outcomes) {
            for (Discrepancy d : o.discrepancies()) {
                byKind.computeIfAbsent(d.kind(), k -> new ArrayList<>()).add(o);
                if (known.stream().noneMatch(k -> k.covers(o.c(), d))) {
                    unexplained.computeIfAbsent(d.kind(), k -> new ArrayList<>()).add(o);
                }
            }
        }
        out.append("discrepancies (all / not in known-discrepancies.json):\n");
        for (String kind : List.of("crash", "false-accept", "false-reject", "error-count", "deliberate-id", "outputs",
                "summary", "numeric", "input-modified", "lints", "unused-module")) {
            out.append(String.format(Locale.ROOT, "  %-15s %6d / %d%n", kind,
                    byKind.getOrDefault(kind, List.of()).size(),
                    unexplained.getOrDefault(kind, List.of()).size()));
        }
        out.append("known discrepancies, cases each:\n");
        for (Known entry : known) {
            long n = outcomes.stream()
                    .filter(o -> o.discrepancies().stream().anyMatch(d -> entry.covers(o.c(), d))).count();
            out.append(String.format(Locale.ROOT, "  %5d  %s → %s (%s)%n", n, entry.selector(), entry.kind(),
                    entry.owner()));
        }
        out.append("by mutation: models, valid / error / deliberate in PyTorch, discrepancies\n");
        Map<String, List<Outcome>> byMutation = new TreeMap<>(outcomes.stream().collect(Collectors.groupingBy(
                o -> o.c().mutation() == null ? "(none)" : o.c().mutation())));
        byMutation.forEach((mutation, list) -> out.append(String.format(Locale.ROOT,
                "  %-22s %6d  %5d / %5d / %4d  %d%n",
                mutation, list.size(), count(list, "valid"), count(list, "error"), count(list, "deliberate"),
                list.stream().filter(o -> !o.discrepancies().isEmpty()).count())));
        Map<String, Long> errorIds = new TreeMap<>(outcomes.stream().filter(o -> !o.c().isValid())
                .flatMap(o -> o.findings().stream().filter(Javac.Finding::error).limit(1))
                .collect(Collectors.groupingBy(Javac.Finding::id, Collectors.counting())));
        out.append("ShapeProof's error ids on models PyTorch rejects: ").append(errorIds).append('\n');
        out.append("unexplained discrepancies:\n");
        unexplained.forEach((kind, list) -> {
            for (Outcome o : list.stream().distinct().sorted(Comparator.comparing(o -> o.c().id())).toList()) {
                o.discrepancies().stream().filter(d -> d.kind().equals(kind)).forEach(d -> out.append("  ")
                        .append(o.c().label()).append(" ").append(d).append('\n'));
            }
        });
        return out.toString();
    }

    private static long count(List<Outcome> list, String status) {
        return list.stream().filter(o -> o.c().status().equals(status)).count();
    }

}
