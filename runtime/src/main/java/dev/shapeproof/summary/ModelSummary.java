package dev.shapeproof.summary;

import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A model's summary: one {@link SummaryRow} per module call, the model's inputs and outputs, the edges of its graph
 * and the processor's inference memory estimate. Immutable; every figure is a compile-time constant, so the
 * generated {@code NetModel.SUMMARY} needs neither ND4J nor the parameters.
 *
 * <p>The generated code builds it with one {@code row(...)} per module call:
 * <pre>{@code
 * public static final ModelSummary SUMMARY = ModelSummary.builder("Net")
 *         .input("x", TensorShape.of(-1, 1, 28, 28))
 *         .row(new SummaryRow("conv1", "Conv2d", List.of(TensorShape.of(-1, 1, 28, 28)),
 *                 TensorShape.of(-1, 10, 24, 24), 260, 260, 0, false, Geometry.of(Window.kernel(5), 1),
 *                 new ReceptiveField(5, 1), new ReceptiveField(5, 1), 144000, 5760))
 *         ...
 *         .output("output", TensorShape.of(-1, 10))
 *         .edge("input:x", "conv1").edge("conv1", "conv2", "max_pool2d, relu") ... .edge("fc2", "output:output")
 *         .inferencePeakBytes(31936)
 *         .build();
 * }</pre>
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li>{@link #toString()}: torchsummary 1.5.1's table, byte for byte (the seed's MNIST table is a test).
 *   <li>{@link #detailed()}: a terminal table with module names, window geometry, receptive field and jump per axis,
 *       MACs and bias additions, parameters and buffers, and both memory figures.
 *   <li>{@link #toMarkdown()}, {@link #toCsv()}, {@link #toJson()}: the same data for documents and programs.
 *   <li>{@link #toMermaid()}: a {@code flowchart TD} of the graph with shapes on the edges.
 *   <li>{@link #totals(int)}: torchinfo-like totals for a chosen batch size.
 * </ul>
 *
 * <h2>Where {@link #toString()} differs from torchsummary 1.5.1 on purpose</h2>
 * The format is the same; these figures are not, because torchsummary's are wrong:
 * <ul>
 *   <li><b>Shared modules.</b> A module called twice has a row per call (as in torchsummary), but its parameters
 *       are counted once: a later call shows {@code (shared)} in the {@code Param #} column if the module has
 *       parameters, and adds nothing to the totals. torchsummary adds them again for every call
 *       (sksq96/pytorch-summary#37, #201: its README's SimpleConv prints 20 parameters for a model with 10). Each call
 *       still produces an output, so each call counts in the forward/backward size.
 *   <li><b>Several inputs.</b> "Input size" is the sum of the inputs' sizes; torchsummary multiplies the shapes
 *       together ({@code np.prod} over all of them: #204 prints 0.77 MB for two inputs of 256 and 784 numbers).
 *   <li><b>No overflow.</b> Element counts are exact 64-bit integers and an overflow throws
 *       {@link ArithmeticException}; torchsummary's {@code np.prod} wraps at 32 bits on Windows (#202: 1,152.00 MB
 *       where Linux prints 260,992.00 MB; #158).
 *   <li><b>One sign.</b> The batch is always printed {@code -1} and sizes are for one sample; torchsummary mixes
 *       signs when given a positive batch with tuple outputs (#160). For a real batch use {@link #totals(int)}.
 * </ul>
 * What is kept: rows are module calls in call order with PyTorch's class names, functional ops have no row;
 * {@code Param #} is {@code Π(weight) + Π(bias)} (buffers such as BatchNorm's running statistics are excluded, and
 * {@link #detailed()} reports them separately); 4 bytes per number; "MB" means MiB; sizes are rounded as Python's
 * {@code "%0.2f"} does (half-even on the exact binary value: 0.125 gives 0.12); counts use {@code ,} separators in
 * every locale; the estimated total is params + forward/backward + input, added in that order as doubles.
 */
public final class ModelSummary {
    static final String INPUT_PREFIX = "input:";
    static final String OUTPUT_PREFIX = "output:";

    private final String model;
    private final List<NamedShape> inputs;
    private final List<NamedShape> outputs;
    private final List<SummaryRow> rows;
    private final List<Edge> edges;
    private final OptionalLong inferencePeakBytes;
    /** For each row, which call of its module it is, from 1. */
    private final int[] callNumbers;

    private ModelSummary(Builder builder) {
        this.model = builder.model;
        this.inputs = List.copyOf(builder.inputs);
        this.outputs = List.copyOf(builder.outputs);
        this.rows = List.copyOf(builder.rows);
        this.edges = List.copyOf(builder.edges);
        this.inferencePeakBytes = builder.inferencePeakBytes;
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(model + ": a model has at least one input");
        }
        requireUniqueNames(inputs, "input");
        requireUniqueNames(outputs, "output");
        this.callNumbers = new int[rows.size()];
        Map<String, SummaryRow> firstCalls = new HashMap<>();
        Map<String, Integer> calls = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            SummaryRow row = rows.get(i);
            SummaryRow first = firstCalls.putIfAbsent(row.name(), row);
            if (first != null && !sameModule(first, row)) {
                throw new IllegalArgumentException(model + ": the rows named " + row.name()
                        + " are calls of one module but disagree on its type, parameters or buffers");
            }
            callNumbers[i] = calls.merge(row.name(), 1, Integer::sum);
        }
        for (Edge edge : edges) {
            if (resolve(edge.from()).kind() == Endpoint.Kind.OUTPUT) {
                throw new IllegalArgumentException(model + ": an edge cannot leave a model output: " + edge);
            }
            if (resolve(edge.to()).kind() == Endpoint.Kind.INPUT) {
                throw new IllegalArgumentException(model + ": an edge cannot enter a model input: " + edge);
            }
        }
        // The totals are checked once here, so an overflow fails when the constant is built, not when printed.
        totals(1);
    }

    /** Starts a summary of the model {@code model} (the user's class name, {@code Net}). */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** The model's name: the user's class ({@code Net}). */
    public String model() {
        return model;
    }

    /** The model's inputs, in forward's parameter order. */
    public List<NamedShape> inputs() {
        return inputs;
    }

    /** The model's outputs; empty if the builder was given none. */
    public List<NamedShape> outputs() {
        return outputs;
    }

    /** One row per module call, in call order. */
    public List<SummaryRow> rows() {
        return rows;
    }

    /**
     * The graph's edges as given to the builder; {@link #toMermaid()} draws a chain (input, every row in order,
     * outputs) when there are none.
     */
    public List<Edge> edges() {
        return edges;
    }

    /**
     * The processor's inference estimate for one sample: the largest total size, in bytes, of the activations alive
     * at once while the generated forward runs, the caller's input included (in-place calls share their input's
     * storage; every activation is freed after its last use). Empty when not given.
     */
    public OptionalLong inferencePeakBytes() {
        return inferencePeakBytes;
    }

    /** torchsummary's key of row {@code index} (from 0): {@code type-(index+1)}, e.g. {@code Conv2d-1}. */
    public String key(int index) {
        return rows.get(index).type() + "-" + (index + 1);
    }

    /** Which call of its module row {@code index} is, from 1; rows after the first call share its parameters. */
    public int callNumber(int index) {
        return callNumbers[index];
    }

    /** Whether row {@code index} is a later call of a module already called: its parameters are not counted again. */
    public boolean isSharedCall(int index) {
        return callNumbers[index] > 1;
    }

    /** The totals for one sample (batch size 1), what every table shows. */
    public Totals totals() {
        return totals(1);
    }

    /**
     * The totals for {@code batchSize} samples, as torchinfo's {@code summary(model, (batch, …))}: parameters and
     * buffers once, MACs, input, activations and the inference peak times the batch.
     */
    public Totals totals(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be ≥ 1, was " + batchSize);
        }
        long params = 0;
        long trainable = 0;
        long buffers = 0;
        long macs = 0;
        long biasAdds = 0;
        long outputElements = 0;
        for (int i = 0; i < rows.size(); i++) {
            SummaryRow row = rows.get(i);
            if (!isSharedCall(i)) {
                params = Math.addExact(params, row.params());
                trainable = Math.addExact(trainable, row.trainable());
                buffers = Math.addExact(buffers, row.buffers());
            }
            macs = Math.addExact(macs, row.macs());
            biasAdds = Math.addExact(biasAdds, row.biasAdds());
            outputElements = Math.addExact(outputElements, row.outputElements());
        }
        long bytes = Numbers.BYTES_PER_NUMBER;
        OptionalLong peak = inferencePeakBytes.isPresent()
                ? OptionalLong.of(Math.multiplyExact(inferencePeakBytes.getAsLong(), (long) batchSize))
                : OptionalLong.empty();
        return new Totals(batchSize, params, trainable, buffers,
                Math.multiplyExact(macs, (long) batchSize),
                Math.multiplyExact(biasAdds, (long) batchSize),
                Math.multiplyExact(Math.multiplyExact(inputElements(), bytes), (long) batchSize),
                Math.multiplyExact(Math.multiplyExact(outputElements, 2 * bytes), (long) batchSize),
                Math.multiplyExact(params, bytes),
                Math.multiplyExact(buffers, bytes),
                peak);
    }

    /** The elements of every input of one sample, added. */
    long inputElements() {
        long elements = 0;
        for (NamedShape input : inputs) {
            elements = Math.addExact(elements, input.shape().sampleSize());
        }
        return elements;
    }

    /** The elements of every row's output for one sample: torchsummary's {@code total_output} without the sign. */
    long outputElements() {
        long elements = 0;
        for (SummaryRow row : rows) {
            elements = Math.addExact(elements, row.outputElements());
        }
        return elements;
    }

    /** torchsummary 1.5.1's table, byte for byte, each line ending in {@code \n}; see the class comment. */
    @Override
    public String toString() {
        return TorchsummaryFormat.format(this);
    }

    /**
     * The detailed table for a terminal: per call its module, output shape, parameters and buffers, kernel, stride,
     * padding, dilation, groups, receptive field and jump (H×W), MACs and bias additions, whether it runs in place;
     * then the totals, both memory figures (torchsummary's and the inference estimate) and notes on what each figure
     * means.
     */
    public String detailed() {
        return DetailedFormat.format(this);
    }

    /** The detailed table, totals, notes and the Mermaid graph as GitHub-flavoured Markdown. */
    public String toMarkdown() {
        return MarkdownFormat.format(this);
    }

    /**
     * The rows as RFC 4180 CSV (quoting, field order fixed), a header then one line per row; lines end in
     * {@code \n}, which every CSV reader accepts and which survives git's line-ending conversions. Only rows: the
     * totals are sums of these columns (parameters and buffers over rows whose {@code call} is 1). Numbers are
     * plain ({@code 16000}, no separators); an absent value is an empty field. The columns, stable:
     * <ul>
     *   <li>{@code index}: the row's position from 1; {@code key}: torchsummary's {@code Conv2d-1}; {@code name}: the
     *       module's {@code state_dict} name; {@code type}: PyTorch's class name; {@code call}: which call of the
     *       module (from 1; parameters and buffers count only where it is 1)
     *   <li>{@code input_shapes}: the input shapes as {@code [-1, 1, 28, 28]}, several separated by {@code ;};
     *       {@code output_shape}
     *   <li>{@code params}, {@code trainable}, {@code buffers}, {@code output_elements} (one sample)
     *   <li>{@code kernel_h}, {@code kernel_w}, {@code stride_h}, {@code stride_w}, {@code pad_top},
     *       {@code pad_bottom}, {@code pad_left}, {@code pad_right}, {@code dilation_h}, {@code dilation_w},
     *       {@code groups}, {@code ceil_mode}: empty for a row without a window
     *   <li>{@code rf_h}, {@code rf_w}, {@code jump_h}, {@code jump_w}: receptive field and jump in input pixels
     *   <li>{@code macs}, {@code bias_adds}: per sample; {@code in_place}: {@code true} or {@code false}
     * </ul>
     */
    public String toCsv() {
        return CsvFormat.format(this);
    }

    /**
     * The whole summary as JSON (2-space indents, deterministic, no dependency). The field names are stable: new
     * fields may be added, none renamed or removed without changing {@code schema}. Shapes are arrays with the
     * batch {@code -1} first; a pair {@code [h, w]} is H then W; counts and bytes are integers, for one sample.
     * <pre>
     * {
     *   "schema": "shapeproof-summary/1",
     *   "model": the user's class name,
     *   "bytesPerNumber": 4,
     *   "inputs":  [{"name", "shape"}],
     *   "outputs": [{"name", "shape"}],
     *   "rows": [{
     *     "index" (from 1), "key" ("Conv2d-1"), "name" (state_dict name), "type" (PyTorch class), "call" (from 1),
     *     "inputShapes" ([shape, …]), "outputShape", "outputElements",
     *     "params", "trainable", "buffers" (counted in the totals only where "call" is 1),
     *     "inPlace",
     *     "geometry": null | {"kernel": [h, w], "stride": [h, w], "paddingBefore": [top, left],
     *                         "paddingAfter": [bottom, right], "dilation": [h, w], "groups", "ceilMode"},
     *     "receptiveField": null | [h, w], "jump": null | [h, w]   (input pixels; may be fractional),
     *     "macs", "biasAdds"
     *   }],
     *   "edges": [{"from", "to", "via"}]   (as given to the builder, or the Sequential chain when none were),
     *   "totals": {"params", "trainableParams", "nonTrainableParams", "buffers", "macs", "biasAdds", "inputBytes",
     *              "forwardBackwardBytes", "paramBytes", "bufferBytes", "naiveTotalBytes",
     *              "inferencePeakActivationBytes" (null if not computed), "inferenceBytes" (null if not computed)}
     * }
     * </pre>
     * Edge endpoints are written as given ({@code conv1}, {@code ReLU-4}, {@code input:x}, {@code output:output}).
     */
    public String toJson() {
        return JsonFormat.format(this);
    }

    /**
     * A Mermaid {@code flowchart TD} of the graph: a node per input ({@code In1}…), per row ({@code L1}…, numbered as
     * the torchsummary keys) and per output ({@code Out1}…); each edge labelled with the shape leaving its source and,
     * below it, the functional ops it passes through. Without edges, the chain of a Sequential.
     */
    public String toMermaid() {
        return MermaidFormat.format(this);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelSummary that
                && model.equals(that.model) && inputs.equals(that.inputs) && outputs.equals(that.outputs)
                && rows.equals(that.rows) && edges.equals(that.edges)
                && inferencePeakBytes.equals(that.inferencePeakBytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, inputs, outputs, rows, edges, inferencePeakBytes);
    }

    /** The edges {@link #toMermaid()} draws: those given, or the chain of a Sequential when none were. */
    List<Edge> graphEdges() {
        if (!edges.isEmpty()) {
            return edges;
        }
        List<Edge> chain = new ArrayList<>();
        if (rows.isEmpty()) {
            for (NamedShape input : inputs) {
                for (NamedShape output : outputs) {
                    chain.add(new Edge(INPUT_PREFIX + input.name(), OUTPUT_PREFIX + output.name()));
                }
            }
            return chain;
        }
        for (NamedShape input : inputs) {
            chain.add(new Edge(INPUT_PREFIX + input.name(), key(0)));
        }
        for (int i = 1; i < rows.size(); i++) {
            chain.add(new Edge(key(i - 1), key(i)));
        }
        for (NamedShape output : outputs) {
            chain.add(new Edge(key(rows.size() - 1), OUTPUT_PREFIX + output.name()));
        }
        return chain;
    }

    /** An endpoint of an edge: a model input, a row or a model output, by index. */
    record Endpoint(Kind kind, int index) {
        enum Kind { INPUT, ROW, OUTPUT }
    }

    /** Resolves an edge's endpoint; see {@link Edge}. */
    Endpoint resolve(String reference) {
        if (reference.startsWith(INPUT_PREFIX)) {
            return new Endpoint(Endpoint.Kind.INPUT, indexOf(inputs, reference.substring(INPUT_PREFIX.length()),
                    reference));
        }
        if (reference.startsWith(OUTPUT_PREFIX)) {
            return new Endpoint(Endpoint.Kind.OUTPUT, indexOf(outputs, reference.substring(OUTPUT_PREFIX.length()),
                    reference));
        }
        int dash = reference.lastIndexOf('-');
        if (dash > 0) {
            // a key: Conv2d-1 (module names are identifiers and have no '-')
            try {
                int index = Integer.parseInt(reference.substring(dash + 1)) - 1;
                if (index >= 0 && index < rows.size() && key(index).equals(reference)) {
                    return new Endpoint(Endpoint.Kind.ROW, index);
                }
            } catch (NumberFormatException notAKey) {
                // reported below
            }
            throw new IllegalArgumentException(model + ": no row has the key " + reference);
        }
        int found = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).name().equals(reference)) {
                if (found >= 0) {
                    throw new IllegalArgumentException(model + ": the module " + reference
                            + " is called more than once; name the call by its key (" + key(found) + ", " + key(i)
                            + ")");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException(model + ": an edge names " + reference
                    + ", which is no row, no input:<name> and no output:<name>");
        }
        return new Endpoint(Endpoint.Kind.ROW, found);
    }

    /** The shape an endpoint produces (an edge's label): the input's shape or the row's output. */
    TensorShape shapeOf(Endpoint endpoint) {
        return switch (endpoint.kind()) {
            case INPUT -> inputs.get(endpoint.index()).shape();
            case ROW -> rows.get(endpoint.index()).output();
            case OUTPUT -> outputs.get(endpoint.index()).shape();
        };
    }

    private int indexOf(List<NamedShape> shapes, String name, String reference) {
        for (int i = 0; i < shapes.size(); i++) {
            if (shapes.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(model + ": an edge names " + reference + ", which the model does not have");
    }

    private static boolean sameModule(SummaryRow first, SummaryRow later) {
        return first.type().equals(later.type()) && first.params() == later.params()
                && first.trainable() == later.trainable() && first.buffers() == later.buffers();
    }

    private void requireUniqueNames(List<NamedShape> shapes, String what) {
        Set<String> names = new HashSet<>();
        for (NamedShape shape : shapes) {
            if (!names.add(shape.name())) {
                throw new IllegalArgumentException(model + ": two model " + what + "s are named " + shape.name());
            }
        }
    }

    /** The edges of a chain through {@code rows}, from {@code input} to {@code output}, keyed as edges are. */
    public static List<Edge> chainEdges(String input, List<SummaryRow> rows, String output) {
        List<Edge> chain = new ArrayList<>();
        String previous = "input:" + input;
        for (int i = 0; i < rows.size(); i++) {
            String key = rows.get(i).type() + "-" + (i + 1);
            chain.add(new Edge(previous, key));
            previous = key;
        }
        chain.add(new Edge(previous, "output:" + output));
        return chain;
    }

    /**
     * Collects a summary. Mutable and not thread-safe; {@link #build()} copies everything. Generated code may chain
     * the calls or, for big models, pass the builder to helper methods that each add a slice of the rows.
     */
    public static final class Builder {
        private final String model;
        private final List<NamedShape> inputs = new ArrayList<>();
        private final List<NamedShape> outputs = new ArrayList<>();
        private final List<SummaryRow> rows = new ArrayList<>();
        private final List<Edge> edges = new ArrayList<>();
        private OptionalLong inferencePeakBytes = OptionalLong.empty();

        private Builder(String model) {
            if (model == null || model.isEmpty()) {
                throw new IllegalArgumentException("a summary needs the model's name");
            }
            this.model = model;
        }

        /** Adds a model input, in forward's parameter order; the edge endpoint is {@code input:<name>}. */
        public Builder input(String name, TensorShape shape) {
            inputs.add(new NamedShape(name, shape));
            return this;
        }

        /** Adds a model output; the edge endpoint is {@code output:<name>}. */
        public Builder output(String name, TensorShape shape) {
            outputs.add(new NamedShape(name, shape));
            return this;
        }

        /** Adds the only model output, named {@code output} (edge endpoint {@code output:output}). */
        public Builder output(TensorShape shape) {
            return output("output", shape);
        }

        /** Adds the next module call. */
        /** A row written as {@link SummaryRow#toSpec}: what generated code calls, one line per row. */
        public Builder row(String spec) {
            return row(SummaryRow.parse(spec));
        }

        public Builder row(SummaryRow row) {
            rows.add(Objects.requireNonNull(row, "row"));
            return this;
        }

        /** Adds module calls in order. */
        public Builder rows(List<SummaryRow> calls) {
            calls.forEach(this::row);
            return this;
        }

        /** Adds an edge with no functional op in between; see {@link Edge} for the endpoints. */
        /**
         * The edges of a chain: the single input to the first row, each row to the next, the last to the single
         * output. Call after the rows, the input and the output.
         */
        public Builder chainEdges() {
            edges.addAll(ModelSummary.chainEdges(inputs.get(0).name(), rows, outputs.get(0).name()));
            return this;
        }

        public Builder edge(String from, String to) {
            return edge(from, to, "");
        }

        /** Adds an edge through functional ops, e.g. {@code edge("conv1", "conv2", "max_pool2d, relu")}. */
        public Builder edge(String from, String to, String via) {
            edges.add(new Edge(from, to, via));
            return this;
        }

        /** The processor's inference peak for one sample; see {@link ModelSummary#inferencePeakBytes()}. */
        public Builder inferencePeakBytes(long bytesPerSample) {
            if (bytesPerSample < 0) {
                throw new IllegalArgumentException("the inference peak must be ≥ 0, was " + bytesPerSample);
            }
            inferencePeakBytes = OptionalLong.of(bytesPerSample);
            return this;
        }

        /**
         * The summary. Throws {@link IllegalArgumentException} for an edge naming nothing, two calls of one module
         * that disagree, or duplicate input names, and {@link ArithmeticException} if a total overflows 64 bits.
         */
        public ModelSummary build() {
            return new ModelSummary(this);
        }
    }
}
