package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 2-D average pooling, as PyTorch's {@code nn.AvgPool2d}; the field's type is {@code AvgPool2dLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AvgPool2d {
    int[] kernel();

    /** Omitted: the kernel size, as in PyTorch. */
    int[] stride() default {};

    /** Implicit zero padding; at most half the kernel. */
    int[] padding() default 0;

    boolean ceilMode() default false;

    /** Whether the zero padding counts in the divisor. */
    boolean countIncludePad() default true;
}
