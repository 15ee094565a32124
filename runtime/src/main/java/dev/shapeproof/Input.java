package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One named input of a {@link Model} with several inputs. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Input {
    /** The name the forward text uses, and the generated {@code forward}'s parameter name. */
    String name();

    /** The shape of one sample, without the batch dimension. */
    int[] shape() default {};

    /**
     * The shape of one sample with free sizes, instead of {@link #shape()}: {@code "1, H, W"}; see
     * {@link Model#dims()}.
     */
    String dims() default "";
}
