package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a module field by the expression PyTorch's {@code __init__} assigns to it, so that its configuration can
 * depend on a block's parameters: {@code @Init("nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)")},
 * {@code @Init("downsample")}, {@code @Init("nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))")}.
 *
 * <p>The expression is Python: PyTorch's layer constructors with their parameter names ({@code nn.Conv2d},
 * {@code nn.BatchNorm2d}, …), blocks by class name, {@code nn.Sequential}, {@code nn.ModuleList},
 * {@code nn.ModuleDict}, {@code OrderedDict}, the block's parameters, arithmetic, conditional expressions, list and
 * dict comprehensions. {@code None} leaves the module out, as PyTorch registers nothing for it. The processor evaluates
 * it for every instance and checks the result as it checks a layer annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Init {
    /** The module expression. */
    String value();
}
