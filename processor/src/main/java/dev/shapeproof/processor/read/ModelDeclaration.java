package dev.shapeproof.processor.read;

import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.ModuleClass;
import dev.shapeproof.processor.sizes.FreeSizeDeclaration;
import dev.shapeproof.sizes.SizeValues;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code @Model} class as read: its modules and forward, and its inputs with their declared shapes.
 *
 * @param freeSizes the inputs' free sizes ({@code dims = "3, H, W"}), or {@code null} for a fixed-size model; the
 *     inputs' shapes then hold 1 for every free size, and {@link #at} gives the declaration at given sizes
 */
public record ModelDeclaration(ModuleClass modelClass, List<GraphInput> inputs, FreeSizeDeclaration freeSizes) {
    public ModelDeclaration {
        inputs = List.copyOf(inputs);
    }

    public ModelDeclaration(ModuleClass modelClass, List<GraphInput> inputs) {
        this(modelClass, inputs, null);
    }

    /** This declaration with every free size at {@code sizes}: a fixed-size model the compiler checks as any. */
    public ModelDeclaration at(SizeValues sizes) {
        List<GraphInput> fixed = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            GraphInput input = inputs.get(i);
            fixed.add(new GraphInput(input.value(), freeSizes.shapeAt(i, sizes), input.location()));
        }
        return new ModelDeclaration(modelClass, fixed, freeSizes);
    }
}
