package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Zeroes whole channels with probability {@code p} in training; the identity in eval mode. PyTorch's
 * {@code nn.Dropout2d}; the field's type is {@code Dropout2dLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dropout2d {
    double p() default 0.5;
}
