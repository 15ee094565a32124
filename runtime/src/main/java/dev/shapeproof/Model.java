package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a neural network: an abstract class whose annotated fields are its layers (modules).
 *
 * <p>The processor proves every shape at compile time and generates {@code <Name>Model} in the same package, which
 * extends the annotated class and fills its fields. A wrong model is a compiler error on the attribute to edit.
 *
 * <pre>{@code
 * @Model(input = {1, 28, 28}, forward = """
 *         x = relu(max_pool2d(conv1(x), 2))
 *         ...
 *         return log_softmax(fc2(x), dim=1)
 *         """)
 * abstract class Net {
 *     @Conv2d(in = 1, out = 10, kernel = 5) Conv2dLayer conv1;
 *     ...
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Model {
    /**
     * The shape of one sample of the single input {@code x}, without the batch dimension: {@code {C, H, W}} for
     * images or {@code {F}} for feature vectors. The batch dimension is always free and shows as {@code -1}.
     */
    int[] input() default {};

    /**
     * Several named inputs instead of {@link #input()}: {@code forward(INDArray image, INDArray mask)} in this order.
     */
    Input[] inputs() default {};

    /**
     * The single input's sample shape with free sizes, instead of {@link #input()}: {@code "3, H, W"} for RGB images
     * of any height and width, {@code "3, S, S"} for square ones. Channels are fixed; a name stands for a free height
     * or width, and inputs that use the same name share it (an image and its mask). The processor derives exactly
     * which sizes the model admits; the generated forward accepts those and rejects the others.
     */
    String dims() default "";

    /**
     * Bounds on the free sizes of {@link #dims()} (or of the inputs' {@link Input#dims()}): {@code "H >= 32, W <= 1024"},
     * {@code "64 <= H <= 512"}. Without an upper bound a free size is at most 65,536.
     */
    String sizes() default "";

    /**
     * The forward pass in PyTorch's syntax (a documented subset: assignments, module and functional calls, {@code +},
     * {@code cat}, {@code view}, {@code return}). Empty: the layer fields run in declaration order, as a
     * {@code Sequential}.
     */
    String forward() default "";

    /**
     * What the model's {@code __init__} computes before it builds its modules, in Python: assignments,
     * {@code if}, {@code for} and calls such as {@code features.append(...)} (torchvision builds its layer lists in
     * loops). Each name is then visible to the fields' {@link Init} expressions and, as {@code self.<name>}, to the
     * forward. See {@link Block#init()}.
     */
    String init() default "";
}
