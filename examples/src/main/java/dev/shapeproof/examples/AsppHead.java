package dev.shapeproof.examples;

import dev.shapeproof.BatchNorm2d;
import dev.shapeproof.Conv2d;
import dev.shapeproof.Model;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;

/**
 * DeepLabv3's atrous spatial pyramid pooling head (Chen et al., 2017): a 1×1 branch, three 3×3 branches dilated by
 * 6, 12 and 18 (each padded by its rate, so all keep the 33×33 map), and an image-pooling branch that averages the map
 * to 1×1 and upsamples it back bilinearly; the five are concatenated and projected by a 1×1 convolution. Every
 * convolution is followed by BatchNorm and ReLU, as in torchvision's {@code ASPP}.
 */
@Model(input = {64, 33, 33}, forward = """
        b0 = relu(bn0(conv0(x)))
        b1 = relu(bn1(conv1(x)))
        b2 = relu(bn2(conv2(x)))
        b3 = relu(bn3(conv3(x)))
        pooled = adaptive_avg_pool2d(x, 1)
        b4 = relu(bn_pool(conv_pool(pooled)))
        b4 = interpolate(b4, size=(33, 33), mode='bilinear', align_corners=False)
        y = cat([b0, b1, b2, b3, b4], dim=1)
        return relu(bn_project(project(y)))
        """)
public abstract class AsppHead {
    @Conv2d(out = 32, kernel = 1, bias = false)                             Conv2dLayer conv0;
    @BatchNorm2d                                                            BatchNorm2dLayer bn0;
    @Conv2d(out = 32, kernel = 3, padding = 6, dilation = 6, bias = false)   Conv2dLayer conv1;
    @BatchNorm2d                                                            BatchNorm2dLayer bn1;
    @Conv2d(out = 32, kernel = 3, padding = 12, dilation = 12, bias = false) Conv2dLayer conv2;
    @BatchNorm2d                                                            BatchNorm2dLayer bn2;
    @Conv2d(out = 32, kernel = 3, padding = 18, dilation = 18, bias = false) Conv2dLayer conv3;
    @BatchNorm2d                                                            BatchNorm2dLayer bn3;
    @Conv2d(out = 32, kernel = 1, bias = false)                             Conv2dLayer conv_pool;
    @BatchNorm2d                                                            BatchNorm2dLayer bn_pool;
    @Conv2d(in = 160, out = 32, kernel = 1, bias = false)                   Conv2dLayer project;
    @BatchNorm2d                                                            BatchNorm2dLayer bn_project;
}
