package dev.shapeproof.examples;

import dev.shapeproof.Conv2d;
import dev.shapeproof.Dropout2d;
import dev.shapeproof.Linear;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.Dropout2dLayer;
import dev.shapeproof.nn.LinearLayer;

/**
 * The seed's MNIST network exactly as the seed writes it: five modules, and a forward that calls {@code relu},
 * {@code max_pool2d}, {@code view} and {@code dropout} as functions. Its summary has the seed's five rows.
 */
@Model(input = {1, 28, 28}, forward = """
        x = relu(max_pool2d(conv1(x), 2))
        x = relu(max_pool2d(conv2_drop(conv2(x)), 2))
        x = x.view(-1, 320)
        x = relu(fc1(x))
        x = dropout(x)
        return log_softmax(fc2(x), dim=1)
        """)
public abstract class SeedNet {
    @Conv2d(in = 1, out = 10, kernel = 5)  Conv2dLayer conv1;
    @Conv2d(in = 10, out = 20, kernel = 5) Conv2dLayer conv2;
    @Dropout2d                             Dropout2dLayer conv2_drop;
    @Linear(in = 320, out = 50)            LinearLayer fc1;
    @Linear(in = 50, out = 10)             LinearLayer fc2;
}
