package test;

import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.nn.CompiledModel;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.F;
import dev.shapeproof.nn.ForwardWorkspace;
import dev.shapeproof.nn.FreeSizeInputs;
import dev.shapeproof.nn.Modules;
import dev.shapeproof.shape.Window;
import dev.shapeproof.sizes.AdmissibleSizes;
import dev.shapeproof.sizes.Size;
import dev.shapeproof.sizes.SizePlan;
import dev.shapeproof.sizes.SizedSummary;
import dev.shapeproof.sizes.SymbolicShape;
import dev.shapeproof.summary.ModelSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Generated;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link GoldenFreeSizeNet} model, its shapes proven at compile time by ShapeProof.
 *
 * <p>Every proven shape is a constant: {@code INPUT_SHAPE} (or one per named input), {@code <MODULE>_OUTPUT_SHAPE} for each module the forward calls, {@code OUTPUT_SHAPE} (or one per named output). Shapes put the free batch dimension first, as {@code -1}.
 *
 * <p>Its height and width are free: shapes are in the free sizes H, W, and {@code forward} admits exactly {@code ADMISSIBLE_SIZES}.
 */
@Generated("dev.shapeproof.processor.ShapeProofProcessor")
public final class GoldenFreeSizeNetModel extends GoldenFreeSizeNet implements CompiledModel {
    /**
     * The sizes {@code forward} admits, derived exactly at compile time: H ≥ 8 and H even; W even.
     */
    public static final AdmissibleSizes ADMISSIBLE_SIZES = AdmissibleSizes.parse(List.of("H", "W"), "H lo=8 hi=65536 start=8 period=2 residues=0 | W lo=1 hi=65536 start=1 period=2 residues=0");

    public static final SymbolicShape INPUT_SHAPE = SymbolicShape.parse("[-1,3,H,W]");
    public static final SymbolicShape CONV1_OUTPUT_SHAPE = SymbolicShape.parse("[-1,8,H,W]");
    public static final SymbolicShape CONV2_OUTPUT_SHAPE = SymbolicShape.parse("[-1,8,floor(H/2),floor(W/2)]");
    public static final SymbolicShape OUTPUT_SHAPE = SymbolicShape.parse("[-1,16,H,W]");

    /**
     * Checks the inputs and keeps a plan per size, for the most recently used sizes.
     */
    private static final FreeSizeInputs INPUTS = FreeSizeInputs.of("GoldenFreeSizeNet", ADMISSIBLE_SIZES, List.of("x"), List.of(INPUT_SHAPE));

    /**
     * {@code 2·⌊H/2⌋}, which forward passes to an op.
     */
    private static final Size SIZE_1 = Size.parse("2*floor(H/2)");

    /**
     * {@code 2·⌊W/2⌋}, which forward passes to an op.
     */
    private static final Size SIZE_2 = Size.parse("2*floor(W/2)");

    /**
     * This model's summary in its free sizes: {@code SUMMARY} prints torchsummary's table with symbolic shapes,
     * {@code SUMMARY.formulas()} its MACs and memory, and {@code SUMMARY.at(...)} the exact summary at a size.
     */
    public static final SizedSummary SUMMARY = buildSummary();

    private final Modules modules;

    /**
     * A model initialised as PyTorch initialises its layers, from the default seed; in eval mode.
     */
    public GoldenFreeSizeNetModel() {
        this(Modules.DEFAULT_SEED);
    }

    /**
     * A model initialised as PyTorch initialises its layers, reproducibly from {@code seed}; in eval mode.
     */
    public GoldenFreeSizeNetModel(long seed) {
        this.modules = createLayers();
        modules.initialize(seed);
    }

    /**
     * A model with the weights of a PyTorch {@code state_dict} saved as {@code .npz} or {@code .safetensors}, checked strictly; in eval mode.
     *
     * @throws IOException if the file cannot be read, or its keys or shapes do not match (all of them are listed)
     */
    public GoldenFreeSizeNetModel(Path weights) throws IOException {
        this(weights, LoadOptions.strict());
    }

