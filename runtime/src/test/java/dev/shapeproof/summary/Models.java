package dev.shapeproof.summary;

import dev.shapeproof.shape.LayerMath;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.ReceptiveField;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import dev.shapeproof.summary.SummaryRow.Geometry;
import java.util.List;

/**
 * Summaries built by hand, row by row, as the processor will emit them. The figures are worked out in the comments
 * (and, where a formula is involved, with {@code dev.shapeproof.shape}, which has its own tests against PyTorch).
 */
final class Models {
    private Models() {}

    static SummaryRow row(String name, String type, TensorShape input, TensorShape output, long params,
            boolean inPlace, Geometry geometry, ReceptiveField field, long macs, long biasAdds) {
        return new SummaryRow(name, type, List.of(input), output, params, params, 0, inPlace, geometry, field, field,
                macs, biasAdds);
    }

    /**
     * The seed's MNIST Net (summary-anchors.md §b): five module calls; max_pool2d, relu, view, dropout and
     * log_softmax are functional and have no row.
     */
    static ModelSummary seedNet() {
        // RF: conv1 k5 → 5 (j 1); max_pool2d k2 s2 → 6 (j 2); conv2 k5 → 6 + 4·2 = 14 (j 2); max_pool2d → 16 (j 4);
        // view = one window over the 4×4 map → 16 + 3·4 = 28 (j 16).
        ReceptiveField conv1Field = ReceptiveField.INPUT.through(Window.kernel(5));
        ReceptiveField conv2Field = conv1Field.through(Window.kernel(2).stride(2)).through(Window.kernel(5));
        ReceptiveField fcField = conv2Field.through(Window.kernel(2).stride(2)).through(Window.kernel(4).stride(4));
        return ModelSummary.builder("Net")
                .input("x", TensorShape.of(-1, 1, 28, 28))
                // 10·1·5·5 + 10 = 260; MACs 10·24·24 · 1·25 = 144,000; bias adds 10·24·24 = 5,760
                .row(row("conv1", "Conv2d", TensorShape.of(-1, 1, 28, 28), TensorShape.of(-1, 10, 24, 24), 260,
                        false, Geometry.of(Window.kernel(5), 1), conv1Field, 144_000, 5_760))
                // 20·10·25 + 20 = 5,020; MACs 20·8·8 · 10·25 = 320,000; bias adds 1,280
                .row(row("conv2", "Conv2d", TensorShape.of(-1, 10, 12, 12), TensorShape.of(-1, 20, 8, 8), 5_020,
                        false, Geometry.of(Window.kernel(5), 1), conv2Field, 320_000, 1_280))
                .row(row("conv2_drop", "Dropout2d", TensorShape.of(-1, 20, 8, 8), TensorShape.of(-1, 20, 8, 8), 0,
                        false, null, conv2Field, 0, 0))
                // 320·50 + 50 = 16,050; MACs 320·50 = 16,000
                .row(row("fc1", "Linear", TensorShape.of(-1, 320), TensorShape.of(-1, 50), 16_050, false, null,
                        fcField, 16_000, 50))
                // 50·10 + 10 = 510; MACs 500
                .row(row("fc2", "Linear", TensorShape.of(-1, 50), TensorShape.of(-1, 10), 510, false, null, fcField,
                        500, 10))
                .output(TensorShape.of(-1, 10))
                .edge("input:x", "conv1")
                .edge("conv1", "conv2", "max_pool2d, relu")
                .edge("conv2", "conv2_drop")
                .edge("conv2_drop", "fc1", "max_pool2d, relu, view")
                .edge("fc1", "fc2", "relu, dropout")
                .edge("fc2", "output:output", "log_softmax")
                // Liveness: at the first max_pool2d, x (784) + conv1's output (5,760) + the pooled map (1,440) are
                // alive at once: 7,984 numbers · 4 B; relu runs in place and nothing later holds more.
                .inferencePeakBytes(7_984 * 4)
                .build();
    }

    /** The dilations of the context module's seven 3×3 convolutions. */
    static final int[] CONTEXT_DILATIONS = {1, 1, 2, 4, 8, 16, 1};

