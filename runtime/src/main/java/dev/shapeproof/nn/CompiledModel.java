package dev.shapeproof.nn;

import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.summary.ModelSummary;
import dev.shapeproof.summary.NamedShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every generated model is, whatever its inputs and outputs: libraries that run any model (Spark, the
 * benchmarks) use this instead of reflection. A generated {@code NetModel} also has its own typed API
 * ({@code forward(INDArray image, INDArray mask)}, its {@code Output} record, its shape constants); this interface is
 * the same model seen generically.
 *
 * <p>Every method is safe to call from many threads at once, but {@link #load} and {@link #train()}/{@link #eval()},
 * which change the model, must not run during a forward.
 */
public interface CompiledModel {
    /** The model's name: the annotated class's simple name ({@code Net}). */
    default String name() {
        return summary().model();
    }

    /** The inputs, in {@code forward}'s parameter order, each with its shape (batch {@code -1} first). */
    default List<NamedShape> inputs() {
        return summary().inputs();
    }

    /** The outputs, in the order {@code forward} returns them, each with its shape. */
    default List<NamedShape> outputs() {
        return summary().outputs();
    }

    /**
     * The outputs for {@code inputs}, one array per input in {@link #inputs()}'s order, batches of equal size. The
     * inputs are never modified; the outputs are new and the caller's.
     *
     * @throws IllegalArgumentException if the number of inputs is wrong, or an input is not a float32 array of its
     *     shape (the message names it, with the expected and the actual shape)
     */
    List<INDArray> forward(List<INDArray> inputs);

    /** The compile-time summary: torchsummary's table, and {@code detailed()}. */
    ModelSummary summary();

    /** The trainable parameters by {@code state_dict} key, in PyTorch's order. */
    Map<String, INDArray> parameters();

    /** The buffers (BatchNorm's running statistics) by {@code state_dict} key, in PyTorch's order. */
    Map<String, INDArray> buffers();

    /** Parameters and buffers, as PyTorch's {@code state_dict()}. */
    Map<String, INDArray> stateDict();

    /** Replaces the weights with those in {@code weights}; nothing changes if it fails. */
    void load(Path weights, LoadOptions options) throws IOException;

    /** Writes the {@code state_dict} as {@code .npz} or {@code .safetensors}, by extension. */
    void save(Path file) throws IOException;

    /** Training mode (dropout active); returns this model. */
    CompiledModel train();

    /** Eval mode, the default; returns this model. */
    CompiledModel eval();

    /** Whether the model is in training mode. */
    boolean isTraining();

    /** Checks that {@code inputs} holds one array per input of {@code model}, for {@link #forward(List)}. */
    static void checkInputCount(CompiledModel model, List<INDArray> inputs) {
        if (inputs == null || inputs.size() != model.inputs().size()) {
            throw new IllegalArgumentException(model.name() + " takes " + model.inputs().size() + " input"
                    + (model.inputs().size() == 1 ? "" : "s") + " (" + model.inputs() + "), found "
                    + (inputs == null ? "null" : inputs.size()));
        }
    }
}
