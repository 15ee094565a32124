package dev.shapeproof.examples;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Dropout;
import dev.shapeproof.Dropout2d;
import dev.shapeproof.Flatten;
import dev.shapeproof.Linear;
import dev.shapeproof.LogSoftmax;
import dev.shapeproof.MaxPool2d;
import dev.shapeproof.Model;
import dev.shapeproof.ReLU;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.Dropout2dLayer;
import dev.shapeproof.nn.DropoutLayer;
import dev.shapeproof.nn.FlattenLayer;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.LogSoftmaxLayer;
import dev.shapeproof.nn.MaxPool2dLayer;
import dev.shapeproof.nn.ReLULayer;

/**
 * The seed's MNIST network (PyTorch's classic example), written as a sequential model: every functional call of its
 * forward ({@code relu}, {@code max_pool2d}, {@code view}) is a layer field here. The forward-DSL version keeps them
 * functional, as the seed writes them.
 */
@Model(input = {1, 28, 28})
public abstract class Net {
    @Conv2d(in = 1, out = 10, kernel = 5)  Conv2dLayer conv1;
    @MaxPool2d(kernel = 2)                 MaxPool2dLayer pool1;
    @ReLU                                  ReLULayer relu1;
    @Conv2d(in = 10, out = 20, kernel = 5) Conv2dLayer conv2;
    @Dropout2d                             Dropout2dLayer conv2_drop;
    @MaxPool2d(kernel = 2)                 MaxPool2dLayer pool2;
    @ReLU                                  ReLULayer relu2;
    @Flatten                               FlattenLayer flatten;
    @Linear(in = 320, out = 50)            LinearLayer fc1;
    @ReLU                                  ReLULayer relu3;
    @Dropout                               DropoutLayer dropout;
    @Linear(in = 50, out = 10)             LinearLayer fc2;
    @LogSoftmax(dim = 1)                   LogSoftmaxLayer logSoftmax;
}
