package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Adaptive average pooling to a fixed output size, as PyTorch's {@code nn.AdaptiveAvgPool2d}; the field's type is
 * {@code AdaptiveAvgPool2dLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AdaptiveAvgPool2d {
    /** Output size, {@code s} or {@code {h, w}}. */
    int[] output();
}
