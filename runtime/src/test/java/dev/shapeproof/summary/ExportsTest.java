package dev.shapeproof.summary;

import static com.google.common.truth.Truth.assertThat;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelSummary#toJson()}, {@link ModelSummary#toCsv()}, {@link ModelSummary#toMarkdown()} and
 * {@link ModelSummary#toMermaid()}: golden files under {@code src/test/resources/summary/} (see {@link Golden} to
 * regenerate them), and checks that the JSON and CSV parse and say what the summary says.
 */
class ExportsTest {

    @Test
    void seedNetGoldens() {
        ModelSummary net = Models.seedNet();
        Golden.assertMatches("net.json", net.toJson());
        Golden.assertMatches("net.csv", net.toCsv());
        Golden.assertMatches("net.md", net.toMarkdown());
        Golden.assertMatches("net.mmd", net.toMermaid());
    }

    @Test
    void branchingGoldens() {
        ModelSummary branchy = Models.branching();
        Golden.assertMatches("branchy.json", branchy.toJson());
        Golden.assertMatches("branchy.csv", branchy.toCsv());
        Golden.assertMatches("branchy.md", branchy.toMarkdown());
        Golden.assertMatches("branchy.mmd", branchy.toMermaid());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonParsesAndCarriesTheFigures() {
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(Models.branching().toJson());
        assertThat(json.keySet()).containsExactly("schema", "model", "bytesPerNumber", "inputs", "outputs", "rows",
                "edges", "totals").inOrder();
        assertThat(json.get("schema")).isEqualTo("shapeproof-summary/1");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json.get("rows");
        assertThat(rows).hasSize(8);
        Map<String, Object> bn = rows.get(1);
        assertThat(bn.get("key")).isEqualTo("BatchNorm2d-2");
        assertThat(bn.get("buffers")).isEqualTo(33L);
        assertThat(bn.get("geometry")).isNull();
        Map<String, Object> grouped = rows.get(4);
        Map<String, Object> geometry = (Map<String, Object>) grouped.get("geometry");
        assertThat(geometry.get("paddingBefore")).isEqualTo(List.of(1L, 1L));
        assertThat(geometry.get("paddingAfter")).isEqualTo(List.of(2L, 2L));
        assertThat(geometry.get("groups")).isEqualTo(4L);
        assertThat(grouped.get("receptiveField")).isEqualTo(List.of(6L, 6L));
        assertThat(grouped.get("inputShapes")).isEqualTo(List.of(List.of(-1L, 16L, 32L, 32L)));
        assertThat(rows.get(5).get("call")).isEqualTo(2L);
        Map<String, Object> totals = (Map<String, Object>) json.get("totals");
        assertThat(totals.get("params")).isEqualTo(4_170L);
        assertThat(totals.get("macs")).isEqualTo(442_368L + 2_359_296L + 1_048_576L + 81_920L);
        assertThat(totals.get("inferencePeakActivationBytes")).isEqualTo(68_608L * 4);
        List<Map<String, Object>> edges = (List<Map<String, Object>>) json.get("edges");
        assertThat(edges.get(5)).isEqualTo(Map.of("from", "branch_a", "to", "ReLU-6", "via", "cat"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonEscapesAndFractionalFields() {
        TensorShape in = TensorShape.of(-1, 4);
        ModelSummary summary = ModelSummary.builder("Odd\"Name\\\n")
                .input("x", in)
                .row(new SummaryRow("up", "Upsample", List.of(in), in, 0, 0, 0, false, null,
                        new ReceptiveField(2, 0.5), new ReceptiveField(2, 0.5),
                        0, 0))
                .build();
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(summary.toJson());
        assertThat(json.get("model")).isEqualTo("Odd\"Name\\\n");
        Map<String, Object> row = ((List<Map<String, Object>>) json.get("rows")).get(0);
        assertThat(row.get("jump")).isEqualTo(List.of(0.5, 0.5));
        assertThat(((Map<String, Object>) json.get("totals")).get("inferenceBytes")).isNull();
        // a Sequential without edges gets the chain
        assertThat((List<Object>) json.get("edges")).hasSize(1);
    }

    @Test
    void csvHasOneRecordPerRowWithEveryColumn() {
        ModelSummary branchy = Models.branching();
        List<List<String>> records = parseCsv(branchy.toCsv());
        assertThat(records).hasSize(1 + 8);
        assertThat(records.get(0)).isEqualTo(CsvFormat.HEADER);
        for (List<String> record : records) {
            assertThat(record).hasSize(CsvFormat.HEADER.size());
        }
        List<String> grouped = records.get(5);
        assertThat(field(grouped, "key")).isEqualTo("Conv2d-5");
        assertThat(field(grouped, "input_shapes")).isEqualTo("[-1, 16, 32, 32]"); // quoted in the file: commas
        assertThat(field(grouped, "pad_top")).isEqualTo("1");
        assertThat(field(grouped, "pad_bottom")).isEqualTo("2");
        assertThat(field(grouped, "groups")).isEqualTo("4");
        assertThat(field(grouped, "macs")).isEqualTo("1048576");
        assertThat(field(records.get(2), "buffers")).isEqualTo("33");
        assertThat(field(records.get(2), "kernel_h")).isEmpty();
        assertThat(field(records.get(6), "call")).isEqualTo("2");
        assertThat(field(records.get(7), "ceil_mode")).isEqualTo("true");
    }

    @Test
    void csvQuotesPerRfc4180() {
        assertThat(CsvFormat.quote("plain")).isEqualTo("plain");
        assertThat(CsvFormat.quote("[-1, 10]")).isEqualTo("\"[-1, 10]\"");
        assertThat(CsvFormat.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(parseCsv("a,\"b, \"\"c\"\"\",d\n")).containsExactly(List.of("a", "b, \"c\"", "d"));
    }

    @Test
    void markdownTableIsWellFormed() {
        String markdown = Models.seedNet().toMarkdown();
        List<String> tableLines = markdown.lines().filter(line -> line.startsWith("| ")).toList();
        assertThat(tableLines).hasSize(2 + 5 + 1); // header, alignment, five rows, totals
        long pipes = tableLines.get(0).chars().filter(c -> c == '|').count();
        for (String line : tableLines) {
            assertThat(line.chars().filter(c -> c == '|').count()).isEqualTo(pipes);
        }
        assertThat(markdown).contains("| Conv2d-1 | conv1 | [-1, 10, 24, 24] | 260 |");
        assertThat(markdown).contains("| **Total** |");
    }

    @Test
    void mermaidDrawsBothBranchesIntoTheMerge() {
        String mermaid = Models.branching().toMermaid();
        assertThat(mermaid).startsWith("flowchart TD\n");
        assertThat(mermaid).contains("    L3 -->|\"[-1, 16, 32, 32]\"| L4\n");
        assertThat(mermaid).contains("    L3 -->|\"[-1, 16, 32, 32]\"| L5\n");
        assertThat(mermaid).contains("    L4 -->|\"[-1, 16, 32, 32]<br/>cat\"| L6\n");
        assertThat(mermaid).contains("    L5 -->|\"[-1, 16, 32, 32]<br/>cat\"| L6\n");
        assertThat(mermaid).contains("    L6[\"relu: ReLU, call 2\"]\n");
    }

    @Test
    void mermaidChainForASequentialAndAModuleNamedOutput() {
        String mermaid = Models.contextModule().toMermaid();
        assertThat(mermaid).contains("    In1 -->|\"[-1, 21, 64, 64]\"| L1\n");
        assertThat(mermaid).contains("    L14 -->|\"[-1, 21, 64, 64]\"| L15\n");
        assertThat(mermaid).contains("    L15[\"output: Conv2d\"]\n");
        assertThat(mermaid).contains("    L15 -->|\"[-1, 21, 64, 64]\"| Out1\n");
        assertThat(mermaid.lines().filter(line -> line.contains("-->")).count()).isEqualTo(16);
    }

    @Test
    void mermaidEscapesLabels() {
        assertThat(MermaidFormat.escape("a \"b\" <c> #d")).isEqualTo("a #quot;b#quot; #lt;c#gt; #35;d");
    }

    private static String field(List<String> record, String column) {
        return record.get(CsvFormat.HEADER.indexOf(column));
    }

    /** A strict RFC 4180 reader (quoted fields, doubled quotes), lines ending in {@code \n}. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' && field.isEmpty()) {
                i++;
                while (true) {
                    char q = text.charAt(i++);
                    if (q == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(q);
                    }
                }
                char next = text.charAt(i);
                if (next != ',' && next != '\n') {
                    throw new IllegalArgumentException("text after a closing quote at " + i);
                }
                continue;
            }
            if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else if (c == '"' || c == '\r') {
                throw new IllegalArgumentException("stray " + (int) c + " at " + i);
            } else {
                field.append(c);
            }
            i++;
        }
        if (!field.isEmpty() || !record.isEmpty()) {
            throw new IllegalArgumentException("the last line does not end in \\n");
        }
        return records;
    }
}
