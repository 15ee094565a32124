package dev.shapeproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a block: the counterpart of a PyTorch {@code nn.Module} subclass with constructor arguments, written once
 * and used, with its own arguments each time, as a field of a model or of another block, or inside a container.
 *
 * <p>The class is abstract and extends {@code dev.shapeproof.nn.NnModule} (PyTorch's {@code nn.Module}; the name
 * keeps clear of {@code java.lang.Module}), or {@code Sequential}, {@code ModuleList} or {@code ModuleDict}, as its
 * PyTorch class extends {@code nn.Module} or a container. Its fields are its modules,
 * registered in declaration order; a field's {@link Init} expression reads the block's parameters, as
 * {@code __init__} does. The processor checks every instance with its own arguments and input shapes.
 *
 * <pre>{@code
 * @Block(params = "inplanes: int, planes: int, stride: int = 1, downsample = None", forward = """
 *         identity = x
 *         out = self.relu(self.bn1(self.conv1(x)))
 *         out = self.bn2(self.conv2(out))
 *         if self.downsample is not None:
 *             identity = self.downsample(x)
 *         out += identity
 *         return self.relu(out)
 *         """)
 * abstract class BasicBlock extends NnModule {
 *     @Init("nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)") Conv2dLayer conv1;
 *     @BatchNorm2d                                                    BatchNorm2dLayer bn1;
 *     @ReLU(inplace = true)                                           ReLULayer relu;
 *     @Init("nn.Conv2d(planes, planes, 3, 1, 1, bias=False)")         Conv2dLayer conv2;
 *     @BatchNorm2d                                                    BatchNorm2dLayer bn2;
 *     @Init("downsample")                                             NnModule downsample;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Block {
    /**
     * The constructor's parameters after {@code self}, as Python writes them: names, optional type annotations and
     * defaults ({@code "inplanes: int, planes: int, stride: int = 1, downsample = None"}). Instances pass arguments
     * by position or keyword, with Python's binding rules.
     */
    String params() default "";

    /**
     * The forward pass in PyTorch's syntax, reading the block's modules and parameters as {@code self.<name>}. The
     * input is {@code x} unless the text starts with {@code def forward(self, ...):}. Empty: a block that extends
     * {@code Sequential} runs its children in order; other blocks must have one.
     */
    String forward() default "";

    /**
     * Modules registered after the fields, as a container's {@code __init__} adds them: a list
     * ({@code "[nn.Conv2d(...), nn.BatchNorm2d(out), nn.ReLU()]"}, keyed {@code 0}, {@code 1}, …) or a dict
     * ({@code "{'denselayer%d' % (i + 1): DenseLayer(...) for i in range(num_layers)}"}). For blocks that extend a
     * container.
     */
    String children() default "";

    /**
     * What {@code __init__} computes before it builds the modules, in Python: assignments to a name or to
     * {@code self.<name>}, {@code if}/{@code elif}/{@code else}, {@code for} loops, calls for their effect
     * ({@code layers.append(...)}) and {@code pass}, run after the parameters are bound
     * ({@code "hidden_dim = int(round(inp * expand_ratio))\nself.use_res_connect = stride == 1 and inp == oup"}). Each
     * name is then visible to the fields' {@link Init} expressions and, as {@code self.<name>}, to the forward, as a
     * parameter is.
     */
    String init() default "";

    /**
     * The class name PyTorch and torchsummary show, when it differs from the Java class's simple name
     * ({@code "_DenseLayer"}).
     */
    String pytorchName() default "";
}
