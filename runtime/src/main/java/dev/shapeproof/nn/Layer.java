package dev.shapeproof.nn;

import dev.shapeproof.shape.ParameterShape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A leaf module of a model, one PyTorch layer: its name, which is also the prefix of its parameters' names
 * ({@code conv1.weight}, {@code layer1.0.conv1.weight}), its parameters and buffers in PyTorch layout, and its forward
 * computation.
 *
 * <p>Parameters are read-only during {@link #forward}: a layer is safe to call from many threads at once. Loading
 * replaces a layer's whole state at once, never tensor by tensor.
 */
public abstract class Layer extends NnModule {
    private final List<ParameterShape> stateShapes;
    private volatile Map<String, INDArray> state = Map.of();

    protected Layer(String name, List<ParameterShape> stateShapes) {
        super(name);
        this.stateShapes = List.copyOf(stateShapes);
    }

    protected Layer(String name) {
        this(name, List.of());
    }

    /**
     * The output for {@code input}, which is never modified. The result may be {@code input} itself or a view of it
     * (an eval-mode dropout, a flatten), so callers must not overwrite it while {@code input} is still needed.
     */
    @Override
    public abstract INDArray forward(INDArray input);

    /**
     * The output for {@code input}, which may be overwritten with it. The generated forward calls this only when no
     * later op reads {@code input}: the seed's {@code ReLU(inplace=True)}, decided at compile time.
     */
    @Override
    public INDArray forwardInPlace(INDArray input) {
        return forward(input);
    }

    /** Parameters then buffers, by key suffix ({@code weight}), in PyTorch's {@code state_dict} order. */
    public final List<ParameterShape> stateShapes() {
        return stateShapes;
    }

    /** The current tensors by key suffix, in {@code state_dict} order; empty before initialisation or loading. */
    public final Map<String, INDArray> state() {
        return state;
    }

    /** The tensor {@code key} ({@code weight}, {@code running_mean}), or {@code null} if this layer has none. */
    protected final INDArray tensor(String key) {
        return state.get(key);
    }

    /**
     * Replaces the whole state. Every tensor of {@link #stateShapes()} must be present with its exact shape; checked
     * here as well as by the loader, so no layer ever holds a tensor of the wrong shape.
     */
    public final void setState(Map<String, INDArray> tensors) {
        Map<String, INDArray> next = new LinkedHashMap<>();
        for (ParameterShape shape : stateShapes) {
            INDArray tensor = tensors.get(shape.name());
            if (tensor == null) {
                throw new IllegalArgumentException(name() + "." + shape.name() + " is missing");
            }
            if (!Arrays.equals(tensor.shape(), shape.dims()) && !(shape.dims().length == 0 && tensor.length() == 1)) {
                throw new IllegalArgumentException(name() + "." + shape.name() + ": expected shape "
                        + Arrays.toString(shape.dims()) + ", found " + Arrays.toString(tensor.shape()));
            }
            next.put(shape.name(), tensor);
        }
        this.state = Collections.unmodifiableMap(next);
        stateChanged();
    }

    /** PyTorch's default initialisation ({@code reset_parameters}) from {@code random}; nothing for stateless layers. */
    public void initialize(SplittableRandom random) {}

    /** Called after the state changes, to prepare any ND4J-specific layout once rather than per call. */
    protected void stateChanged() {}

    /** {@code conv1: Conv2d(...)}, the configuration in PyTorch's words. */
    @Override
    public String toString() {
        return name() + ": " + pytorchType() + "(" + describe() + ")";
    }

    /** The configuration as PyTorch's module repr lists it; empty when there is none. */
    protected String describe() {
        return "";
    }
}
