package dev.shapeproof.summary;

import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import java.util.List;
import java.util.Objects;

/**
 * One row of a {@link ModelSummary}: one <em>call</em> of a module, in call order. Functional ops ({@code F.relu},
 * {@code max_pool2d}, {@code view}) are not modules and have no row, as in torchsummary. A module called twice has a
 * row per call, each with the same {@code name}; {@link ModelSummary} counts its parameters once.
 *
 * <p>Every figure is for one sample (the batch is free, printed {@code -1}); the processor computes them at compile
 * time and emits one constructor call per row. The argument order groups what a row is, what it holds, its window,
 * what it sees and what it costs.
 *
 * @param name the module's name as in PyTorch's {@code state_dict} ({@code conv1} in {@code conv1.weight}): the field
 *     name
 * @param type PyTorch's class name of the module ({@code Conv2d}, {@code ReLU}), not our layer type; the
 *     torchsummary key is {@code type-index} ({@code Conv2d-1})
 * @param inputs the shapes the call receives, in argument order (at least one)
 * @param output the shape it returns
 * @param params the module's parameter count, torchsummary's {@code Param #}: {@code Π(weight) + Π(bias)}, buffers
 *     excluded
 * @param trainable how many of {@code params} are trainable ({@code requires_grad}); {@code params - trainable} are
 *     frozen
 * @param buffers the module's buffer elements, not parameters: BatchNorm's {@code running_mean}, {@code running_var}
 *     and {@code num_batches_tracked}
 * @param inPlace whether the generated forward computes this call in its input's storage ({@code ReLU} on a dead
 *     input); the inference memory estimate relies on it, torchsummary's ignores it
 * @param geometry the sliding window of a convolution or pooling layer; {@code null} for layers without one
 *     (linear, activations, dropout, batch norm)
 * @param height the receptive field and jump of one output pixel along H, in input pixels; {@code null} with
 *     {@code width} where none is tracked
 * @param width the same along W
 * @param macs multiply-accumulates for one sample: convolution {@code outElements·(in/groups)·kH·kW}, linear
 *     {@code in·out} per row; 0 for other ops. Bias additions are not included
 * @param biasAdds the additions of the bias for one sample (one per output element of a conv or linear with bias)
 */
