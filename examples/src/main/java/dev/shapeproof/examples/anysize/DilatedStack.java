package dev.shapeproof.examples.anysize;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Model;
import dev.shapeproof.Padding;
import dev.shapeproof.ReLU;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ReLULayer;

/**
 * The dilated stack of {@link dev.shapeproof.examples.DilatedStack} (3×3 convolutions, d = 1, 2, 4, 8, PyTorch's
 * {@code padding='same'}) on RGB images of any height and width, from 16 on: a declared bound.
 */
@Model(dims = "3, H, W", sizes = "H >= 16, W >= 16")
public abstract class DilatedStack {
    @Conv2d(out = 32, kernel = 3, autoPad = Padding.SAME)               Conv2dLayer conv1;
    @ReLU                                                               ReLULayer relu1;
    @Conv2d(out = 32, kernel = 3, dilation = 2, autoPad = Padding.SAME) Conv2dLayer conv2;
    @ReLU                                                               ReLULayer relu2;
    @Conv2d(out = 32, kernel = 3, dilation = 4, autoPad = Padding.SAME) Conv2dLayer conv3;
    @ReLU                                                               ReLULayer relu3;
    @Conv2d(out = 32, kernel = 3, dilation = 8, autoPad = Padding.SAME) Conv2dLayer conv4;
    @ReLU                                                               ReLULayer relu4;
}
