package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.shapeproof.sizes.AdmissibleSizes;
import dev.shapeproof.sizes.SizeValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The derived admissible sets against brute force, on generated models: strided and dilated convolutions with
 * paddings, max and average pools (ceil mode, padding, dilation), transposed convolutions (output padding,
 * dilation) and U-Net levels that go down and back up, F.pad (constant, reflect, replicate), interpolations by whole,
 * dyadic and inexact factors, adaptive pools, residual adds, products and differences with PyTorch's broadcasting,
 * concatenations, and flattens into a Linear that tie H to W. For each model every (H, W) in 1–64 × 1–64 is checked jointly, and where the sizes are independent every H and
 * every W in 1–256 with the other at an admissible value.
 *
 * <p>The brute force is independent of the derivation: {@link Oracle} is PyTorch's size rules written out afresh
 * (ATen's {@code conv_output_size} and {@code pooling_output_shape}, {@code floor(size·scale)} for interpolation,
 * broadcasting), evaluated at each size directly, with no period or threshold.
 */
class FreeSizesBruteForceTest {
    private static final int MODELS = Integer.getInteger("bruteForceModels", 1_040);
    private static final int PER_COMPILATION = 130;
    private static final int JOINT = 64;
    private static final int SINGLE = 256;
    /** The generated constant: one literal, or for a long set its pieces joined ({@code String.join("", ...)}). */
    private static final Pattern ADMISSIBLE = Pattern.compile(
            "AdmissibleSizes\\.parse\\(List\\.of\\(\"H\", \"W\"\\), (.*?)\\);\n", Pattern.DOTALL);
    private static final Pattern LITERAL = Pattern.compile("\"([^\"]*)\"");

    @Test
    void derivedSetsAgreeWithPyTorchsRulesAtEverySize() {
        Random random = new Random(1414);
        List<Generated> models = new ArrayList<>();
        for (int i = 0; i < MODELS; i++) {
            models.add(Generated.random("M" + i, random));
        }
        long started = System.nanoTime();
        int empty = 0;
        int joint = 0;
        int periodic = 0;
        long checks = 0;
        for (int start = 0; start < models.size(); start += PER_COMPILATION) {
            List<Generated> batch = models.subList(start, Math.min(models.size(), start + PER_COMPILATION));
            List<JavaFileObject> files = new ArrayList<>();
            for (Generated model : batch) {
                files.add(JavaFileObjects.forSourceString("test." + model.name, model.source()));
            }
            RecordingProcessor recording = new RecordingProcessor(new ShapeProofProcessor());
            // -proc:only: the processor runs, its output is not compiled (the generated tests compile their own).
            Compilation compilation = Compiler.javac().withOptions("-proc:only").withProcessors(recording)
                    .compile(files);
            for (Generated model : batch) {
                Optional<AdmissibleSizes> derived = derived(recording, model);
                String errors = errors(compilation, model);
                if (derived.isEmpty()) {
                    empty++;
                    // NoAdmissibleSize, or the one error every size gives (a cat of sizes that never meet)
                    assertWithMessage("%s", model.source()).that(errors).contains("[ShapeProof/");
                    assertWithMessage("%s", model.source()).that(errors).doesNotContain("[ShapeProof/Internal]");
                } else {
                    joint += derived.get().joints().isEmpty() ? 0 : 1;
                    periodic += derived.get().singles().stream().anyMatch(set -> set.period() > 1) ? 1 : 0;
                }
                checks += compare(model, derived, errors);
            }

        }
        // The generator reaches every kind of set: none, finite joint ones, periodic ones.
        assertThat(empty).isAtLeast(20);
        assertThat(joint).isAtLeast(20);
        assertThat(periodic).isAtLeast(100);
        System.out.printf(Locale.ROOT, "FreeSizesBruteForceTest: %d models (%d with no admissible size, %d with H and "
                + "W tied, %d periodic), %,d sizes checked in %.1f s%n", models.size(), empty, joint, periodic, checks,
                (System.nanoTime() - started) / 1e9);
    }

