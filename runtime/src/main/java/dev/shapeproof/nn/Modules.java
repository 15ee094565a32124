package dev.shapeproof.nn;

import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.io.LoadedState;
import dev.shapeproof.io.StateDictCheck;
import dev.shapeproof.io.StateDictFiles;
import dev.shapeproof.shape.ParameterShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's modules, and what PyTorch's {@code nn.Module} does with them: parameters, buffers, initialisation, loading
 * and saving weights, train/eval mode. Generated models delegate to it, so the generated class holds only what is
 * specific to its model.
 *
 * <p>The {@code state_dict} is the model's own parameters, then the modules below it, depth first in registration
 * order, each contributing its own parameters ({@link Parameter}), then, for a layer, its parameters and buffers under
 * its dotted name, then its children's: PyTorch's order ({@code class_token}, {@code conv1.weight},
 * {@code layer1.0.conv1.weight}, {@code layer1.0.bn1.running_mean}, …).
 */
public final class Modules {
    /** The seed of {@code new NetModel()}: the same initial weights on every run. */
    public static final long DEFAULT_SEED = 0;

    private final List<NnModule> modules;
    private final List<Layer> layers;
    /** Every holder of state in {@code state_dict} order: {@link Layer}s and {@link Parameter}s. */
    private final List<Object> holders;

    /** The model's own modules, in declaration order; blocks and containers bring the modules below them. */
    public Modules(NnModule... modules) {
        this((Object[]) modules);
    }

    /**
     * The model's own modules and parameters ({@link Parameter}, ViT's {@code class_token}), in declaration order:
     * the parameters come first in the {@code state_dict}, as a PyTorch module's own parameters precede its
     * children's; {@code null} members are left out.
     */
    public Modules(Object... membersAndParameters) {
        List<NnModule> own = new ArrayList<>();
        List<Object> holders = new ArrayList<>();
        for (Object member : membersAndParameters) {
            if (member instanceof Parameter parameter) {
                holders.add(parameter);
            } else if (member instanceof NnModule module) {
                own.add(module);
            } else if (member != null) {
                throw new IllegalArgumentException(member + " is neither a module nor a parameter");
            }
        }
        for (NnModule module : own) {
            addHolders(module, holders);
        }
        this.modules = List.copyOf(own);
        this.holders = List.copyOf(holders);
        this.layers = holders.stream().filter(Layer.class::isInstance).map(Layer.class::cast).toList();
    }

    /** {@code module}'s own parameters, then its state if it is a layer, then its children's, depth first. */
    private static void addHolders(NnModule module, List<Object> holders) {
        holders.addAll(module.ownParameters().values());
        if (module instanceof Layer layer) {
            holders.add(layer);
        }
        for (NnModule child : module.children().values()) {
            addHolders(child, holders);
        }
    }

    /** The model's own modules, in declaration order. */
    public List<NnModule> modules() {
        return modules;
    }

    /** Every layer, in {@code state_dict} order. */
    public List<Layer> layers() {
        return layers;
    }

