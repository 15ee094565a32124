package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Group normalisation of {@code [N, C, *]}, as PyTorch's {@code nn.GroupNorm}: the channels split into {@code groups}
 * groups, each normalised per sample; the field's type is {@code GroupNormLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GroupNorm {
    /** The number of groups; it must divide {@link #channels()}. */
    int groups();

    /** The input channels. */
    int channels();

    double eps() default 1e-5;

    boolean affine() default true;
}
