package dev.shapeproof.summary;

import static com.google.common.truth.Truth.assertThat;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ModelSummary#detailed()}. */
class DetailedFormatTest {

    /** The table's lines for rows: those between the {@code =} rules. */
    static List<List<String>> rowCells(String detailed) {
        List<String> lines = Arrays.asList(detailed.split("\n"));
        int first = -1;
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("===")) {
                if (first < 0) {
                    first = i;
                } else {
                    last = i;
                    break;
                }
            }
        }
        List<List<String>> rows = new ArrayList<>();
        // cells are two or more spaces apart; a shape's ", " has one
        for (String line : lines.subList(first + 1, last)) {
            rows.add(Arrays.asList(line.split(" {2,}")));
        }
        return rows;
    }

    static List<String> header(String detailed) {
        for (String line : detailed.split("\n")) {
            if (line.startsWith("Layer (type)")) {
                return Arrays.asList(line.split(" {2,}"));
            }
        }
        throw new AssertionError("no header in\n" + detailed);
    }

    static List<String> column(String detailed, String name) {
        int index = header(detailed).indexOf(name);
        assertThat(index).isAtLeast(0);
        return rowCells(detailed).stream().map(cells -> cells.get(index)).toList();
    }

    @Test
    void contextModuleReceptiveFieldGrowsTo67() {
        // by hand, r += (d·(3−1)+1 − 1)·1 = 2d: 1+2=3, +2=5, +4=9, +8=17, +16=33, +32=65, +2=67; ReLUs keep it;
        // the 1×1 output convolution adds nothing
        String detailed = Models.contextModule().detailed();
        assertThat(column(detailed, "RF")).containsExactly(
                "3×3", "3×3", "5×5", "5×5", "9×9", "9×9", "17×17", "17×17", "33×33", "33×33", "65×65", "65×65",
                "67×67", "67×67", "67×67").inOrder();
        assertThat(column(detailed, "Jump")).containsExactlyElementsIn(List.of(
                "1×1", "1×1", "1×1", "1×1", "1×1", "1×1", "1×1", "1×1", "1×1", "1×1", "1×1", "1×1", "1×1", "1×1",
                "1×1"));
        assertThat(column(detailed, "Dilation")).containsExactly(
                "1×1", "-", "1×1", "-", "2×2", "-", "4×4", "-", "8×8", "-", "16×16", "-", "1×1", "-", "1×1").inOrder();
        assertThat(column(detailed, "Padding")).containsExactly(
                "1×1", "-", "1×1", "-", "2×2", "-", "4×4", "-", "8×8", "-", "16×16", "-", "1×1", "-", "0×0").inOrder();
        assertThat(column(detailed, "Module").get(14)).isEqualTo("output");
        assertThat(column(detailed, "In-place").get(1)).isEqualTo("yes");
        assertThat(detailed).contains("Through branches (cat, +): the maximum over the paths.");
    }

    @Test
    void stridedReceptiveFieldOfTheSeedNet() {
        // conv1 k5: 5 (j 1); max_pool2d k2 s2: 5 + 1·1 = 6 (j 2); conv2 k5: 6 + 4·2 = 14 (j 2); Dropout2d keeps it;
        // max_pool2d: 14 + 1·2 = 16 (j 4); view over the 4×4 map: 16 + 3·4 = 28 (j 16), the whole 28×28 input
        String detailed = Models.seedNet().detailed();
        assertThat(column(detailed, "RF")).containsExactly("5×5", "14×14", "14×14", "28×28", "28×28").inOrder();
        assertThat(column(detailed, "Jump")).containsExactly("1×1", "2×2", "2×2", "16×16", "16×16").inOrder();
        assertThat(column(detailed, "MACs")).containsExactly("144,000", "320,000", "0", "16,000", "500").inOrder();
        assertThat(column(detailed, "Bias adds")).containsExactly("5,760", "1,280", "0", "50", "10").inOrder();
    }

    @Test
    void contextModuleGolden() {
        Golden.assertMatches("context-module.detailed.txt", Models.contextModule().detailed());
    }

    @Test
    void contextModuleTotalsAndBothMemoryFigures() {
        String detailed = Models.contextModule().detailed();
        // 7 · (21·21·9 + 21) + (21·21 + 21) = 7 · 3,990 + 462 = 28,392 parameters
        // MACs 7 · 86,016 · 189 + 86,016 · 21 = 113,799,168 + 1,806,336 = 115,605,504; bias adds 8 · 86,016
        assertThat(detailed).contains("\nParams: 28,392 (trainable 28,392, non-trainable 0); buffers: 0\n");
        assertThat(detailed).contains("\nMACs: 115,605,504 (+ 688,128 bias adds)\n");
        // naive: input 344,064 B = 0.33; forward/backward 2 · 15 · 86,016 · 4 B = 9.84375 → 9.84 (even);
        // params 113,568 B = 0.108 → 0.11; total 10,779,552 B = 10.28
        assertThat(detailed).contains(
                "  torchsummary (naive): input 0.33 + forward/backward 9.84 + params 0.11 = 10.28 MB\n");
        // inference: 3 maps of 344,064 B alive at once = 0.984375 → 0.98; + params = 1,145,760 B = 1.09
        assertThat(detailed).contains(
                "  inference estimate:   peak activations 0.98 + params 0.11 + buffers 0.00 = 1.09 MB\n");
    }

    @Test
    void buffersAndSharedCallsInTheBranchingModel() {
        String detailed = Models.branching().detailed();
        assertThat(column(detailed, "Buffers").get(1)).isEqualTo("33");
        assertThat(column(detailed, "Params").get(1)).isEqualTo("32");
        // 448 + 32 + 2,320 + 1,040 + 330 = 4,170; the ReLU called twice has no parameters to count twice
        assertThat(detailed).contains("\nParams: 4,170 (trainable 4,170, non-trainable 0); buffers: 33\n");
        assertThat(detailed).contains("(shared): a later call of a module already called");
        // grouped branch with padding='same' on an even kernel: 1 before, 2 after on each axis
        assertThat(column(detailed, "Padding").get(4)).isEqualTo("1+2×1+2");
        assertThat(column(detailed, "Groups").get(4)).isEqualTo("4");
        assertThat(column(detailed, "Stride").get(6)).isEqualTo("2×2 ceil");
        // the merge takes the larger field: max(7, 6) = 7
        assertThat(column(detailed, "RF").get(5)).isEqualTo("7×7");
        assertThat(header(detailed)).doesNotContain("Frozen");
    }

    @Test
    void frozenColumnOnlyWhenSomethingIsFrozen() {
        TensorShape in = TensorShape.of(-1, 8);
        ModelSummary summary = ModelSummary.builder("Frozen").input("x", in)
                .row(new SummaryRow("fc", "Linear", List.of(in), TensorShape.of(-1, 4), 36, 4, 0, false, null,
                        ReceptiveField.INPUT, ReceptiveField.INPUT, 32, 4))
                .build();
        String detailed = summary.detailed();
        assertThat(column(detailed, "Frozen")).containsExactly("32");
        assertThat(detailed).contains("\nParams: 36 (trainable 4, non-trainable 32); buffers: 0\n");
    }

    @Test
    void withoutAnInferenceFigureSaysSo() {
        TensorShape in = TensorShape.of(-1, 8);
        ModelSummary summary = ModelSummary.builder("NoPeak").input("x", in)
                .row(new SummaryRow("fc", "Linear", List.of(in), TensorShape.of(-1, 4), 36, 36, 0, false, null,
                        null, null, 32, 4))
                .build();
        assertThat(summary.detailed()).contains("  inference estimate:   not computed\n");
        assertThat(column(summary.detailed(), "RF")).containsExactly("-");
    }

    @Test
    void columnsAreAligned() {
        String detailed = Models.seedNet().detailed();
        List<String> lines = Arrays.asList(detailed.split("\n"));
        int headerIndex = lines.indexOf(lines.stream().filter(l -> l.startsWith("Layer (type)")).findFirst()
                .orElseThrow());
        String header = lines.get(headerIndex);
        int rule = lines.get(headerIndex - 1).length();
        // every right-aligned number column ends where its header ends
        int macsEnd = header.indexOf("MACs") + "MACs".length();
        assertThat(rule).isAtLeast(header.length());
        for (String line : lines.subList(headerIndex + 2, headerIndex + 7)) {
            assertThat(line.length()).isAtMost(rule);
            assertThat(Character.isDigit(line.charAt(macsEnd - 1))).isTrue();
            assertThat(line.charAt(macsEnd)).isEqualTo(' ');
            assertThat(line).doesNotMatch(".*\\s$");
        }
    }

    @Test
    void readableInATerminal() {
        for (String line : Models.contextModule().detailed().split("\n")) {
            assertThat(line.length()).isAtMost(150);
        }
    }
}