    /**
     * A model with the weights in {@code weights}, loaded as {@code options} say (strictness, key renames); in eval mode.
     */
    public GoldenFreeSizeNetModel(Path weights, LoadOptions options) throws IOException {
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
    public GoldenFreeSizeNetModel train() {
        modules.train(true);
        return this;
    }

    /**
     * Eval mode, the default: dropout is the identity. Returns this model.
     */
    @Override
    public GoldenFreeSizeNetModel eval() {
        modules.train(false);
        return this;
    }

    /**
     * The model's output for a batch of {@code x} of shape {@code [-1, 3, H, W]}, in eval or training mode as set.
     *
     * <p>Inputs are never modified. Safe to call from many threads at once. What it returns is
     * new and the caller's to keep; {@code close()} an array when done to free its native memory at once.
     *
     * @throws IllegalArgumentException if an input is not a float32 array of its shape
     */
    public INDArray forward(INDArray x) {
        SizePlan sizes = INPUTS.check(x);
        try (ForwardWorkspace workspace = ForwardWorkspace.open("test.GoldenFreeSizeNetModel")) {
            // a = relu(conv1(x))
            INDArray a = this.conv1.forwardFused(x, null, null, 0f);
            // b = conv2(max_pool2d(a, 2))
            INDArray b = this.conv2.forward(F.maxPool2d(a, Window.kernel(2).stride(2), Window.kernel(2).stride(2)));
            // c = interpolate(b, scale_factor=2)
            INDArray c = F.interpolate(b, sizes.of(SIZE_1), sizes.of(SIZE_2), 2.0, 2.0, "nearest", false);
            // return cat([a, c], dim=1)
            return workspace.result(F.cat(1, a, c));
        }
    }

    @Override
    public List<INDArray> forward(List<INDArray> inputs) {
        CompiledModel.checkInputCount(this, inputs);
        return List.of(forward(inputs.get(0)));
    }

    /**
     * This model's summary at its smallest admissible sizes (H = 8, W = 2); {@link #summary(int, int)} gives it at any.
     */
    @Override
    public ModelSummary summary() {
        return SUMMARY.at(ADMISSIBLE_SIZES.smallest());
    }

    /**
     * This model's summary at the free sizes H, W: torchsummary's table at that size, byte for byte.
     *
     * @throws IllegalArgumentException if the model does not admit them
     */
    public ModelSummary summary(int h, int w) {
        return SUMMARY.at(h, w);
    }

    private static SizedSummary buildSummary() {
        SizedSummary.Builder summary = SizedSummary.builder("GoldenFreeSizeNet", ADMISSIBLE_SIZES);
        summary.input("x", INPUT_SHAPE);
        summary.row("conv1 Conv2d [-1,3,H,W] -> [-1,8,H,W] params=224 window=3/1/1+1/1,3/1/1+1/1 rf=3:1,3:1 macs=27*out bias=1*out");
        summary.row("conv2 Conv2d [-1,8,floor(H/2),floor(W/2)] -> [-1,8,floor(H/2),floor(W/2)] params=584 window=3/1/1+1/1,3/1/1+1/1 rf=8:2,8:2 macs=72*out bias=1*out");
        summary.output("output0", SymbolicShape.parse("[-1,16,H,W]"));
        summary.edge("input:x", "Conv2d-1");
        summary.edge("Conv2d-1", "Conv2d-2", "relu, max_pool2d");
        summary.edge("Conv2d-1", "output:output0", "relu, cat");
        summary.edge("Conv2d-2", "output:output0", "interpolate, cat");
        summary.inferencePeakCandidate("44*H*W + 160*floor(H/2)*floor(W/2)");
        summary.inferencePeakCandidate("108*H*W + 128*floor(H/2)*floor(W/2)");
        return summary.build();
    }

    /**
     * Assigns every module field with its checked configuration; returns them in order.
     */
    private Modules createLayers() {
        this.conv1 = new Conv2dLayer("conv1", 3, 8, Window.kernel(3).padding(1), Window.kernel(3).padding(1), 1, true);
        this.conv2 = new Conv2dLayer("conv2", 8, 8, Window.kernel(3).padding(1), Window.kernel(3).padding(1), 1, true);
        return new Modules(this.conv1, this.conv2);
    }
}
