package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flattens dimensions {@code startDim..endDim} into one, as PyTorch's {@code nn.Flatten}; the field's type is
 * {@code FlattenLayer}. Dimensions count the batch as 0 and may be negative (from the end).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Flatten {
    /** The first dimension to flatten; the batch (0) stays free, so at least 1. */
    int startDim() default 1;

    int endDim() default -1;
}
