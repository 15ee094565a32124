package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code y = x·Wᵀ + b} on the last dimension of any rank, as PyTorch's {@code nn.Linear}; the field's type is
 * {@code LinearLayer}. Parameters {@code weight [out, in]} and, with {@code bias}, {@code bias [out]}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Linear {
    /** Input features. Omitted: inferred from the previous layer (as {@code LazyLinear}); given: checked. */
    int in() default 0;

    int out();

    boolean bias() default true;
}
