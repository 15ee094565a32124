package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x·min(max(x + 3, 0), 6)/6}, as PyTorch's {@code nn.Hardswish} (MobileNetV3); the field's type is
 * {@code HardswishLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Hardswish {
    /**
     * Accepted for parity with PyTorch, and followed as PyTorch's aliasing is: after an in-place call every variable
     * that held the input sees the result. What the generated code overwrites is decided from liveness.
     */
    boolean inplace() default false;
}
