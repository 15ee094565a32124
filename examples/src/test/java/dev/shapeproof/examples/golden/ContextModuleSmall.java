package dev.shapeproof.examples.golden;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Model;
import dev.shapeproof.ReLU;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ReLULayer;

/**
 * Golden model {@code ContextModuleSmall} (tools/golden/make_golden.py): the example
 * {@link dev.shapeproof.examples.ContextModule}, the same layers and field names, on 21×20×20 instead of 21×64×64 so
 * that its golden files stay small. ctx6's taps, 16 pixels from the centre, still fall inside the map for its outer
 * rows and columns.
 */
@Model(input = {21, 20, 20})
public abstract class ContextModuleSmall {
    @Conv2d(out = 21, kernel = 3, padding = 1)                 Conv2dLayer ctx1;
    @ReLU                                                      ReLULayer relu1;
    @Conv2d(out = 21, kernel = 3, padding = 1)                 Conv2dLayer ctx2;
    @ReLU                                                      ReLULayer relu2;
    @Conv2d(out = 21, kernel = 3, padding = 2, dilation = 2)   Conv2dLayer ctx3;
    @ReLU                                                      ReLULayer relu3;
    @Conv2d(out = 21, kernel = 3, padding = 4, dilation = 4)   Conv2dLayer ctx4;
    @ReLU                                                      ReLULayer relu4;
    @Conv2d(out = 21, kernel = 3, padding = 8, dilation = 8)   Conv2dLayer ctx5;
    @ReLU                                                      ReLULayer relu5;
    @Conv2d(out = 21, kernel = 3, padding = 16, dilation = 16) Conv2dLayer ctx6;
    @ReLU                                                      ReLULayer relu6;
    @Conv2d(out = 21, kernel = 3, padding = 1)                 Conv2dLayer ctx7;
    @ReLU                                                      ReLULayer relu7;
    @Conv2d(out = 21, kernel = 1)                              Conv2dLayer output;
}
