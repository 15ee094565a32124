package dev.shapeproof.summary;

import java.util.ArrayList;
import java.util.List;

/** Aligns cells in columns two spaces apart, for a terminal; no trailing spaces. */
final class TextTable {
    private final List<Boolean> rightAligned;
    private final List<List<String>> lines = new ArrayList<>();
    /** Indices in {@link #lines} before which a rule is drawn, and its character. */
    private final List<int[]> rules = new ArrayList<>();

    TextTable(List<Boolean> rightAligned) {
        this.rightAligned = List.copyOf(rightAligned);
    }

    void add(List<String> cells) {
        if (cells.size() != rightAligned.size()) {
            throw new IllegalArgumentException("expected " + rightAligned.size() + " cells, got " + cells.size());
        }
        lines.add(List.copyOf(cells));
    }

    /** Draws a line of {@code c} across the table before the next row added (or at the end). */
    void rule(char c) {
        rules.add(new int[] {lines.size(), c});
    }

    /** The widths of every column. */
    int[] widths() {
        int[] widths = new int[rightAligned.size()];
        for (List<String> cells : lines) {
            for (int i = 0; i < cells.size(); i++) {
                widths[i] = Math.max(widths[i], cells.get(i).length());
            }
        }
        return widths;
    }

    /** The table's width: columns and the gaps between them. */
    int width() {
        int total = 0;
        for (int width : widths()) {
            total += width;
        }
        return total + 2 * (rightAligned.size() - 1);
    }

    /** Renders every line, each ending in {@code \n}. */
    void appendTo(StringBuilder text) {
        int[] widths = widths();
        String[] ruleLines = new String[lines.size() + 1];
        for (int[] rule : rules) {
            ruleLines[rule[0]] = String.valueOf((char) rule[1]).repeat(width());
        }
        for (int i = 0; i <= lines.size(); i++) {
            if (ruleLines[i] != null) {
                text.append(ruleLines[i]).append('\n');
            }
            if (i == lines.size()) {
                break;
            }
            StringBuilder line = new StringBuilder();
            List<String> cells = lines.get(i);
            for (int c = 0; c < cells.size(); c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = cells.get(c);
                String padding = " ".repeat(widths[c] - cell.length());
                line.append(rightAligned.get(c) ? padding + cell : cell + padding);
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
