package dev.shapeproof.examples;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Model;
import dev.shapeproof.ReLU;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ReLULayer;

/**
 * Yu &amp; Koltun's basic context module ("Multi-scale context aggregation by dilated convolutions", ICLR 2016):
 * 3×3 convolutions with dilation 1, 1, 2, 4, 8, 16, 1, each padded by its dilation so the map keeps its size, then a
 * 1×1 output layer. The receptive field grows to 67×67 while the parameters grow only linearly. 21 channels: one per
 * PASCAL VOC class, the module's input being a segmentation front-end's class scores.
 */
@Model(input = {21, 64, 64})
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
