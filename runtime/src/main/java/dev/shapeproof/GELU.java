package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Gaussian error linear unit, as PyTorch's {@code nn.GELU}; the field's type is {@code GELULayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GELU {
    /** {@code "none"} (the exact erf form) or {@code "tanh"}, as PyTorch's {@code approximate}. */
    String approximate() default "none";
}
