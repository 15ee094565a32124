package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Log-softmax along {@code dim}, as PyTorch's {@code nn.LogSoftmax}; the field's type is {@code LogSoftmaxLayer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LogSoftmax {
    /** The dimension, counting the batch as 0; negative counts from the end. */
    int dim();
}
