package dev.shapeproof.nn;

import dev.shapeproof.sizes.AdmissibleSizes;
import dev.shapeproof.sizes.LruCache;
import dev.shapeproof.sizes.Size;
import dev.shapeproof.sizes.SizePlan;
import dev.shapeproof.sizes.SizeValues;
import dev.shapeproof.sizes.SymbolicShape;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The check a free-size model's forward makes of its inputs: dtype, rank and fixed sizes as {@link Inputs} checks
 * them, free sizes read from the arrays (the same name means the same size, in every input), and those sizes admitted
 * by the model. Its {@link SizePlan} per size is cached: the {@link LruCache#DEFAULT_CAPACITY} sizes used most
 * recently are kept, the least recently used is dropped first.
 */
public final class FreeSizeInputs {
    private final String model;
    private final AdmissibleSizes admissible;
    private final List<String> names;
    private final List<SymbolicShape> shapes;
    private final LruCache<SizeValues, SizePlan> plans = new LruCache<>(LruCache.DEFAULT_CAPACITY);

    private FreeSizeInputs(String model, AdmissibleSizes admissible, List<String> names, List<SymbolicShape> shapes) {
        this.model = model;
        this.admissible = admissible;
        this.names = List.copyOf(names);
        this.shapes = List.copyOf(shapes);
    }

    /** The inputs {@code names} of {@code model}, with their shapes in free sizes. */
    public static FreeSizeInputs of(String model, AdmissibleSizes admissible, List<String> names,
            List<SymbolicShape> shapes) {
        return new FreeSizeInputs(model, admissible, names, shapes);
    }

    /**
     * The plan of the inputs' sizes.
     *
     * @throws IllegalArgumentException naming the input, what was expected and what was found: a wrong dtype, rank or
     *     fixed size, two values for one free size, or sizes the model does not admit (with the admissible sizes and
     *     the nearest ones)
     */
    public SizePlan check(INDArray... inputs) {
        int[] values = new int[admissible.names().size()];
        boolean[] seen = new boolean[values.length];
        for (int i = 0; i < inputs.length; i++) {
            read(names.get(i), inputs[i], shapes.get(i), values, seen);
        }
        SizeValues sizes = SizeValues.of(admissible.names(), values);
        return plans.get(sizes, key -> new SizePlan(admissible.require(model + ": the input size", key)));
    }

    private void read(String name, INDArray input, SymbolicShape expected, int[] values, boolean[] seen) {
        if (input == null) {
            throw new IllegalArgumentException(name + ": expected a " + expected + " array, found null");
        }
        long[] actual = input.shape();
        if (input.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + ": expected float32, found " + input.dataType() + " "
                    + Arrays.toString(actual) + "; convert it with input.castTo(DataType.FLOAT)");
        }
        if (actual.length != expected.rank() || actual[0] < 1) {
            String fix = actual.length == expected.rank() - 1 ? ": add a batch dimension" : "";
            throw new IllegalArgumentException(name + ": expected shape " + expected + " (any batch size), found "
                    + Arrays.toString(actual) + fix);
        }
        for (int axis = 1; axis < actual.length; axis++) {
            Size size = expected.dim(axis);
            if (size instanceof Size.Constant constant) {
                if (actual[axis] != constant.value()) {
                    throw new IllegalArgumentException(name + ": expected shape " + expected
                            + " (any batch size), found " + Arrays.toString(actual) + " (axis " + axis + ")");
                }
                continue;
            }
            String symbol = ((Size.Symbol) size).name();
            int index = admissible.names().indexOf(symbol);
            if (actual[axis] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": " + symbol + " = " + actual[axis] + " is beyond any size");
            }
            if (seen[index] && values[index] != actual[axis]) {
                throw new IllegalArgumentException(name + ": expected shape " + expected + ", found "
                        + Arrays.toString(actual) + ": " + symbol + " is " + values[index] + " elsewhere and "
                        + actual[axis] + " here, but one name is one size");
            }
            values[index] = (int) actual[axis];
            seen[index] = true;
        }
    }
}
