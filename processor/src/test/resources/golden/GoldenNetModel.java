package test;

import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.nn.AdaptiveAvgPool2dLayer;
import dev.shapeproof.nn.AvgPool2dLayer;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.CompiledModel;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.Dropout2dLayer;
import dev.shapeproof.nn.DropoutLayer;
import dev.shapeproof.nn.FlattenLayer;
import dev.shapeproof.nn.ForwardWorkspace;
import dev.shapeproof.nn.GELULayer;
import dev.shapeproof.nn.Inputs;
import dev.shapeproof.nn.LeakyReLULayer;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.MaxPool2dLayer;
import dev.shapeproof.nn.Modules;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.SigmoidLayer;
import dev.shapeproof.nn.SoftmaxLayer;
import dev.shapeproof.nn.TanhLayer;
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
 * The {@link GoldenNet} model, its shapes proven at compile time by ShapeProof.
 *
 * <p>Every proven shape is a constant: {@code INPUT_SHAPE} (or one per named input), {@code <MODULE>_OUTPUT_SHAPE} for each module the forward calls, {@code OUTPUT_SHAPE} (or one per named output). Shapes put the free batch dimension first, as {@code -1}.
 */
@Generated("dev.shapeproof.processor.ShapeProofProcessor")
public final class GoldenNetModel extends GoldenNet implements CompiledModel {
    public static final TensorShape INPUT_SHAPE = TensorShape.of(-1, 3, 32, 32);
    public static final TensorShape CONV1_OUTPUT_SHAPE = TensorShape.of(-1, 16, 32, 32);
    public static final TensorShape BN1_OUTPUT_SHAPE = TensorShape.of(-1, 16, 32, 32);
    public static final TensorShape RELU1_OUTPUT_SHAPE = TensorShape.of(-1, 16, 32, 32);
    public static final TensorShape POOL1_OUTPUT_SHAPE = TensorShape.of(-1, 16, 16, 16);
    public static final TensorShape CONV2_OUTPUT_SHAPE = TensorShape.of(-1, 32, 16, 16);
    public static final TensorShape ACT2_OUTPUT_SHAPE = TensorShape.of(-1, 32, 16, 16);
    public static final TensorShape POOL2_OUTPUT_SHAPE = TensorShape.of(-1, 32, 8, 8);
    public static final TensorShape DROP2_OUTPUT_SHAPE = TensorShape.of(-1, 32, 8, 8);
    public static final TensorShape GAP_OUTPUT_SHAPE = TensorShape.of(-1, 32, 2, 2);
    public static final TensorShape FLATTEN_OUTPUT_SHAPE = TensorShape.of(-1, 128);
    public static final TensorShape FC1_OUTPUT_SHAPE = TensorShape.of(-1, 64);
    public static final TensorShape GELU_OUTPUT_SHAPE = TensorShape.of(-1, 64);
    public static final TensorShape DROP_OUTPUT_SHAPE = TensorShape.of(-1, 64);
    public static final TensorShape FC2_OUTPUT_SHAPE = TensorShape.of(-1, 10);
    public static final TensorShape SIGMOID_OUTPUT_SHAPE = TensorShape.of(-1, 10);
    public static final TensorShape TANH_OUTPUT_SHAPE = TensorShape.of(-1, 10);
    public static final TensorShape SOFTMAX_OUTPUT_SHAPE = TensorShape.of(-1, 10);
    public static final TensorShape OUTPUT_SHAPE = TensorShape.of(-1, 10);

    /**
     * This model's summary, computed at compile time: {@code SUMMARY} prints torchsummary's table,
     * {@code SUMMARY.detailed()} adds kernels, receptive fields, MACs and memory.
     */
    public static final ModelSummary SUMMARY = buildSummary();

    private final Modules modules;

    /**
     * A model initialised as PyTorch initialises its layers, from the default seed; in eval mode.
     */
    public GoldenNetModel() {
        this(Modules.DEFAULT_SEED);
    }

    /**
     * A model initialised as PyTorch initialises its layers, reproducibly from {@code seed}; in eval mode.
     */
    public GoldenNetModel(long seed) {
        this.modules = createLayers();
        modules.initialize(seed);
    }

    /**
     * A model with the weights of a PyTorch {@code state_dict} saved as {@code .npz} or {@code .safetensors}, checked strictly; in eval mode.
     *
     * @throws IOException if the file cannot be read, or its keys or shapes do not match (all of them are listed)
     */
    public GoldenNetModel(Path weights) throws IOException {
        this(weights, LoadOptions.strict());
    }

