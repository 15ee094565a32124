package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code max(0, x) + slope·min(0, x)}, as PyTorch's {@code nn.LeakyReLU}; the field's type is {@code LeakyReLULayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LeakyReLU {
    /** PyTorch's {@code negative_slope}. */
    double slope() default 0.01;

    /** Accepted for parity with PyTorch; see {@link ReLU#inplace()}. */
    boolean inplace() default false;
}
