package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 2-D max pooling, as PyTorch's {@code nn.MaxPool2d}; the field's type is {@code MaxPool2dLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MaxPool2d {
    int[] kernel();

    /** Omitted: the kernel size, as in PyTorch. */
    int[] stride() default {};

    /** Implicit −∞ padding; at most half the (undilated) kernel. */
    int[] padding() default 0;

    int[] dilation() default 1;

    /** Rounds the output size up; a last window that would start in the right padding is dropped. */
    boolean ceilMode() default false;
}