public record SummaryRow(String name, String type, List<TensorShape> inputs, TensorShape output, long params,
        long trainable, long buffers, boolean inPlace, Geometry geometry, ReceptiveField height, ReceptiveField width,
        long macs, long biasAdds) {

    public SummaryRow {
        requireText(name, "name");
        requireText(type, "type");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(name + ": a module call has at least one input");
        }
        Objects.requireNonNull(output, "output");
        requireNonNegative(name, "params", params);
        requireNonNegative(name, "buffers", buffers);
        requireNonNegative(name, "macs", macs);
        requireNonNegative(name, "biasAdds", biasAdds);
        if (trainable < 0 || trainable > params) {
            throw new IllegalArgumentException(
                    name + ": trainable must be between 0 and params (" + params + "), was " + trainable);
        }
        if ((height == null) != (width == null)) {
            throw new IllegalArgumentException(name + ": give the receptive field for both axes or for neither");
        }
    }

    /**
     * This row in one line, as generated code writes it and {@link #parse} reads it back exactly:
     * {@code conv1 Conv2d [-1,1,28,28] -> [-1,10,24,24] params=260 window=5/1/0+0/1,5/1/0+0/1 rf=5:1,5:1
     * macs=144000 bias=5760}. Settings at their usual value are left out: no buffers, all parameters trainable,
     * groups 1, not in place, floor rounding.
     */
    public String toSpec() {
        StringBuilder spec = new StringBuilder(name).append(' ').append(type);
        for (TensorShape input : inputs) {
            spec.append(' ').append(compact(input));
        }
        spec.append(" -> ").append(compact(output));
        if (params != 0) {
            spec.append(" params=").append(params);
        }
        if (trainable != params) {
            spec.append(" trainable=").append(trainable);
        }
        if (buffers != 0) {
            spec.append(" buffers=").append(buffers);
        }
        if (inPlace) {
            spec.append(" inplace");
        }
        if (geometry != null) {
            spec.append(" window=").append(window(geometry.height())).append(',').append(window(geometry.width()));
            if (geometry.groups() != 1) {
                spec.append(" groups=").append(geometry.groups());
            }
            if (geometry.ceilMode()) {
                spec.append(" ceil");
            }
        }
        if (height != null) {
            spec.append(" rf=").append(number(height.size())).append(':').append(number(height.jump()))
                    .append(',').append(number(width.size())).append(':').append(number(width.jump()));
        }
        if (macs != 0) {
            spec.append(" macs=").append(macs);
        }
        if (biasAdds != 0) {
            spec.append(" bias=").append(biasAdds);
        }
        return spec.toString();
    }

    /**
     * The row {@link #toSpec} wrote.
     *
     * @throws IllegalArgumentException if {@code spec} is not one
     */
    public static SummaryRow parse(String spec) {
        String[] tokens = spec.trim().split(" +");
        try {
            int at = 2;
            List<TensorShape> inputs = new java.util.ArrayList<>();
            while (!tokens[at].equals("->")) {
                inputs.add(shape(tokens[at++]));
            }
            TensorShape output = shape(tokens[at + 1]);
            java.util.Map<String, String> settings = new java.util.HashMap<>();
            for (int i = at + 2; i < tokens.length; i++) {
                int equals = tokens[i].indexOf('=');
                settings.put(equals < 0 ? tokens[i] : tokens[i].substring(0, equals),
                        equals < 0 ? "" : tokens[i].substring(equals + 1));
            }
            long params = Long.parseLong(settings.getOrDefault("params", "0"));
            boolean ceil = settings.containsKey("ceil");
            Geometry geometry = null;
            if (settings.containsKey("window")) {
                String[] axes = settings.get("window").split(",");
                geometry = Geometry.of(window(axes[0], ceil), window(axes[1], ceil),
                        Integer.parseInt(settings.getOrDefault("groups", "1")));
            }
            ReceptiveField height = null;
            ReceptiveField width = null;
            if (settings.containsKey("rf")) {
                String[] axes = settings.get("rf").split(",");
                height = field(axes[0]);
                width = field(axes[1]);
            }
            return new SummaryRow(tokens[0], tokens[1], inputs, output, params,
                    Long.parseLong(settings.getOrDefault("trainable", Long.toString(params))),
                    Long.parseLong(settings.getOrDefault("buffers", "0")), settings.containsKey("inplace"), geometry,
                    height, width, Long.parseLong(settings.getOrDefault("macs", "0")),
                    Long.parseLong(settings.getOrDefault("bias", "0")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a summary row: " + spec, e);
        }
    }

    private static String compact(TensorShape shape) {
        return shape.toString().replace(" ", "");
    }

    private static TensorShape shape(String text) {
        String inside = text.substring(1, text.length() - 1);
        return TensorShape.of(java.util.Arrays.stream(inside.split(",")).mapToInt(Integer::parseInt).toArray());
    }

    /** {@code kernel/stride/before+after/dilation}. */
    private static String window(Window window) {
        return window.kernel() + "/" + window.stride() + "/" + window.padBefore() + "+" + window.padAfter() + "/"
                + window.dilation();
    }

    private static Window window(String text, boolean ceil) {
        String[] parts = text.split("/");
        String[] padding = parts[2].split("\\+");
        return new Window(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(padding[0]),
                Integer.parseInt(padding[1]), Integer.parseInt(parts[3]), ceil);
    }

    /** A double as the shortest text that reads back exactly; whole numbers without a fraction. */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static ReceptiveField field(String text) {
        String[] parts = text.split(":");
        return new ReceptiveField(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
    }

    /** The parameters that are not trainable. */
    public long frozen() {
        return params - trainable;
    }

    /** The elements of the output for one sample: torchsummary's {@code Π(output_shape)} without the batch. */
    public long outputElements() {
        return output.sampleSize();
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a summary row needs a " + what);
        }
    }

    private static void requireNonNegative(String name, String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + what + " must be ≥ 0, was " + value);
        }
    }

    /**
     * The window of a convolution or pooling layer, per axis, and its groups.
     *
     * <p>Each axis is a {@link Window}: kernel, stride, padding before (top/left) and after (bottom/right), dilation;
     * both axes share one ceil mode, as in PyTorch. An adaptive pool is the window it amounts to ({@code k = s =
     * in/out}).
     *
     * @param height the window along H
     * @param width the window along W
     * @param groups the convolution's groups; 1 for pooling
     */
    public record Geometry(Window height, Window width, int groups) {

        public Geometry {
            Objects.requireNonNull(height, "height");
            Objects.requireNonNull(width, "width");
            if (groups < 1) {
                throw new IllegalArgumentException("groups must be ≥ 1, was " + groups);
            }
            if (height.ceilMode() != width.ceilMode()) {
                throw new IllegalArgumentException("ceil mode is one setting for both axes");
            }
        }

        /** The same window along H and W, the common case: {@code Geometry.of(Window.kernel(3).padding(1), 1)}. */
        public static Geometry of(Window both, int groups) {
            return new Geometry(both, both, groups);
        }

        /** A window per axis. */
        public static Geometry of(Window height, Window width, int groups) {
            return new Geometry(height, width, groups);
        }

        /** Whether the output size rounds up (pooling's {@code ceil_mode}). */
        public boolean ceilMode() {
            return height.ceilMode();
        }
    }
}