    /** PyTorch's default initialisation of every layer, in order, from one seeded stream: reproducible. */
    public void initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Object holder : holders) {
            if (holder instanceof Layer layer) {
                layer.initialize(random);
            } else {
                ((Parameter) holder).initialize(random);
            }
        }
    }

    /** The trainable parameters by {@code state_dict} key ({@code conv1.weight}), in PyTorch's order. */
    public Map<String, INDArray> parameters() {
        return collect(ParameterShape.Kind.PARAMETER);
    }

    /** The buffers (running statistics, counters) by {@code state_dict} key, in PyTorch's order. */
    public Map<String, INDArray> buffers() {
        return collect(ParameterShape.Kind.BUFFER);
    }

    /** Every parameter and buffer, as PyTorch's {@code state_dict()}: per module, parameters then buffers. */
    public Map<String, INDArray> stateDict() {
        return collect(null);
    }

    /** Every key the model expects with its shape, in {@code state_dict} order. */
    public Map<String, long[]> expectedShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Object holder : holders) {
            if (holder instanceof Parameter parameter) {
                shapes.put(parameter.name(), parameter.shape());
                continue;
            }
            Layer layer = (Layer) holder;
            for (ParameterShape shape : layer.stateShapes()) {
                shapes.put(layer.name() + "." + shape.name(), shape.dims());
            }
        }
        return shapes;
    }

    /**
     * Loads the weights in {@code file} ({@code .npz} or {@code .safetensors}). Every key and shape is checked before
     * any layer changes: a file that fails leaves the model as it was.
     */
    public StateDictCheck.Result load(Path file, LoadOptions options) throws IOException {
        LoadedState loaded = StateDictFiles.read(file);
        StateDictCheck.Result result = StateDictCheck.check(expectedShapes(), loaded, options.isStrict(),
                options.keys());
        Map<String, INDArray> tensors = result.tensors();
        List<Runnable> assignments = new ArrayList<>();
        for (Object holder : holders) {
            if (holder instanceof Parameter parameter) {
                INDArray tensor = tensors.get(parameter.name());
                if (tensor != null) {
                    assignments.add(() -> parameter.set(tensor));
                }
                continue;
            }
            Layer layer = (Layer) holder;
            Map<String, INDArray> next = new LinkedHashMap<>(layer.state());
            boolean changed = false;
            for (ParameterShape shape : layer.stateShapes()) {
                INDArray tensor = tensors.get(layer.name() + "." + shape.name());
                if (tensor != null) {
                    next.put(shape.name(), tensor);
                    changed = true;
                }
            }
            if (changed) {
                assignments.add(() -> layer.setState(next));
            }
        }
        assignments.forEach(Runnable::run);
        return result;
    }

    /**
     * {@link #initialize} from {@code seed}, then {@link #load} {@code file}: what a model's constructor from a weight
     * file does. The initial arrays the file replaces were never handed out, so their native memory is freed at once
     * instead of when the garbage collector gets to them (the Java heap stays small, so that can be never: the random
     * weights of resnet50 are 100 MB of native memory).
     */
    public StateDictCheck.Result initializeAndLoad(long seed, Path file, LoadOptions options) throws IOException {
        initialize(seed);
        return loadFreeingReplaced(file, options);
    }

    /** {@link #load}, then frees the arrays it replaced: only for arrays nothing outside has seen. */
    StateDictCheck.Result loadFreeingReplaced(Path file, LoadOptions options) throws IOException {
        Set<INDArray> initial = Collections.newSetFromMap(new IdentityHashMap<>());
        initial.addAll(stateDict().values());
        StateDictCheck.Result result = load(file, options);
        initial.removeAll(identities(stateDict().values()));
        for (INDArray replaced : initial) {
            if (replaced.closeable()) {
                replaced.close();
            }
        }
        return result;
    }

    private static Set<INDArray> identities(Collection<INDArray> arrays) {
        Set<INDArray> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(arrays);
        return set;
    }

    /** Writes the {@code state_dict} to {@code file}, {@code .npz} or {@code .safetensors} by its extension. */
    public void save(Path file) throws IOException {
        StateDictFiles.write(file, stateDict());
    }

    /** Training mode on or off for every module. */
    public void train(boolean training) {
        for (NnModule module : modules) {
            module.train(training);
        }
    }

    public boolean isTraining() {
        return !modules.isEmpty() && modules.get(0).isTraining();
    }

    private Map<String, INDArray> collect(ParameterShape.Kind kind) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Object holder : holders) {
            if (holder instanceof Parameter parameter) {
                if (kind == null || kind == ParameterShape.Kind.PARAMETER) {
                    tensors.put(parameter.name(), parameter.value());
                }
                continue;
            }
            Layer layer = (Layer) holder;
            for (ParameterShape shape : layer.stateShapes()) {
                if (kind == null || shape.kind() == kind) {
                    tensors.put(layer.name() + "." + shape.name(), layer.state().get(shape.name()));
                }
            }
        }
        return Collections.unmodifiableMap(tensors);
    }
}
