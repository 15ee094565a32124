package dev.shapeproof.examples.anysize;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Model;
import dev.shapeproof.ReLU;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ReLULayer;

/**
 * Yu &amp; Koltun's basic context module, as {@link dev.shapeproof.examples.ContextModule}, on class scores of any
 * height and width: every convolution is padded by its dilation, so the map keeps its size and every size is
 * admissible (the processor derives "any H; any W").
 */
@Model(dims = "21, H, W")
public abstract class ContextModule {
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
