package dev.shapeproof.examples.golden;

import dev.shapeproof.AvgPool2d;
import dev.shapeproof.Conv2d;
import dev.shapeproof.MaxPool2d;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AvgPool2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.MaxPool2dLayer;

/**
 * Golden model {@code CeilPool} (tools/golden/make_golden.py): heights 13 → 14 → 12 → 7 → 4 → 3 → 2 → 2, widths
 * 27 → 28 → 26 → 14 → 8 → 5 → 3 → 2. Every ceil-mode pool gets one more output than floor on some axis, with a last
 * window past the input (for {@code avgPoolPad}, past the padding too: the divisor rule); {@code dropPool} on width 3
 * is PyTorch's dropped last window (ceil alone would give 3).
 */
@Model(input = {3, 13, 27})
public abstract class CeilPool {
    @Conv2d(out = 8, kernel = 2, padding = 1)                                   Conv2dLayer conv;
    @MaxPool2d(kernel = 2, stride = 1, dilation = 2)                            MaxPool2dLayer dilatedPool;
    @MaxPool2d(kernel = 3, stride = 2, padding = 1, ceilMode = true)            MaxPool2dLayer maxPool;
    @AvgPool2d(kernel = 3, stride = 2, padding = 1, ceilMode = true)            AvgPool2dLayer avgPoolPad;
    @AvgPool2d(kernel = 3, stride = 2, padding = 1, ceilMode = true, countIncludePad = false)
                                                                                AvgPool2dLayer avgPoolNoPad;
    @AvgPool2d(kernel = 2, ceilMode = true)                                     AvgPool2dLayer avgPool2;
    @MaxPool2d(kernel = 2, stride = 2, padding = 1, ceilMode = true)            MaxPool2dLayer dropPool;
}