    /**
     * A model with the weights in {@code weights}, loaded as {@code options} say (strictness, key renames); in eval mode.
     */
    public GoldenNetModel(Path weights, LoadOptions options) throws IOException {
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
    public GoldenNetModel train() {
        modules.train(true);
        return this;
    }

    /**
     * Eval mode, the default: dropout is the identity. Returns this model.
     */
    @Override
    public GoldenNetModel eval() {
        modules.train(false);
        return this;
    }

    /**
     * The model's output for a batch of {@code x} of shape {@code [-1, 3, 32, 32]}, in eval or training mode as set.
     *
     * <p>Inputs are never modified. Safe to call from many threads at once. What it returns is
     * new and the caller's to keep; {@code close()} an array when done to free its native memory at once.
     *
     * @throws IllegalArgumentException if an input is not a float32 array of its shape
     */
    public INDArray forward(INDArray x) {
        Inputs.check("x", x, INPUT_SHAPE);
        try (ForwardWorkspace workspace = ForwardWorkspace.open("test.GoldenNetModel")) {
            x = this.conv1.forwardFused(x, this.bn1, null, 0f);
            x = this.pool1.forward(x);
            x = this.conv2.forwardFused(x, null, null, 0.2f);
            x = this.pool2.forward(x);
            x = this.drop2.forward(x);
            x = this.gap.forward(x);
            x = this.flatten.forward(x);
            x = this.fc1.forward(x);
            x = this.gelu.forwardInPlace(x);
            x = this.drop.forward(x);
            x = this.fc2.forward(x);
            x = this.sigmoid.forwardInPlace(x);
            x = this.tanh.forwardInPlace(x);
            x = this.softmax.forward(x);
            return workspace.result(x);
        }
    }

    @Override
    public List<INDArray> forward(List<INDArray> inputs) {
        CompiledModel.checkInputCount(this, inputs);
        return List.of(forward(inputs.get(0)));
    }

    /**
     * This model's summary; the same as {@link #SUMMARY}.
     */
    @Override
    public ModelSummary summary() {
        return SUMMARY;
    }

    private static ModelSummary buildSummary() {
        ModelSummary.Builder summary = ModelSummary.builder("GoldenNet");
        summary.input("x", TensorShape.of(-1, 3, 32, 32));
        summary.row("conv1 Conv2d [-1,3,32,32] -> [-1,16,32,32] params=448 window=3/1/1+1/1,3/1/1+1/1 rf=3:1,3:1 macs=442368 bias=16384");
        summary.row("bn1 BatchNorm2d [-1,16,32,32] -> [-1,16,32,32] params=32 buffers=33 rf=3:1,3:1");
        summary.row("relu1 ReLU [-1,16,32,32] -> [-1,16,32,32] inplace rf=3:1,3:1");
        summary.row("pool1 MaxPool2d [-1,16,32,32] -> [-1,16,16,16] window=3/2/0+0/1,3/2/0+0/1 ceil rf=5:2,5:2");
        summary.row("conv2 Conv2d [-1,16,16,16] -> [-1,32,16,16] params=1920 window=3/1/2+2/2,5/1/4+4/2 groups=4 rf=13:2,21:2 macs=491520");
        summary.row("act2 LeakyReLU [-1,32,16,16] -> [-1,32,16,16] inplace rf=13:2,21:2");
        summary.row("pool2 AvgPool2d [-1,32,16,16] -> [-1,32,8,8] window=2/2/0+0/1,2/2/0+0/1 rf=15:4,23:4");
        summary.row("drop2 Dropout2d [-1,32,8,8] -> [-1,32,8,8] rf=15:4,23:4");
        summary.row("gap AdaptiveAvgPool2d [-1,32,8,8] -> [-1,32,2,2] rf=27:16,35:16");
        summary.row("flatten Flatten [-1,32,2,2] -> [-1,128] rf=43:32,51:32");
        summary.row("fc1 Linear [-1,128] -> [-1,64] params=8256 rf=43:32,51:32 macs=8192 bias=64");
        summary.row("gelu GELU [-1,64] -> [-1,64] inplace rf=43:32,51:32");
        summary.row("drop Dropout [-1,64] -> [-1,64] rf=43:32,51:32");
        summary.row("fc2 Linear [-1,64] -> [-1,10] params=650 rf=43:32,51:32 macs=640 bias=10");
        summary.row("sigmoid Sigmoid [-1,10] -> [-1,10] inplace rf=43:32,51:32");
        summary.row("tanh Tanh [-1,10] -> [-1,10] inplace rf=43:32,51:32");
        summary.row("softmax Softmax [-1,10] -> [-1,10] rf=43:32,51:32");
        summary.output("output", TensorShape.of(-1, 10));
        summary.chainEdges();
        summary.inferencePeakBytes(143360L);
        return summary.build();
    }

    /**
     * Assigns every module field with its checked configuration; returns them in order.
     */
    private Modules createLayers() {
        this.conv1 = new Conv2dLayer("conv1", 3, 16, Window.kernel(3).padding(1), Window.kernel(3).padding(1), 1, true);
        this.bn1 = new BatchNorm2dLayer("bn1", 16, 1.0E-5, 0.1, true);
        this.relu1 = new ReLULayer("relu1");
        this.pool1 = new MaxPool2dLayer("pool1", Window.kernel(3).stride(2).ceilMode(true), Window.kernel(3).stride(2).ceilMode(true));
        this.conv2 = new Conv2dLayer("conv2", 16, 32, Window.kernel(3).padding(2).dilation(2), Window.kernel(5).padding(4).dilation(2), 4, false);
        this.act2 = new LeakyReLULayer("act2", 0.2);
        this.pool2 = new AvgPool2dLayer("pool2", Window.kernel(2).stride(2), Window.kernel(2).stride(2), false);
        this.drop2 = new Dropout2dLayer("drop2", 0.1);
        this.gap = new AdaptiveAvgPool2dLayer("gap", 2, 2);
        this.flatten = new FlattenLayer("flatten", 1, -1);
        this.fc1 = new LinearLayer("fc1", 128, 64, true);
        this.gelu = new GELULayer("gelu", true);
        this.drop = new DropoutLayer("drop", 0.5);
        this.fc2 = new LinearLayer("fc2", 64, 10, true);
        this.sigmoid = new SigmoidLayer("sigmoid");
        this.tanh = new TanhLayer("tanh");
        this.softmax = new SoftmaxLayer("softmax", -1);
        return new Modules(this.conv1, this.bn1, this.relu1, this.pool1, this.conv2, this.act2,
                this.pool2, this.drop2, this.gap, this.flatten, this.fc1, this.gelu, this.drop,
                this.fc2, this.sigmoid, this.tanh, this.softmax);
    }
}
