package test;

import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.nn.CompiledModel;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.F;
import dev.shapeproof.nn.ForwardWorkspace;
import dev.shapeproof.nn.Inputs;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.Modules;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import dev.shapeproof.summary.ModelSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Generated;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link GoldenDslNet} model, its shapes proven at compile time by ShapeProof.
 *
 * <p>Every proven shape is a constant: {@code INPUT_SHAPE} (or one per named input), {@code <MODULE>_OUTPUT_SHAPE} for each module the forward calls, {@code OUTPUT_SHAPE} (or one per named output). Shapes put the free batch dimension first, as {@code -1}.
 */
@Generated("dev.shapeproof.processor.ShapeProofProcessor")
public final class GoldenDslNetModel extends GoldenDslNet implements CompiledModel {
    public static final TensorShape INPUT_SHAPE = TensorShape.of(-1, 3, 16, 16);
    public static final TensorShape CONV1_OUTPUT_SHAPE = TensorShape.of(-1, 8, 16, 16);
    public static final TensorShape CONV2_OUTPUT_SHAPE = TensorShape.of(-1, 8, 16, 16);
    public static final TensorShape CONV3_OUTPUT_SHAPE = TensorShape.of(-1, 8, 16, 16);
    public static final TensorShape FC_OUTPUT_SHAPE = TensorShape.of(-1, 10);
    public static final TensorShape OUTPUT_BOTH_SHAPE = TensorShape.of(-1, 16, 8, 8);
    public static final TensorShape OUTPUT_LOGITS_SHAPE = TensorShape.of(-1, 10);

    /**
     * This model's summary, computed at compile time: {@code SUMMARY} prints torchsummary's table,
     * {@code SUMMARY.detailed()} adds kernels, receptive fields, MACs and memory.
     */
    public static final ModelSummary SUMMARY = buildSummary();

    private final Modules modules;

    /**
     * A model initialised as PyTorch initialises its layers, from the default seed; in eval mode.
     */
    public GoldenDslNetModel() {
        this(Modules.DEFAULT_SEED);
    }

    /**
     * A model initialised as PyTorch initialises its layers, reproducibly from {@code seed}; in eval mode.
     */
    public GoldenDslNetModel(long seed) {
        this.modules = createLayers();
        modules.initialize(seed);
    }

    /**
     * A model with the weights of a PyTorch {@code state_dict} saved as {@code .npz} or {@code .safetensors}, checked strictly; in eval mode.
     *
     * @throws IOException if the file cannot be read, or its keys or shapes do not match (all of them are listed)
     */
    public GoldenDslNetModel(Path weights) throws IOException {
        this(weights, LoadOptions.strict());
    }

    /**
     * A model with the weights in {@code weights}, loaded as {@code options} say (strictness, key renames); in eval mode.
     */
    public GoldenDslNetModel(Path weights, LoadOptions options) throws IOException {
        this.modules = createLayers();
        modules.initializeAndLoad(Modules.DEFAULT_SEED, weights, options);
    }

    /**
     * The trainable parameters by {@code state_dict} key ({@code conv1.weight}), in PyTorch's order.
     */
    @Override
    public Map<String, INDArray> parameters() {
        return modules.parameters();
    }

    /**
     * The buffers (BatchNorm's running statistics) by {@code state_dict} key, in PyTorch's order.
     */
    @Override
    public Map<String, INDArray> buffers() {
        return modules.buffers();
    }

    /**
     * Parameters and buffers, as PyTorch's {@code state_dict()}.
     */
    @Override
    public Map<String, INDArray> stateDict() {
        return modules.stateDict();
    }

    /**
     * Whether the model is in training mode (dropout active).
     */
    @Override
    public boolean isTraining() {
        return modules.isTraining();
    }

    /**
     * Replaces the weights with those in {@code weights}; nothing changes if it fails.
     */
    @Override
    public void load(Path weights, LoadOptions options) throws IOException {
        modules.load(weights, options);
    }

    /**
     * Writes the {@code state_dict} as {@code .npz} or {@code .safetensors}, by extension.
     */
    @Override
    public void save(Path file) throws IOException {
        modules.save(file);
    }

    /**
     * Training mode: dropout zeroes activations. Returns this model, as PyTorch does.
     */
    @Override
    public GoldenDslNetModel train() {
        modules.train(true);
        return this;
    }

    /**
     * Eval mode, the default: dropout is the identity. Returns this model.
     */
    @Override
    public GoldenDslNetModel eval() {
        modules.train(false);
        return this;
    }

