package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code max(0, x)}, as PyTorch's {@code nn.ReLU}; the field's type is {@code ReLULayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ReLU {
    /**
     * Accepted for parity with PyTorch. The generated forward decides in-place execution itself, from the last use of
     * each value; it never overwrites a tensor that is still needed.
     */
    boolean inplace() default false;
}
