package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * torchvision's {@code StochasticDepth(p, mode)}: in training, drops a residual branch with probability {@code p}, for
 * each sample ({@code "row"}) or the whole batch ({@code "batch"}), scaling the kept ones by {@code 1/(1−p)}; the identity
 * in eval mode. The field's type is {@code StochasticDepthLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface StochasticDepth {
    /** The probability of dropping the branch, in training. */
    double p();

    /** {@code "row"} (one draw per sample) or {@code "batch"} (one draw for the whole batch). */
    String mode();
}
