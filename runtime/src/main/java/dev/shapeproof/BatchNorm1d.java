package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalisation of {@code [N, C]} or {@code [N, C, L]} over each of its {@code C} features, as PyTorch's
 * {@code nn.BatchNorm1d}, with running statistics; the field's type is {@code BatchNorm1dLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface BatchNorm1d {
    /** Input features. Omitted: inferred from the input; given: checked. */
    int features() default 0;

    double eps() default 1e-5;

    double momentum() default 0.1;

    boolean affine() default true;
}
