package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Softmax along {@code dim}, as PyTorch's {@code nn.Softmax}; the field's type is {@code SoftmaxLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Softmax {
    /** The dimension, counting the batch as 0; negative counts from the end. */
    int dim();
}
