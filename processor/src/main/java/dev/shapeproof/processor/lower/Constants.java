package dev.shapeproof.processor.lower;

import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * The class attributes of a block or model: its {@code static final} fields with constant values, as Python reads a
 * class attribute ({@code BasicBlock.expansion}, {@code self.patch_size}).
 */
final class Constants {
    private Constants() {}

    /** The value of {@code type}'s constant {@code name} as the DSL computes with it, or {@code null}. */
    static Object of(TypeElement type, String name) {
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (field.getSimpleName().contentEquals(name) && field.getConstantValue() != null
                    && field.getModifiers().contains(Modifier.STATIC)) {
                Object constant = field.getConstantValue();
                return constant instanceof Float f ? (Object) f.doubleValue()
                        : constant instanceof Long || constant instanceof Short || constant instanceof Byte
                                ? (Object) ((Number) constant).intValue() : constant;
            }
        }
        return null;
    }
}
