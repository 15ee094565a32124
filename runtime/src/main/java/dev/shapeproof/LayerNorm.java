package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Layer normalisation over the last axes, as PyTorch's {@code nn.LayerNorm}; the field's type is
 * {@code LayerNormLayer}. Parameters, with {@code elementwiseAffine}: {@code weight} and {@code bias} of {@code shape}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LayerNorm {
    /** The sizes of the normalized last axes, PyTorch's {@code normalized_shape}: {@code 768}, or {@code {H, W}}. */
    int[] shape();

    double eps() default 1e-5;

    boolean elementwiseAffine() default true;
}
