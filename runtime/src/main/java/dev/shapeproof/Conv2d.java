package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution over {@code [N, C, H, W]}, as PyTorch's {@code nn.Conv2d}; the field's type is {@code Conv2dLayer}.
 *
 * <p>Int-array attributes take one value for both axes or {@code {h, w}}. Parameters: {@code weight}
 * {@code [out, in/groups, kH, kW]} and, with {@code bias}, {@code bias [out]}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv2d {
    /** Input channels. Omitted: inferred from the previous layer (as {@code LazyConv2d}); given: checked. */
    int in() default 0;

    /** Output channels. */
    int out();

    /** Kernel size, {@code k} or {@code {kH, kW}}. */
    int[] kernel();

    int[] stride() default 1;

    /** Zero padding on both sides of each axis, {@code p} or {@code {pH, pW}}. */
    int[] padding() default 0;

    /**
     * PyTorch's {@code padding='same'} or {@code 'valid'}; not together with an explicit {@link #padding()}.
     */
    Padding autoPad() default Padding.EXPLICIT;

    /** Spacing between kernel taps; the dilated kernel spans {@code d·(k−1)+1} pixels. */
    int[] dilation() default 1;

    /** Channel groups: {@code in} and {@code out} must both be divisible by it. */
    int groups() default 1;

    boolean bias() default true;

    /**
     * How the padding is filled, as PyTorch's {@code padding_mode}: {@code "zeros"}, {@code "reflect"} (mirrored
     * without the edge; padding smaller than the input), {@code "replicate"} (the edge repeated) or {@code "circular"}
     * (wrapped around).
     */
    String paddingMode() default "zeros";
}
