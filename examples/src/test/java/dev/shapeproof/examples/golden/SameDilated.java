package dev.shapeproof.examples.golden;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Model;
import dev.shapeproof.Padding;
import dev.shapeproof.nn.Conv2dLayer;

/**
 * Golden model {@code SameDilated} (tools/golden/make_golden.py): {@code padding='same'} with dilation 3, then with an
 * even 4×2 kernel (totals 3 and 1: the odd row and column go bottom/right), then {@code 'valid'}, on a non-square
 * input.
 */
@Model(input = {3, 17, 12})
public abstract class SameDilated {
    @Conv2d(out = 6, kernel = 3, dilation = 3, autoPad = Padding.SAME)   Conv2dLayer conv1;
    @Conv2d(out = 6, kernel = {4, 2}, autoPad = Padding.SAME)            Conv2dLayer conv2;
    @Conv2d(in = 6, out = 4, kernel = 3, autoPad = Padding.VALID)        Conv2dLayer conv3;
}
