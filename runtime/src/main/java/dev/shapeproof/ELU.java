package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x} where positive, else {@code alpha·(eˣ − 1)}, as PyTorch's {@code nn.ELU}; the field's type is
 * {@code ELULayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ELU {
    double alpha() default 1.0;

    /**
     * Accepted for parity with PyTorch, and followed as PyTorch's aliasing is: after an in-place call every variable
     * that held the input sees the result. What the generated code overwrites is decided from liveness.
     */
    boolean inplace() default false;
}
