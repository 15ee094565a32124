package dev.shapeproof.examples.golden;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Model;
import dev.shapeproof.ReLU;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ReLULayer;

/**
 * Golden model {@code DilatedStack} (tools/golden/make_golden.py): 3×3 convolutions with dilation 1, 2, 4, 8 and an
 * explicit padding equal to the dilation, so every layer keeps 32×32. Not the example {@code DilatedStack}, which uses
 * {@code padding='same'} on 128×128.
 */
@Model(input = {3, 32, 32})
public abstract class DilatedStack {
    @Conv2d(in = 3, out = 8, kernel = 3, padding = 1, dilation = 1) Conv2dLayer conv1;
    @ReLU                                                          ReLULayer relu1;
    @Conv2d(out = 8, kernel = 3, padding = 2, dilation = 2)         Conv2dLayer conv2;
    @ReLU                                                          ReLULayer relu2;
    @Conv2d(out = 8, kernel = 3, padding = 4, dilation = 4)         Conv2dLayer conv3;
    @ReLU                                                          ReLULayer relu3;
    @Conv2d(in = 8, out = 8, kernel = 3, padding = 8, dilation = 8) Conv2dLayer conv4;
    @ReLU                                                          ReLULayer relu4;
}
