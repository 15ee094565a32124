package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Resizes images, as PyTorch's {@code nn.Upsample}: to {@code size}, or by {@code scaleFactor} (one of them), with
 * {@code mode} {@code "nearest"} or {@code "bilinear"}; the field's type is {@code UpsampleLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Upsample {
    /** The output's {@code {h, w}} (or one value for both); not with {@link #scaleFactor()}. */
    int[] size() default {};

    /** The factor height and width are multiplied by (the result floored); not with {@link #size()}. */
    double scaleFactor() default 0;

    /** {@code "nearest"} or {@code "bilinear"}. */
    String mode() default "nearest";

    /** For {@code "bilinear"}: whether the corner pixels of input and output align. */
    boolean alignCorners() default false;
}