    /** Compares the derived set with the oracle on the grid and, where the sizes are independent, along each axis. */
    private static long compare(Generated model, Optional<AdmissibleSizes> derived, String errors) {
        long checks = 0;
        for (int h = 1; h <= JOINT; h++) {
            for (int w = 1; w <= JOINT; w++) {
                agree(model, derived, errors, h, w);
                checks++;
            }
        }
        if (derived.isEmpty() || !derived.get().joints().isEmpty()) {
            return checks;
        }
        long h0 = derived.get().single("H").above(1);
        long w0 = derived.get().single("W").above(1);
        for (int size = 1; size <= SINGLE; size++) {
            if (w0 > 0) {
                agree(model, derived, errors, size, (int) w0);
                checks++;
            }
            if (h0 > 0) {
                agree(model, derived, errors, (int) h0, size);
                checks++;
            }
        }
        return checks;
    }

    /** The derived set and the oracle agree at (h, w); the message, with the model, only when they do not. */
    private static void agree(Generated model, Optional<AdmissibleSizes> derived, String errors, int h, int w) {
        boolean expected = model.oracle.passes(h, w);
        boolean actual = derived.isPresent() && derived.get().contains(values(h, w));
        if (actual != expected) {
            assertWithMessage("%s at H = %s, W = %s (set %s)\n%s\n%s", model.name, h, w,
                    derived.map(Object::toString).orElse("empty"), model.source(), errors).that(actual)
                    .isEqualTo(expected);
        }
    }

    private static SizeValues values(int h, int w) {
        return SizeValues.of(List.of("H", "W"), h, w);
    }

    /** The set the generated class holds, or empty when the model was not generated. */
    private static Optional<AdmissibleSizes> derived(RecordingProcessor recording, Generated model) {
        var text = recording.texts.get("test." + model.name + "Model");
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = ADMISSIBLE.matcher(text.toString());
        assertWithMessage("%s: no admissible sizes in its class", model.name).that(matcher.find()).isTrue();
        StringBuilder spec = new StringBuilder();
        Matcher literal = LITERAL.matcher(matcher.group(1));
        while (literal.find()) {
            spec.append(literal.group(1));
        }
        return Optional.of(AdmissibleSizes.parse(List.of("H", "W"), spec.toString()));
    }

