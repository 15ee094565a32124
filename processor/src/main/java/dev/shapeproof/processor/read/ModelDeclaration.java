package dev.shapeproof.processor.read;

import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.ModuleClass;
import java.util.List;

/** A {@code @Model} class as read: its modules and forward, and its inputs with their declared shapes. */
public record ModelDeclaration(ModuleClass modelClass, List<GraphInput> inputs) {
    public ModelDeclaration {
        inputs = List.copyOf(inputs);
    }
}
