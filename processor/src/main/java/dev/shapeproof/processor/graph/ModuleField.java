package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.op.OpDefinition;
import javax.lang.model.element.VariableElement;

/**
 * A module field of a model or block, as declared: a layer annotation with literal attributes
 * ({@code @Conv2d(out = 16, kernel = 3)}), or a module expression evaluated with the block's arguments
 * ({@code @Init("nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)")}).
 */
public sealed interface ModuleField permits ModuleField.LayerField, ModuleField.InitField {
    /** The field's name: the module's name in its parent and in the {@code state_dict}. */
    String name();

    VariableElement element();

    /** A field with a layer annotation. */
    record LayerField(String name, VariableElement element, OpDefinition<?> op, Attributes attributes,
            Location location) implements ModuleField {}

    /**
     * A field initialised by a module expression.
     *
     * @param expression the {@code @Init} text
     * @param location the {@code @Init} value
     */
    record InitField(String name, VariableElement element, String expression, Location location)
            implements ModuleField {}
}