    /**
     * The model's output for a batch of {@code x} of shape {@code [-1, 3, 16, 16]}, in eval or training mode as set.
     *
     * <p>Inputs are never modified. Safe to call from many threads at once. What it returns is
     * new and the caller's to keep; {@code close()} an array when done to free its native memory at once.
     *
     * @throws IllegalArgumentException if an input is not a float32 array of its shape
     */
    public Output forward(INDArray x) {
        Inputs.check("x", x, INPUT_SHAPE);
        try (ForwardWorkspace workspace = ForwardWorkspace.open("test.GoldenDslNetModel")) {
            // h = relu(x)
            INDArray h = F.relu(x, false);
            // x = conv1(h)
            x = this.conv1.forward(h);
            // y = relu(x)
            INDArray y = F.relu(x, false);
            // z = x + y
            INDArray z = F.add(x, y, true);
            // a = relu(max_pool2d(conv2(z), 2))
            INDArray a = F.relu(F.maxPool2d(this.conv2.forward(z), Window.kernel(2).stride(2), Window.kernel(2).stride(2)), true);
            // b = interpolate(avg_pool2d(conv3(z), 4), scale_factor=2)
            INDArray b = F.interpolate(F.avgPool2d(this.conv3.forward(z), Window.kernel(4).stride(4), Window.kernel(4).stride(4), true), 8, 8, 2.0, 2.0, "nearest", false);
            // both = cat([a, b], dim=1)
            INDArray both = F.cat(1, a, b);
            // flat = both.view(-1, 1024)
            INDArray flat = F.reshape(both, -1L, 1024L);
            // logits = fc(dropout(flat, p=0.2))
            INDArray logits = this.fc.forward(F.dropout(flat, 0.2, this.modules.isTraining()));
            // return both, logits
            return new Output(workspace.result(both), workspace.result(logits));
        }
    }

    @Override
    public List<INDArray> forward(List<INDArray> inputs) {
        CompiledModel.checkInputCount(this, inputs);
        Output output = forward(inputs.get(0));
        return List.of(output.both(), output.logits());
    }

    /**
     * This model's summary; the same as {@link #SUMMARY}.
     */
    @Override
    public ModelSummary summary() {
        return SUMMARY;
    }

    private static ModelSummary buildSummary() {
        ModelSummary.Builder summary = ModelSummary.builder("GoldenDslNet");
        summary.input("x", TensorShape.of(-1, 3, 16, 16));
        summary.row("conv1 Conv2d [-1,3,16,16] -> [-1,8,16,16] params=224 window=3/1/1+1/1,3/1/1+1/1 rf=3:1,3:1 macs=55296 bias=2048");
        summary.row("conv2 Conv2d [-1,8,16,16] -> [-1,8,16,16] params=584 window=3/1/1+1/1,3/1/1+1/1 rf=5:1,5:1 macs=147456 bias=2048");
        summary.row("conv3 Conv2d [-1,8,16,16] -> [-1,8,16,16] params=576 window=3/1/1+1/1,3/1/1+1/1 rf=5:1,5:1 macs=147456");
        summary.row("fc Linear [-1,1024] -> [-1,10] params=10250 rf=22:16,22:16 macs=10240 bias=10");
        summary.output("both", TensorShape.of(-1, 16, 8, 8));
        summary.output("logits", TensorShape.of(-1, 10));
        summary.edge("input:x", "Conv2d-1", "relu");
        summary.edge("Conv2d-1", "Conv2d-2", "add, relu");
        summary.edge("Conv2d-1", "Conv2d-3", "add, relu");
        summary.edge("Conv2d-2", "Linear-4", "max_pool2d, relu, cat, view, dropout");
        summary.edge("Conv2d-3", "Linear-4", "avg_pool2d, interpolate, cat, view, dropout");
        summary.edge("Conv2d-2", "output:both", "max_pool2d, relu, cat");
        summary.edge("Conv2d-3", "output:both", "avg_pool2d, interpolate, cat");
        summary.edge("Linear-4", "output:logits");
        summary.inferencePeakBytes(21504L);
        return summary.build();
    }

    /**
     * Assigns every module field with its checked configuration; returns them in order.
     */
    private Modules createLayers() {
        this.conv1 = new Conv2dLayer("conv1", 3, 8, Window.kernel(3).padding(1), Window.kernel(3).padding(1), 1, true);
        this.conv2 = new Conv2dLayer("conv2", 8, 8, Window.kernel(3).padding(1), Window.kernel(3).padding(1), 1, true);
        this.conv3 = new Conv2dLayer("conv3", 8, 8, Window.kernel(3).padding(1), Window.kernel(3).padding(1), 1, false);
        this.fc = new LinearLayer("fc", 1024, 10, true);
        return new Modules(this.conv1, this.conv2, this.conv3, this.fc);
    }

    /**
     * The outputs of {@code forward}, named as the forward text returns them:
     * <ul>
     * <li>{@code both}: {@code [-1, 16, 8, 8]}
     * <li>{@code logits}: {@code [-1, 10]}
     * </ul>
     */
    public record Output(INDArray both, INDArray logits) {
    }
}
