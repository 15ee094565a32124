package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a neural network: an abstract class whose annotated fields are its layers, in source order.
 *
 * <p>The processor proves every layer's shapes at compile time and generates {@code <Name>Model} in the same package,
 * which extends the annotated class and fills its fields. A wrong model is a compiler error on the attribute to edit.
 *
 * <pre>{@code
 * @Model(input = {1, 28, 28})
 * abstract class Net {
 *     @Conv2d(out = 10, kernel = 5) Conv2dLayer conv1;
 *     ...
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Model {
    /**
     * The shape of one sample, without the batch dimension: {@code {C, H, W}} for images or {@code {F}} for feature
     * vectors. The batch dimension is always free and shows as {@code -1}.
     */
    int[] input() default {};
}
