package dev.shapeproof.spark;

import dev.shapeproof.nn.CompiledModel;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What builds one model on an executor: the generated class's name, and the weights file it loads or the seed it
 * initialises from. Spark ships a transformer to executors as its params, and ML persistence saves params as JSON, so
 * the model travels as these strings rather than as an object.
 *
 * @param className the generated class, {@code dev.shapeproof.examples.SeedNetModel}
 * @param weights a {@code .npz} or {@code .safetensors} state_dict, as a path or URI (see
 *     {@link ShapeProofTransformer#weights()}), or {@code null} for PyTorch's initialisation from {@code seed}
 * @param seed the seed when {@code weights} is {@code null}
 */
public record ModelSource(String className, String weights, long seed) implements Serializable {
    public ModelSource {
        Objects.requireNonNull(className, "className");
        if (weights != null && weights.isEmpty()) {
            weights = null;
        }
    }

    /**
     * Constructs the model: {@code new XModel(Path weights)} or {@code new XModel(long seed)}, the two constructors
     * every generated class has. This is the one reflective step: the class is known only by its name, in params
     * that are JSON, and is loaded on the executor from the job's jars; what comes back is used only as a
     * {@link CompiledModel}.
     *
     * @param localWeights {@code weights} as a local file ({@link ExecutorModels} fetches it), or {@code null}
     */
    CompiledModel construct(Path localWeights) {
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader(); // Spark's loader for --jars
            type = Class.forName(className, true, loader != null ? loader : ModelSource.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("model class " + className + " is not on the executor's class path"
                    + " (add the jar that holds it to spark-submit's --jars)", e);
        }
        if (!CompiledModel.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " is not a generated model: it does not implement "
                    + CompiledModel.class.getName() + " (name the generated XModel class, not the annotated X)");
        }
        try {
            Constructor<?> constructor = localWeights != null ? type.getConstructor(Path.class)
                    : type.getConstructor(long.class);
            Object model = localWeights != null ? constructor.newInstance(localWeights) : constructor.newInstance(seed);
            return ((CompiledModel) model).eval();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException("cannot load " + className + " from " + weights + ": " + io.getMessage(), io);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("constructing " + className + " failed", cause);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException(className + " has no public (" + (localWeights != null ? "Path" : "long")
                    + ") constructor; every class the processor generates has one", e);
        }
    }

    @Override
    public String toString() {
        return className + (weights != null ? " from " + weights : " with seed " + seed);
    }
}
