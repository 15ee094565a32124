package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import javax.tools.JavaFileObject;

/**
 * The forward-DSL examples of the {@code examples} module, copied here (without their javadoc and imports) so the
 * processor's tests can compile them and break them. Keep them in step with
 * {@code examples/src/main/java/dev/shapeproof/examples/}.
 */
final class DslExamples {
    private DslExamples() {}

    /** The seed's MNIST network with its functional forward. DSL line 3 is the view. */
    static final String SEED_NET = """
            @Model(input = {1, 28, 28}, forward = \"""
                    x = relu(max_pool2d(conv1(x), 2))
                    x = relu(max_pool2d(conv2_drop(conv2(x)), 2))
                    x = x.view(-1, 320)
                    x = relu(fc1(x))
                    x = dropout(x)
                    return log_softmax(fc2(x), dim=1)
                    \""")
            public abstract class SeedNet {
                @Conv2d(in = 1, out = 10, kernel = 5)  Conv2dLayer conv1;
                @Conv2d(in = 10, out = 20, kernel = 5) Conv2dLayer conv2;
                @Dropout2d                             Dropout2dLayer conv2_drop;
                @Linear(in = 320, out = 50)            LinearLayer fc1;
                @Linear(in = 50, out = 10)             LinearLayer fc2;
            }
            """;

    /** DeepLabv3's ASPP head. DSL line 7 upsamples the image-pooling branch, line 8 concatenates the five branches. */
    static final String ASPP_HEAD = """
            @Model(input = {64, 33, 33}, forward = \"""
                    b0 = relu(bn0(conv0(x)))
                    b1 = relu(bn1(conv1(x)))
                    b2 = relu(bn2(conv2(x)))
                    b3 = relu(bn3(conv3(x)))
                    pooled = adaptive_avg_pool2d(x, 1)
                    b4 = relu(bn_pool(conv_pool(pooled)))
                    b4 = interpolate(b4, size=(33, 33), mode='bilinear', align_corners=False)
                    y = cat([b0, b1, b2, b3, b4], dim=1)
                    return relu(bn_project(project(y)))
                    \""")
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
            """;

    /**
     * A small ResNet pasted from torchvision's BasicBlock. DSL line 9 is block 2's downsample of the identity, line
     * 12 its residual add (blank lines count).
     */
    static final String SMALL_RES_NET = """
            @Model(input = {3, 32, 32}, forward = \"""
                    x = F.relu(self.bn1(self.conv1(x)))

                    identity = x
                    out = F.relu(self.block1_bn1(self.block1_conv1(x)))
                    out = self.block1_bn2(self.block1_conv2(out))
                    out += identity
                    x = F.relu(out)

                    identity = self.block2_down_bn(self.block2_down(x))
                    out = F.relu(self.block2_bn1(self.block2_conv1(x)))
                    out = self.block2_bn2(self.block2_conv2(out))
                    out += identity
                    x = F.relu(out)

                    x = torch.flatten(self.pool(x), 1)
                    return self.fc(x)
                    \""")
            public abstract class SmallResNet {
                @Conv2d(out = 16, kernel = 3, padding = 1, bias = false)            Conv2dLayer conv1;
                @BatchNorm2d                                                        BatchNorm2dLayer bn1;
                @Conv2d(out = 16, kernel = 3, padding = 1, bias = false)            Conv2dLayer block1_conv1;
                @BatchNorm2d                                                        BatchNorm2dLayer block1_bn1;
                @Conv2d(out = 16, kernel = 3, padding = 1, bias = false)            Conv2dLayer block1_conv2;
                @BatchNorm2d                                                        BatchNorm2dLayer block1_bn2;
                @Conv2d(out = 32, kernel = 3, stride = 2, padding = 1, bias = false) Conv2dLayer block2_conv1;
                @BatchNorm2d                                                        BatchNorm2dLayer block2_bn1;
                @Conv2d(out = 32, kernel = 3, padding = 1, bias = false)            Conv2dLayer block2_conv2;
                @BatchNorm2d                                                        BatchNorm2dLayer block2_bn2;
                @Conv2d(in = 16, out = 32, kernel = 1, stride = 2, bias = false)    Conv2dLayer block2_down;
                @BatchNorm2d                                                        BatchNorm2dLayer block2_down_bn;
                @AdaptiveAvgPool2d(output = 1)                                      AdaptiveAvgPool2dLayer pool;
                @Linear(in = 32, out = 10)                                          LinearLayer fc;
            }
            """;

    /** Two inputs, two outputs. DSL line 3 concatenates the encoded image and mask. */
    static final String IMAGE_AND_MASK = """
            @Model(inputs = {@Input(name = "image", shape = {3, 32, 32}), @Input(name = "mask", shape = {1, 32, 32})},
                    forward = \"""
                    features = relu(image_conv(image))
                    guide = sigmoid(mask_conv(mask))
                    both = cat([features, guide], dim=1)
                    segmentation = fuse(both)
                    pooled = adaptive_avg_pool2d(both, 1).flatten(1)
                    scores = classifier(pooled)
                    return segmentation, scores
                    \""")
            public abstract class ImageAndMask {
                @Conv2d(out = 12, kernel = 3, padding = 1) Conv2dLayer image_conv;
                @Conv2d(out = 4, kernel = 3, padding = 1)  Conv2dLayer mask_conv;
                @Conv2d(out = 2, kernel = 1)               Conv2dLayer fuse;
                @Linear(in = 16, out = 5)                  LinearLayer classifier;
            }
            """;

    /** {@code example} as the source file {@code test.<name>}. */
    static JavaFileObject source(String name, String example) {
        return Sources.model(name, example.split("\n", -1));
    }

    /** {@code example} with {@code line} (a whole line, as written) replaced by {@code replacement}. */
    static String breakLine(String example, String line, String replacement) {
        assertWithMessage("the example has the line to break").that(example).contains(line + "\n");
        return example.replace(line + "\n", replacement.isEmpty() ? "" : replacement + "\n");
    }
}
