package dev.shapeproof.nn;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A learned tensor of a module that is not a layer's: PyTorch's {@code nn.Parameter} as a block or model declares it
 * ({@code @Init("nn.Parameter(torch.zeros(1, 1, hidden_dim))") Parameter class_token;}). Its dotted name is its
 * {@code state_dict} key ({@code class_token}, {@code encoder.pos_embedding}, {@code features.1.0.layer_scale}); a
 * module's own parameters come before its children's in the {@code state_dict}, as in PyTorch.
 *
 * <p>Read-only during {@code forward}: the generated code reads {@link #value()} and never writes into it. Loading
 * replaces the whole tensor.
 */
public final class Parameter {
    private enum Fill { CONSTANT, NORMAL, UNIFORM }

    private final String name;
    private final long[] shape;
    private final Fill fill;
    private final double a;
    private final double b;
    private volatile INDArray value;

    private Parameter(String name, long[] shape, Fill fill, double a, double b) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = shape.clone();
        this.fill = fill;
        this.a = a;
        this.b = b;
        for (long size : shape) {
            if (size <= 0) {
                throw new IllegalArgumentException(name + ": every size must be positive: " + Arrays.toString(shape));
            }
        }
    }

    /** A parameter that starts at {@code value} everywhere ({@code torch.zeros}, {@code torch.ones(...) * k}). */
    public static Parameter constant(String name, double value, long... shape) {
        return new Parameter(name, shape, Fill.CONSTANT, value, 0);
    }

    /** A parameter drawn from a normal distribution ({@code torch.empty(...).normal_(std=0.02)}). */
    public static Parameter normal(String name, double mean, double std, long... shape) {
        return new Parameter(name, shape, Fill.NORMAL, mean, std);
    }

    /** A parameter drawn uniformly from {@code [low, high)} ({@code torch.rand}, {@code .uniform_(a, b)}). */
    public static Parameter uniform(String name, double low, double high, long... shape) {
        return new Parameter(name, shape, Fill.UNIFORM, low, high);
    }

    /** The dotted name, its {@code state_dict} key. */
    public String name() {
        return name;
    }

    /** The last part of the name: its attribute name in its module ({@code class_token}). */
    public String key() {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Its shape, in PyTorch's layout. */
    public long[] shape() {
        return shape.clone();
    }

    /** The current tensor; {@code null} before initialisation or loading. */
    public INDArray value() {
        return value;
    }

    /** Replaces the tensor, which must have this parameter's shape. */
    public void set(INDArray tensor) {
        Objects.requireNonNull(tensor, name);
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IllegalArgumentException(name + ": expected shape " + Arrays.toString(shape) + ", found "
                    + Arrays.toString(tensor.shape()));
        }
        this.value = tensor;
    }

    /** Fills it as its module expression says, from {@code random}: reproducible for one seed. */
    void initialize(SplittableRandom random) {
        long count = 1;
        for (long size : shape) {
            count = Math.multiplyExact(count, size);
        }
        if (fill == Fill.CONSTANT) {
            set(Nd4j.valueArrayOf(shape, a, DataType.FLOAT));
            return;
        }
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (fill == Fill.NORMAL ? a + b * random.nextGaussian() : a + (b - a) * random.nextDouble());
        }
        set(Nd4j.create(values, shape, 'c'));
    }

    @Override
    public String toString() {
        return name + ": Parameter" + Arrays.toString(shape);
    }
}
