package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalisation over channels, as PyTorch's {@code nn.BatchNorm2d}; the field's type is {@code BatchNorm2dLayer}.
 *
 * <p>Parameters {@code weight} and {@code bias} (with {@code affine}); buffers {@code running_mean}, {@code running_var}
 * and {@code num_batches_tracked}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface BatchNorm2d {
    /** Channels. Omitted: inferred from the previous layer; given: checked. */
    int features() default 0;

    double eps() default 1e-5;

    double momentum() default 0.1;

    boolean affine() default true;
}
