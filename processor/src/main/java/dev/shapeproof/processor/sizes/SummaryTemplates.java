package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.sizes.SizePolynomial;
import dev.shapeproof.summary.Edge;
import dev.shapeproof.summary.ModelSummary;
import dev.shapeproof.summary.SummaryRow;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The rows of a free-size model's summary as templates ({@link dev.shapeproof.sizes.SizedSummary}): the summary the
 * check stage computes at the reference size, with symbolic shapes, and MACs and bias additions per output element.
 * Each template is checked against the summaries at the other sample sizes: whatever it keeps fixed (parameters,
 * windows) must be the same there, what it scales must scale exactly, and a receptive field that changes with the
 * size (an adaptive pool's) is left out.
 *
 * @param rows one template per row, in the order of the summary's rows
 * @param edges the graph's edges, which do not depend on the size
 * @param chain whether the edges are a chain through the rows (a sequential model)
 * @param peakCandidates the inference peak is the largest of these
 * @param problem why no template describes some row, or {@code null}
 */
public record SummaryTemplates(List<String> rows, List<Edge> edges, boolean chain, List<SizePolynomial> peakCandidates,
        String problem) {

    static SummaryTemplates of(FreeSizeModel model, Function<CheckedModel, ModelSummary> summarize) {
        ModelSummary here = summarize.apply(model.model());
        List<ModelSummary> there = new ArrayList<>();
        for (int i = 0; i < model.samples().size(); i++) {
            there.add(summarize.apply(model.sampleModel(i)));
        }
        List<Node> nodes = new ArrayList<>();
        rowNodes(model.model(), model.model().graph().body(), nodes);
        if (nodes.size() != here.rows().size()) {
            throw new IllegalStateException(nodes.size() + " row nodes for " + here.rows().size() + " rows");
        }
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < nodes.size(); r++) {
            Node node = nodes.get(r);
            StringJoiner template = new StringJoiner(" ");
            SummaryRow row = here.rows().get(r);
            template.add(row.name()).add(row.type());
            for (Value input : node.inputs()) {
                template.add(model.shapeOf(input).toSpec());
            }
            template.add("->").add(model.shapeOf(node.body().outputOf(node)).toSpec());
            List<String> settings = settings(row);
            for (String setting : settings) {
                String kept = setting;
                if (setting.startsWith("macs=") || setting.startsWith("bias=")) {
                    kept = perOutput(setting, row, there, r);
                    if (kept == null) {
                        return problem(node + "'s " + (setting.startsWith("macs=") ? "MACs" : "bias additions")
                                + " are not a whole number per output element, nor per input element, at every size");
                    }
                } else if (setting.startsWith("rf=")) {
                    boolean sizeFree = true;
                    for (ModelSummary summary : there) {
                        sizeFree &= settings(summary.rows().get(r)).contains(setting);
                    }
                    kept = sizeFree ? setting : null;
                } else {
                    for (ModelSummary summary : there) {
                        if (!settings(summary.rows().get(r)).contains(setting)) {
                            return problem(node + "'s " + setting + " differs at another size");
                        }
                    }
                }
                if (kept != null) {
                    template.add(kept);
                }
            }
            rows.add(template.toString());
        }
        List<SizePolynomial> peak = model.peakCandidates();
        checkPeak(peak, here, model.reference());
        for (int i = 0; i < there.size(); i++) {
            checkPeak(peak, there.get(i), model.samples().get(i));
        }
        boolean chain = here.inputs().size() == 1 && here.outputs().size() == 1 && !here.rows().isEmpty()
                && here.edges().equals(ModelSummary.chainEdges(here.inputs().get(0).name(), here.rows(),
                        here.outputs().get(0).name()));
        return new SummaryTemplates(rows, here.edges(), chain, peak, null);
    }

    private static SummaryTemplates problem(String why) {
        return new SummaryTemplates(List.of(), List.of(), false, List.of(), why);
    }

    /** The row's settings: its spec after the output shape. */
    private static List<String> settings(SummaryRow row) {
        String[] tokens = row.toSpec().split(" ");
        List<String> settings = new ArrayList<>();
        boolean afterOutput = false;
        for (int i = 2; i < tokens.length; i++) {
            if (tokens[i].equals("->")) {
                i++;
                afterOutput = true;
                continue;
            }
            if (afterOutput) {
                settings.add(tokens[i]);
            }
        }
        return settings;
    }

    /**
     * {@code macs=147*out}: the count per output element, if it is whole and the same at every sample; else
     * {@code macs=36*in}, per element of the first input (a transposed convolution's work follows its input).
     */
    private static String perOutput(String setting, SummaryRow row, List<ModelSummary> there, int index) {
        String key = setting.substring(0, setting.indexOf('='));
        long total = Long.parseLong(setting.substring(key.length() + 1));
        if (scales(key, total, row, there, index, SummaryTemplates::outputElements)) {
            return key + "=" + total / row.outputElements() + "*out";
        }
        if (scales(key, total, row, there, index, SummaryTemplates::inputElements)) {
            return key + "=" + total / inputElements(row) + "*in";
        }
        return null;
    }

    /** Whether {@code total} is a whole number of {@code elements} of the row, the same number at every sample. */
    private static boolean scales(String key, long total, SummaryRow row, List<ModelSummary> there, int index,
            java.util.function.ToLongFunction<SummaryRow> elements) {
        long count = elements.applyAsLong(row);
        if (count == 0 || total % count != 0) {
            return false;
        }
        long perElement = total / count;
        for (ModelSummary summary : there) {
            SummaryRow other = summary.rows().get(index);
            long value = key.equals("macs") ? other.macs() : other.biasAdds();
            if (value != perElement * elements.applyAsLong(other)) {
                return false;
            }
        }
        return true;
    }

    private static long outputElements(SummaryRow row) {
        return row.outputElements();
    }

    private static long inputElements(SummaryRow row) {
        return row.inputs().isEmpty() ? 0 : row.inputs().get(0).sampleSize();
    }

    private static void checkPeak(List<SizePolynomial> candidates, ModelSummary summary,
            dev.shapeproof.sizes.SizeValues sizes) {
        long peak = 0;
        for (SizePolynomial candidate : candidates) {
            peak = Math.max(peak, candidate.at(sizes));
        }
        if (summary.inferencePeakBytes().isPresent() && summary.inferencePeakBytes().getAsLong() != peak) {
            throw new IllegalStateException("the symbolic inference peak gives " + peak + " at " + sizes
                    + " where the estimate is " + summary.inferencePeakBytes().getAsLong());
        }
    }

    /** The nodes that are rows, in the order the summary lists them: a block's row after its children's. */
    private static void rowNodes(CheckedModel model, Body body, List<Node> rows) {
        for (Node node : body.nodes()) {
            CheckedNode<?> checked = model.checked(node);
            if (checked == null || !node.isModuleCall()) {
                continue;
            }
            if (node.callee() != null) {
                rowNodes(model, node.callee(), rows);
                if (!node.instance().isSummaryRow()) {
                    continue;
                }
            }
            rows.add(node);
        }
    }
}
