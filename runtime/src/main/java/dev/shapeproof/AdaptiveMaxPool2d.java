package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Adaptive max pooling to a fixed output size, as PyTorch's {@code nn.AdaptiveMaxPool2d}; the field's type is
 * {@code AdaptiveMaxPool2dLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AdaptiveMaxPool2d {
    /** Output size, {@code s} or {@code {h, w}}. */
    int[] output();
}
