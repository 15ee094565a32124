package dev.shapeproof.sizes;

import dev.shapeproof.summary.Edge;
import dev.shapeproof.summary.ModelSummary;
import dev.shapeproof.summary.SummaryRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The summary of a model with free sizes: torchsummary's table with symbolic shapes ({@code [-1, 64, ⌈H/2⌉,
 * ⌈W/2⌉]}), MACs and memory as formulas, and at any admissible size the {@link ModelSummary} a fixed-size model of
 * that size has: {@code SUMMARY.at(224, 320).toString()} is torchsummary's text at 224×320, byte for byte.
 *
 * <p>Each row is a template: its shapes are {@link SymbolicShape}s, its MACs and bias additions a whole number per
 * output element (as for every convolution and linear layer); parameters, windows and receptive fields do not depend
 * on the size. Summaries at concrete sizes are kept in an {@link LruCache} of {@link LruCache#DEFAULT_CAPACITY} sizes.
 */
public final class SizedSummary {
    private final String model;
    private final AdmissibleSizes admissible;
    private final List<Named> inputs;
    private final List<Named> outputs;
    private final List<String> rows;
    private final List<Edge> edges;
    private final boolean chainEdges;
    private final List<SizePolynomial> peakCandidates;
    private final LruCache<SizeValues, ModelSummary> cache = new LruCache<>(LruCache.DEFAULT_CAPACITY);
    /** The size-free figures: parameters and how rows count them, computed once at the smallest admissible size. */
    private final ModelSummary sample;

    /** A model input or output with its symbolic shape. */
    public record Named(String name, SymbolicShape shape) {}

    private SizedSummary(Builder builder) {
        this.model = builder.model;
        this.admissible = builder.admissible;
        this.inputs = List.copyOf(builder.inputs);
        this.outputs = List.copyOf(builder.outputs);
        this.rows = List.copyOf(builder.rows);
        this.edges = List.copyOf(builder.edges);
        this.chainEdges = builder.chainEdges;
        this.peakCandidates = List.copyOf(builder.peakCandidates);
        SizeValues smallest = admissible.smallest();
        if (smallest == null) {
            throw new IllegalArgumentException(model + ": no size is admissible");
        }
        this.sample = build(smallest);
    }

    public static Builder builder(String model, AdmissibleSizes admissible) {
        return new Builder(model, admissible);
    }

    public String model() {
        return model;
    }

    public AdmissibleSizes admissible() {
        return admissible;
    }

    public List<Named> inputs() {
        return inputs;
    }

    public List<Named> outputs() {
        return outputs;
    }

    /** The summary at the free sizes {@code values}, in the order of {@link AdmissibleSizes#names()}. */
    public ModelSummary at(int... values) {
        return at(SizeValues.of(admissible.names(), values));
    }

    /**
     * The summary at {@code sizes}: every figure exactly what a fixed-size declaration of those sizes gives.
     *
     * @throws IllegalArgumentException if the model does not admit {@code sizes}
     */
    public ModelSummary at(SizeValues sizes) {
        admissible.require(model, sizes);
        return cache.get(sizes, this::build);
    }

    private ModelSummary build(SizeValues sizes) {
        ModelSummary.Builder summary = ModelSummary.builder(model);
        for (Named input : inputs) {
            summary.input(input.name(), input.shape().at(sizes));
        }
        for (String row : rows) {
            summary.row(concreteRow(row, sizes));
        }
        for (Named output : outputs) {
            summary.output(output.name(), output.shape().at(sizes));
        }
        if (chainEdges) {
            summary.chainEdges();
        } else {
            edges.forEach(edge -> summary.edge(edge.from(), edge.to(), edge.via()));
        }
        if (!peakCandidates.isEmpty()) {
            long peak = 0;
            for (SizePolynomial candidate : peakCandidates) {
                peak = Math.max(peak, candidate.at(sizes));
            }
            summary.inferencePeakBytes(peak);
        }
        return summary.build();
    }

    /**
     * A template row at {@code sizes}: its shapes evaluated, {@code macs=147*out} times the output's elements
     * ({@code macs=36*in} times its first input's: a transposed convolution's work follows its input), then read as
     * {@link SummaryRow#parse} reads a fixed model's row.
     */
    private static SummaryRow concreteRow(String template, SizeValues sizes) {
        String[] tokens = template.trim().split(" +");
        StringJoiner spec = new StringJoiner(" ");
        spec.add(tokens[0]).add(tokens[1]);
        long outputElements = 0;
        long inputElements = 0;
        int at = 2;
        boolean output = false;
        for (; at < tokens.length; at++) {
            String token = tokens[at];
            if (token.equals("->")) {
                spec.add(token);
                output = true;
                continue;
            }
            if (!token.startsWith("[")) {
                break;
            }
            var shape = SymbolicShape.parse(token).at(sizes);
            spec.add(shape.toString().replace(" ", ""));
            if (at == 2) {
                inputElements = shape.sampleSize();
            }
            if (output) {
                outputElements = shape.sampleSize();
                at++;
                break;
            }
        }
        for (; at < tokens.length; at++) {
            String token = tokens[at];
            if (token.endsWith("*out") || token.endsWith("*in")) {
                int equals = token.indexOf('=');
                boolean perInput = token.endsWith("*in");
                long perElement = Long.parseLong(token.substring(equals + 1, token.lastIndexOf('*')));
                long total = Math.multiplyExact(perElement, perInput ? inputElements : outputElements);
                if (total != 0) {
                    spec.add(token.substring(0, equals + 1) + total);
                }
            } else {
                spec.add(token);
            }
        }
        return SummaryRow.parse(spec.toString());
    }

    /** The rows' templates, as generated code wrote them. */
    public List<String> rowTemplates() {
        return rows;
    }

    /** Multiply-accumulates for one sample. */
    public SizePolynomial macs() {
        return perOutput("macs");
    }

    /** Bias additions for one sample. */
    public SizePolynomial biasAdds() {
        return perOutput("bias");
    }

    private SizePolynomial perOutput(String key) {
        SizePolynomial sum = SizePolynomial.ZERO;
        for (String row : rows) {
            String[] tokens = row.trim().split(" +");
            int arrow = java.util.Arrays.asList(tokens).indexOf("->");
            SymbolicShape output = SymbolicShape.parse(tokens[arrow + 1]);
            for (String token : tokens) {
                if (token.startsWith(key + "=") && (token.endsWith("*out") || token.endsWith("*in"))) {
                    boolean perInput = token.endsWith("*in");
                    long perElement = Long.parseLong(token.substring(key.length() + 1, token.lastIndexOf('*')));
                    SymbolicShape counted = perInput ? SymbolicShape.parse(tokens[2]) : output;
                    sum = sum.plus(SizePolynomial.of(counted.sampleSize()).times(perElement));
                }
            }
        }
        return sum;
    }

    /** The elements of every input of one sample, added. */
    public SizePolynomial inputElements() {
        SizePolynomial sum = SizePolynomial.ZERO;
        for (Named input : inputs) {
            sum = sum.plus(SizePolynomial.of(input.shape().sampleSize()));
        }
        return sum;
    }

    /** The elements of every row's output for one sample: torchsummary's forward pass counts them twice. */
    public SizePolynomial outputElements() {
        SizePolynomial sum = SizePolynomial.ZERO;
        for (String row : rows) {
            String[] tokens = row.trim().split(" +");
            int arrow = java.util.Arrays.asList(tokens).indexOf("->");
            sum = sum.plus(SizePolynomial.of(SymbolicShape.parse(tokens[arrow + 1]).sampleSize()));
        }
        return sum;
    }

    /**
     * The inference peak in bytes for one sample is the largest of these (each the bytes alive at some step of the
     * forward, none below another everywhere).
     */
    public List<SizePolynomial> inferencePeakCandidates() {
        return peakCandidates;
    }

    /**
     * torchsummary's table with symbolic output shapes, its size-free totals, and its memory lines as formulas in
     * bytes; then the admissible sizes. {@link #at} gives the numbers at a size.
     */
    @Override
    public String toString() {
        String dashes = "-".repeat(64);
        String row = "%20s  %25s %15s";
        StringBuilder text = new StringBuilder();
        line(text, dashes);
        line(text, String.format(Locale.ROOT, row, "Layer (type)", "Output Shape", "Param #"));
        line(text, "=".repeat(64));
        List<SummaryRow> sampleRows = sample.rows();
        for (int i = 0; i < rows.size(); i++) {
            String[] tokens = rows.get(i).trim().split(" +");
            int arrow = java.util.Arrays.asList(tokens).indexOf("->");
            String shape = SymbolicShape.parse(tokens[arrow + 1]).toString();
            SummaryRow concrete = sampleRows.get(i);
            String params = sample.isSharedCall(i) && concrete.params() > 0 ? "(shared)" : count(concrete.params());
            line(text, String.format(Locale.ROOT, row, sample.key(i), shape, params));
        }
        var totals = sample.totals();
        line(text, "=".repeat(64));
        line(text, "Total params: " + count(totals.params()));
        line(text, "Trainable params: " + count(totals.trainableParams()));
        line(text, "Non-trainable params: " + count(totals.nonTrainableParams()));
        line(text, dashes);
        line(text, "Input size (MB): 4·(" + inputElements() + ") / 1024²");
        line(text, "Forward/backward pass size (MB): 8·(" + outputElements() + ") / 1024²");
        line(text, "Params size (MB): " + fixed2(totals.params() * 4. / (1024.0 * 1024.0)));
        line(text, "Estimated Total Size (MB): the three above added; summary at a size: at(" + String.join(", ",
                admissible.names()) + ")");
        line(text, dashes);
        line(text, "Admissible sizes: " + admissible);
        line(text, dashes);
        return text.toString();
    }

    /**
     * MACs, bias additions and memory as formulas in the free sizes, for one sample:
     * {@code MACs: 1,728·⌈H/2⌉·⌈W/2⌉ + …}.
     */
    public String formulas() {
        StringBuilder text = new StringBuilder();
        line(text, "MACs: " + macs());
        line(text, "Bias additions: " + biasAdds());
        line(text, "Input (bytes): 4·(" + inputElements() + ")");
        line(text, "Forward/backward pass (bytes, torchsummary's): 8·(" + outputElements() + ")");
        if (!peakCandidates.isEmpty()) {
            StringJoiner peak = new StringJoiner(", ", peakCandidates.size() == 1 ? "" : "max(",
                    peakCandidates.size() == 1 ? "" : ")");
            peakCandidates.forEach(candidate -> peak.add(candidate.toString()));
            line(text, "Inference peak (bytes): " + peak);
        }
        return text.toString();
    }

    private static void line(StringBuilder text, String line) {
        text.append(line).append('\n');
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Python's {@code "%0.2f"}, as torchsummary prints sizes: half-even on the exact binary value. */
    private static String fixed2(double x) {
        return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Collects a sized summary, as {@link ModelSummary.Builder} does a fixed one. */
    public static final class Builder {
        private final String model;
        private final AdmissibleSizes admissible;
        private final List<Named> inputs = new ArrayList<>();
        private final List<Named> outputs = new ArrayList<>();
        private final List<String> rows = new ArrayList<>();
        private final List<Edge> edges = new ArrayList<>();
        private final List<SizePolynomial> peakCandidates = new ArrayList<>();
        private final Map<String, SymbolicShape> parsed = new HashMap<>();
        private boolean chainEdges;

        private Builder(String model, AdmissibleSizes admissible) {
            this.model = model;
            this.admissible = admissible;
        }

        public Builder input(String name, SymbolicShape shape) {
            inputs.add(new Named(name, shape));
            return this;
        }

        public Builder output(String name, SymbolicShape shape) {
            outputs.add(new Named(name, shape));
            return this;
        }

        /**
         * A row as a template: {@link SummaryRow#toSpec}'s spelling with shape specs ({@code [-1,64,ceil(H/2),
         * ceil(W/2)]}) and MACs and bias additions per output element ({@code macs=147*out}).
         */
        public Builder row(String template) {
            String[] tokens = template.trim().split(" +");
            for (String token : tokens) {
                if (token.startsWith("[")) {
                    parsed.computeIfAbsent(token, SymbolicShape::parse);
                }
            }
            rows.add(template);
            return this;
        }

        public Builder edge(String from, String to) {
            return edge(from, to, "");
        }

        public Builder edge(String from, String to, String via) {
            edges.add(new Edge(from, to, via));
            return this;
        }

        /** The edges of a chain through the rows, as {@link ModelSummary.Builder#chainEdges()}. */
        public Builder chainEdges() {
            chainEdges = true;
            return this;
        }

        /** One candidate of the inference peak, as {@link SizePolynomial#toSpec()}. */
        public Builder inferencePeakCandidate(String polynomial) {
            peakCandidates.add(SizePolynomial.parse(polynomial));
            return this;
        }

        public SizedSummary build() {
            return new SizedSummary(this);
        }
    }
}