    private static String errors(Compilation compilation, Generated model) {
        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.errors()) {
            if (diagnostic.getSource() != null && diagnostic.getSource().getName().endsWith("/" + model.name + ".java")) {
                errors.append(diagnostic.getMessage(Locale.ROOT)).append('\n');
            }
        }
        return errors.toString();
    }

    // --- the generated models -----------------------------------------------------------------------------------

    /** A generated model: its Java source, and the same model for the oracle. */
    private record Generated(String name, List<String> fields, List<String> lines, Oracle oracle) {
        String source() {
            StringBuilder source = new StringBuilder("package test;\nimport dev.shapeproof.*;\nimport dev.shapeproof.nn.*;\n")
                    .append("@SuppressWarnings(\"ShapeProof\")\n")
                    .append("@Model(dims = \"3, H, W\", forward = \"\"\"\n");
            lines.forEach(line -> source.append("        ").append(line).append('\n'));
            source.append("        \"\"\")\nabstract class ").append(name).append(" {\n");
            fields.forEach(field -> source.append("    ").append(field).append('\n'));
            return source.append("}\n").toString();
        }

        static Generated random(String name, Random random) {
            Builder builder = new Builder(random);
            builder.conv(0, 1);
            int blocks = 1 + random.nextInt(3);
            for (int i = 0; i < blocks; i++) {
                int kind = random.nextInt(6);
                if (kind <= 1) {
                    builder.step();
                } else if (kind == 2) {
                    builder.decoder();
                } else {
                    builder.fork();
                }
            }
            builder.finish();
            return new Generated(name, builder.fields, builder.lines, new Oracle(builder.steps));
        }
    }

    /** Builds a model step by step, each value with its channel count. */
    private static final class Builder {
        private final Random random;
        private final List<String> fields = new ArrayList<>();
        private final List<String> lines = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        /** Channels of each value: v0 is the input. */
        private final List<Integer> channels = new ArrayList<>(List.of(3));

        Builder(Random random) {
            this.random = random;
        }

        private String value(int index) {
            return index == 0 ? "x" : "v" + index;
        }

        private void add(String expression, Step step, int outChannels) {
            lines.add(value(channels.size()) + " = " + expression);
            steps.add(step);
            channels.add(outChannels);
        }

        /**
         * A convolution of value {@code in} to 4 channels, with random kernel, padding and dilation per axis and
         * stride {@code stride} on both axes (0: random per axis).
         */
        void conv(int in, int stride) {
            int[] k = {1 + random.nextInt(5), 1 + random.nextInt(5)};
            int[] s = stride > 0 ? new int[] {stride, stride} : new int[] {1 + random.nextInt(3), 1 + random.nextInt(3)};
            int[] p = {random.nextInt(3), random.nextInt(3)};
            int[] d = {random.nextInt(4) == 0 ? 2 : 1, random.nextInt(4) == 0 ? 3 : 1};
            if (stride == 1 && random.nextInt(4) > 0) {
                // Mostly size-keeping at stride 1 (odd kernel, padding d·(k−1)/2): otherwise branches that meet
                // would differ by a constant and agree nowhere.
                for (int axis = 0; axis < 2; axis++) {
                    k[axis] = 1 + 2 * random.nextInt(3);
                    p[axis] = d[axis] * (k[axis] - 1) / 2;
                }
            }
            String field = "conv" + fields.size();
            fields.add(String.format(Locale.ROOT, "@Conv2d(out = 4, kernel = {%d, %d}, stride = {%d, %d}, "
                    + "padding = {%d, %d}, dilation = {%d, %d}) Conv2dLayer %s;", k[0], k[1], s[0], s[1], p[0], p[1],
                    d[0], d[1], field));
            add(field + "(" + value(in) + ")", new Step.Window(in, k, s, p, d, false, false), 4);
        }

        /** A max or average pool of value {@code in} with stride {@code stride} (0: random). */
        void pool(int in, int stride) {
            boolean max = random.nextBoolean();
            int k = 1 + random.nextInt(4);
            int s = stride > 0 ? stride : 1 + random.nextInt(3);
            int p = random.nextInt(k / 2 + 1);
            int d = max && random.nextInt(4) == 0 ? 2 : 1;
            if (stride == 1 && random.nextInt(4) > 0) {
                k = 1 + 2 * random.nextInt(2);
                p = k / 2;
                d = 1;
            }
            boolean ceil = random.nextBoolean();
            String call = (max ? "max_pool2d(" : "avg_pool2d(") + value(in) + ", " + k + ", stride=" + s
                    + ", padding=" + p + (d > 1 ? ", dilation=" + d : "") + (ceil ? ", ceil_mode=True" : "") + ")";
            add(call, new Step.Window(in, new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, new int[] {d, d}, ceil,
                    true), channels.get(in));
        }

        /** A window op of {@code in} (a convolution or a pool) with stride {@code stride}; returns its value. */
        private int window(int in, int stride) {
            if (random.nextBoolean()) {
                conv(in, stride);
            } else {
                pool(in, stride);
            }
            return channels.size() - 1;
        }

        /**
         * Two branches from the latest value, each one or two windows of the same total stride (or, sometimes,
         * different ones), meeting in an add or a cat: where strided paths meet, sizes agree only on some remainders.
         */
        void fork() {
            int from = channels.size() - 1;
            int[][] strides = {{1}, {2}, {2, 1}, {1, 2}, {2, 2}, {4}, {3}};
            int[] a = strides[random.nextInt(strides.length)];
            int[] b = random.nextInt(8) == 0 ? strides[random.nextInt(strides.length)] : split(product(a));
            int left = from;
            for (int stride : a) {
                left = window(left, stride);
            }
            int right = from;
            for (int stride : b) {
                right = window(right, stride);
            }
            if (channels.get(left).equals(channels.get(right)) && random.nextInt(3) > 0) {
                add(value(left) + arithmetic() + value(right), new Step.Add(left, right), channels.get(left));
            } else {
                add("cat([" + value(left) + ", " + value(right) + "], dim=1)", new Step.Cat(left, right),
                        channels.get(left) + channels.get(right));
            }
        }

        /** An element-wise operator that broadcasts: mostly an add, as residual connections are. */
        private String arithmetic() {
            String[] operators = {" + ", " + ", " * ", " - "};
            return operators[random.nextInt(operators.length)];
        }

        /**
         * A transposed convolution of value {@code in} to 4 channels with stride {@code stride}, random kernel,
         * padding, dilation and an output padding below the stride or the dilation, as PyTorch requires.
         */
        void transposed(int in, int stride) {
            int[] k = {1 + random.nextInt(4), 1 + random.nextInt(4)};
            int[] s = {stride, stride};
            int[] p = {random.nextInt(2), random.nextInt(2)};
            int[] d = {random.nextInt(4) == 0 ? 2 : 1, 1};
            int[] op = new int[2];
            for (int axis = 0; axis < 2; axis++) {
                op[axis] = random.nextInt(Math.max(s[axis], d[axis]));
            }
            String field = "up" + fields.size();
            fields.add(String.format(Locale.ROOT, "@ConvTranspose2d(out = 4, kernel = {%d, %d}, stride = {%d, %d}, "
                    + "padding = {%d, %d}, outputPadding = {%d, %d}, dilation = {%d, %d}) ConvTranspose2dLayer %s;",
                    k[0], k[1], s[0], s[1], p[0], p[1], op[0], op[1], d[0], d[1], field));
            add(field + "(" + value(in) + ")", new Step.Transposed(in, k, s, p, op, d), 4);
        }

        /** {@code F.pad} of value {@code in} on both spatial axes, constant, reflect or replicate. */
        void pad(int in) {
            int[] pads = {random.nextInt(4), random.nextInt(4), random.nextInt(4), random.nextInt(4)};
            String[] modes = {"constant", "reflect", "replicate"};
            String mode = modes[random.nextInt(modes.length)];
            add(String.format(Locale.ROOT, "F.pad(%s, (%d, %d, %d, %d), mode='%s')", value(in), pads[0], pads[1],
                    pads[2], pads[3], mode), new Step.Pad(in, pads, mode), channels.get(in));
        }

        /**
         * A U-Net level: down by a strided window, back up by a transposed convolution of the same stride, meeting
         * the level's input: they agree only on the sizes the stride and the paddings round alike.
         */
        void decoder() {
            int from = channels.size() - 1;
            int stride = 2 + random.nextInt(2);
            int down = window(from, stride);
            transposed(down, stride);
            int up = channels.size() - 1;
            if (channels.get(from).equals(channels.get(up)) && random.nextBoolean()) {
                add(value(from) + arithmetic() + value(up), new Step.Add(from, up), channels.get(up));
            } else {
                add("cat([" + value(from) + ", " + value(up) + "], dim=1)", new Step.Cat(from, up),
                        channels.get(from) + channels.get(up));
            }
        }

        private static int product(int[] strides) {
            int product = 1;
            for (int stride : strides) {
                product *= stride;
            }
            return product;
        }

        /** Strides of total {@code total}, in one or two steps. */
        private int[] split(int total) {
            if (total == 4 && random.nextBoolean()) {
                return new int[] {2, 2};
            }
            return random.nextBoolean() ? new int[] {total} : new int[] {1, total};
        }

        /** One op on the latest value: a window, an interpolation, an adaptive pool, or a meeting with any value. */
        void step() {
            int kind = random.nextInt(12);
            int in = channels.size() - 1;
            if (kind == 10) {
                transposed(in, 1 + random.nextInt(3));
            } else if (kind == 11) {
                pad(in);
            } else if (kind <= 4) {
                window(in, 0);
            } else if (kind <= 6) {
                double[] factors = {2, 2, 0.5, 1.5, 3, 0.3};
                double factor = factors[random.nextInt(factors.length)];
                add("interpolate(" + value(in) + ", scale_factor=" + factor + ")", new Step.Scale(in, factor),
                        channels.get(in));
            } else if (kind <= 8) {
                int oh = 1 + random.nextInt(4);
                int ow = 1 + random.nextInt(4);
                add("adaptive_avg_pool2d(" + value(in) + ", (" + oh + ", " + ow + "))", new Step.Adaptive(in, oh, ow),
                        channels.get(in));
            } else {
                int other = random.nextInt(channels.size());
                if (random.nextBoolean() && channels.get(other).equals(channels.get(in))) {
                    add(value(in) + arithmetic() + value(other), new Step.Add(in, other), channels.get(in));
                } else {
                    add("cat([" + value(in) + ", " + value(other) + "], dim=1)", new Step.Cat(in, other),
                            channels.get(in) + channels.get(other));
                }
            }
        }

        /** Returns the last value, or a Linear on its flatten sized for one random size, which ties H to W. */
        void finish() {
            int last = channels.size() - 1;
            if (random.nextInt(6) == 0) {
                int h = 1 + random.nextInt(48);
                int w = 1 + random.nextInt(48);
                long[] shape = new Oracle(steps).shapeOf(last, h, w);
                long features = shape == null ? 1 + random.nextInt(400) : shape[0] * shape[1] * shape[2];
                if (features <= 100_000) {
                    fields.add("@Linear(in = " + features + ", out = 3) LinearLayer fc;");
                    lines.add("return fc(flatten(" + value(last) + ", 1))");
                    steps.add(new Step.Linear(last, features));
                    return;
                }
            }
            lines.add("return " + value(last));
        }
    }

    /** One op of a generated model, reading earlier values by index (0 is the input). */
    private sealed interface Step {
        record Window(int in, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceil, boolean pool)
                implements Step {}

        record Scale(int in, double factor) implements Step {}

        record Transposed(int in, int[] kernel, int[] stride, int[] padding, int[] outputPadding, int[] dilation)
                implements Step {}

        /** {@code pads} as F.pad takes them: left, right (W), top, bottom (H). */
        record Pad(int in, int[] pads, String mode) implements Step {}

        record Adaptive(int in, int height, int width) implements Step {}

        record Add(int a, int b) implements Step {}

        record Cat(int a, int b) implements Step {}

        record Linear(int in, long features) implements Step {}
    }

    /**
     * PyTorch 1.13's size rules for the generated ops, written from ATen's formulas, not from ShapeProof's: whether
     * the whole model runs at (H, W).
     */
    private static final class Oracle {
        private final List<Step> steps;

        Oracle(List<Step> steps) {
            this.steps = steps;
        }

        boolean passes(int h, int w) {
            return run(h, w) != null;
        }

        /** {C, H, W} of value {@code index} at (h, w), or {@code null} when an op before it fails. */
        long[] shapeOf(int index, int h, int w) {
            List<long[]> values = run(h, w);
            return values == null ? null : values.get(index);
        }

        private List<long[]> run(int h, int w) {
            List<long[]> values = new ArrayList<>();
            values.add(new long[] {3, h, w});
            for (Step step : steps) {
                long[] out = apply(step, values);
                if (out == null) {
                    return null;
                }
                values.add(out);
            }
            return values;
        }

        private static long[] apply(Step step, List<long[]> values) {
            if (step instanceof Step.Window window) {
                long[] in = values.get(window.in());
                long[] out = {window.pool() ? in[0] : 4, 0, 0};
                for (int axis = 0; axis < 2; axis++) {
                    long size = window.pool()
                            ? poolingOutputShape(in[1 + axis], window.kernel()[axis], window.padding()[axis],
                                    window.stride()[axis], window.dilation()[axis], window.ceil())
                            : convOutputSize(in[1 + axis], window.kernel()[axis], window.padding()[axis],
                                    window.stride()[axis], window.dilation()[axis]);
                    if (size < 1) {
                        return null;
                    }
                    out[1 + axis] = size;
                }
                return out;
            }
            if (step instanceof Step.Transposed up) {
                long[] in = values.get(up.in());
                long[] out = {4, 0, 0};
                for (int axis = 0; axis < 2; axis++) {
                    // ATen's conv_transpose output size: (i − 1)·s − 2p + d·(k − 1) + op + 1.
                    long size = (in[1 + axis] - 1) * up.stride()[axis] - 2L * up.padding()[axis]
                            + (long) up.dilation()[axis] * (up.kernel()[axis] - 1) + up.outputPadding()[axis] + 1;
                    if (size < 1) {
                        return null;
                    }
                    out[1 + axis] = size;
                }
                return out;
            }
            if (step instanceof Step.Pad pad) {
                long[] in = values.get(pad.in());
                long[] out = {in[0], in[1] + pad.pads()[2] + pad.pads()[3], in[2] + pad.pads()[0] + pad.pads()[1]};
                // Reflection pads by less than the axis it reflects (ATen's reflection_pad2d check).
                if (pad.mode().equals("reflect") && (pad.pads()[0] >= in[2] || pad.pads()[1] >= in[2]
                        || pad.pads()[2] >= in[1] || pad.pads()[3] >= in[1])) {
                    return null;
                }
                return out;
            }
            if (step instanceof Step.Scale scale) {
                long[] in = values.get(scale.in());
                long h = (long) Math.floor(in[1] * scale.factor());
                long w = (long) Math.floor(in[2] * scale.factor());
                return h < 1 || w < 1 ? null : new long[] {in[0], h, w};
            }
            if (step instanceof Step.Adaptive adaptive) {
                long[] in = values.get(adaptive.in());
                return new long[] {in[0], adaptive.height(), adaptive.width()};
            }
            if (step instanceof Step.Add add) {
                long[] a = values.get(add.a());
                long[] b = values.get(add.b());
                long[] out = new long[3];
                for (int axis = 0; axis < 3; axis++) {
                    if (a[axis] != b[axis] && a[axis] != 1 && b[axis] != 1) {
                        return null;
                    }
                    out[axis] = Math.max(a[axis], b[axis]);
                }
                return out;
            }
            if (step instanceof Step.Cat cat) {
                long[] a = values.get(cat.a());
                long[] b = values.get(cat.b());
                return a[1] != b[1] || a[2] != b[2] ? null : new long[] {a[0] + b[0], a[1], a[2]};
            }
            Step.Linear linear = (Step.Linear) step;
            long[] in = values.get(linear.in());
            return in[0] * in[1] * in[2] == linear.features() ? new long[] {3, 1, 1} : null;
        }

        /** ATen's {@code conv_output_size}: ⌊(i + 2p − d·(k − 1) − 1)/s⌋ + 1. */
        private static long convOutputSize(long input, int kernel, int padding, int stride, int dilation) {
            return Math.floorDiv(input + 2L * padding - (long) dilation * (kernel - 1) - 1, stride) + 1;
        }

        /** ATen's {@code pooling_output_shape_pad_lr}, with its ceil-mode correction. */
        private static long poolingOutputShape(long input, int kernel, int padding, int stride, int dilation,
                boolean ceil) {
            long numerator = input + 2L * padding - (long) dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0);
            long output = Math.floorDiv(numerator, stride) + 1;
            if (ceil && (output - 1) * stride >= input + padding) {
                output--;
            }
            return output;
        }
    }
}
