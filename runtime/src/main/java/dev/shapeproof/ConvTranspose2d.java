package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A transposed 2-D convolution over {@code [N, C, H, W]}, the upsampling convolution of decoders, as PyTorch's
 * {@code nn.ConvTranspose2d}; the field's type is {@code ConvTranspose2dLayer}. The output size is
 * {@code (i − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1}.
 *
 * <p>Int-array attributes take one value for both axes or {@code {h, w}}. Parameters: {@code weight}
 * {@code [in, out/groups, kH, kW]} and, with {@code bias}, {@code bias [out]}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ConvTranspose2d {
    /** Input channels. Omitted: inferred from the previous layer; given: checked. */
    int in() default 0;

    /** Output channels. */
    int out();

    /** Kernel size, {@code k} or {@code {kH, kW}}. */
    int[] kernel();

    int[] stride() default 1;

    /** Crops {@code padding} from each side of the output, as PyTorch's. */
    int[] padding() default 0;

    /** Added to one side of the output, to pick among the sizes a strided input maps to; smaller than the stride. */
    int[] outputPadding() default 0;

    /** Channel groups: {@code in} and {@code out} must both be divisible by it. */
    int groups() default 1;

    boolean bias() default true;

    int[] dilation() default 1;
}