    /**
     * Yu & Koltun's basic context module as in the examples (21 channels, 64×64): seven 3×3 convolutions padded by
     * their dilation, each followed by an in-place ReLU, then a 1×1 output convolution named {@code output}. No
     * edges: it is a Sequential.
     */
    static ModelSummary contextModule() {
        TensorShape map = TensorShape.of(-1, 21, 64, 64);
        ModelSummary.Builder builder = ModelSummary.builder("ContextModule").input("x", map);
        ReceptiveField field = ReceptiveField.INPUT;
        for (int i = 0; i < CONTEXT_DILATIONS.length; i++) {
            int d = CONTEXT_DILATIONS[i];
            Window window = Window.kernel(3).padding(d).dilation(d);
            field = field.through(window);
            builder.row(row("ctx" + (i + 1), "Conv2d", map, map, count(LayerMath.conv2dParameters(21, 21, 1, 3, 3,
                    true)), false, Geometry.of(window, 1), field, LayerMath.conv2dMacs(map, 21, 1, 3, 3),
                    map.sampleSize()));
            builder.row(row("relu" + (i + 1), "ReLU", map, map, 0, true, null, field, 0, 0));
        }
        Window pointwise = Window.kernel(1);
        builder.row(row("output", "Conv2d", map, map, count(LayerMath.conv2dParameters(21, 21, 1, 1, 1, true)),
                false, Geometry.of(pointwise, 1), field.through(pointwise), LayerMath.conv2dMacs(map, 21, 1, 1, 1),
                map.sampleSize()));
        // Liveness: x, the previous ReLU's output and the new convolution's output: 3 · 21·64·64 · 4 B.
        return builder.output(map).inferencePeakBytes(3L * 86_016 * 4).build();
    }

    /**
     * Two branches merging: a stem, BatchNorm (buffers), a ReLU called twice (shared), a dilated branch and a
     * grouped branch with {@code padding='same'} on an even kernel (asymmetric padding), {@code cat}, a ceil-mode
     * pool and a 1×1 head.
     */
    static ModelSummary branching() {
        TensorShape x = TensorShape.of(-1, 3, 32, 32);
        TensorShape features = TensorShape.of(-1, 16, 32, 32);
        TensorShape merged = TensorShape.of(-1, 32, 32, 32);
        TensorShape pooled = TensorShape.of(-1, 32, 16, 16);
        TensorShape logits = TensorShape.of(-1, 10, 16, 16);
        ReceptiveField stem = new ReceptiveField(3, 1);
        ReceptiveField dilated = new ReceptiveField(7, 1); // 3 + (2·(3−1)+1 − 1)·1
        ReceptiveField grouped = new ReceptiveField(6, 1); // 3 + (4 − 1)·1
        ReceptiveField cat = dilated.merge(grouped); // 7, the larger
        ReceptiveField pool = new ReceptiveField(8, 2); // 7 + 1·1, jump 2
        return ModelSummary.builder("Branchy")
                .input("x", x)
                // 16·3·9 + 16 = 448; MACs 16·32·32 · 3·9 = 442,368
                .row(row("stem", "Conv2d", x, features, 448, false, Geometry.of(Window.kernel(3).padding(1), 1),
                        stem, 442_368, 16_384))
                // weight, bias 16 each; running_mean, running_var 16 each + num_batches_tracked 1 = 33 buffers
                .row(new SummaryRow("bn", "BatchNorm2d", List.of(features), features, 32, 32, 33, false, null, stem,
                        stem, 0, 0))
                .row(row("relu", "ReLU", features, features, 0, true, null, stem, 0, 0))
                // 16·16·9 + 16 = 2,320; MACs 16·32·32 · 16·9 = 2,359,296
                .row(row("branch_a", "Conv2d", features, features, 2_320, false,
                        Geometry.of(Window.kernel(3).padding(2).dilation(2), 1), dilated, 2_359_296, 16_384))
                // weight [16, 16/4, 4, 4] = 1,024 + 16 = 1,040; MACs 16·32·32 · 4·16 = 1,048,576
                .row(row("branch_b", "Conv2d", features, features, 1_040, false, Geometry.of(Window.same(4, 1), 4),
                        grouped, 1_048_576, 16_384))
                .row(row("relu", "ReLU", merged, merged, 0, true, null, cat, 0, 0))
                .row(row("pool", "MaxPool2d", merged, pooled, 0, false,
                        Geometry.of(Window.kernel(2).stride(2).ceilMode(true), 1), pool, 0, 0))
                // 10·32 + 10 = 330; MACs 10·16·16 · 32 = 81,920
                .row(row("head", "Conv2d", pooled, logits, 330, false, Geometry.of(Window.kernel(1), 1), pool,
                        81_920, 2_560))
                .output(logits)
                .edge("input:x", "stem")
                .edge("stem", "bn")
                .edge("bn", "ReLU-3")
                .edge("ReLU-3", "branch_a")
                .edge("ReLU-3", "branch_b")
                .edge("branch_a", "ReLU-6", "cat")
                .edge("branch_b", "ReLU-6", "cat")
                .edge("ReLU-6", "pool")
                .edge("pool", "head")
                .edge("head", "output:output")
                // Liveness: at cat, x (3,072) + both branches (16,384 each) + the concatenation (32,768).
                .inferencePeakBytes(68_608L * 4)
                .build();
    }

    static long count(List<ParameterShape> parameters) {
        long count = 0;
        for (ParameterShape parameter : parameters) {
            count += parameter.count();
        }
        return count;
    }
}
