package dev.shapeproof.examples.golden;

import dev.shapeproof.GELU;
import dev.shapeproof.LeakyReLU;
import dev.shapeproof.Linear;
import dev.shapeproof.Model;
import dev.shapeproof.Sigmoid;
import dev.shapeproof.Softmax;
import dev.shapeproof.Tanh;
import dev.shapeproof.nn.GELULayer;
import dev.shapeproof.nn.LeakyReLULayer;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.SigmoidLayer;
import dev.shapeproof.nn.SoftmaxLayer;
import dev.shapeproof.nn.TanhLayer;

/**
 * Golden model {@code Activations} (tools/golden/make_golden.py): every elementwise activation, and softmax, on
 * feature vectors. The weights are scaled so the GELUs see |x| up to 3, where the erf and tanh forms differ by 4e-4.
 */
@Model(input = {20})
public abstract class Activations {
    @Linear(in = 20, out = 16)         LinearLayer fc1;
    @LeakyReLU(slope = 0.2)            LeakyReLULayer leaky;
    @Linear(out = 16)                  LinearLayer fc2;
    @Sigmoid                           SigmoidLayer sigmoid;
    @Linear(out = 16)                  LinearLayer fc3;
    @Tanh                              TanhLayer tanh;
    @Linear(out = 16)                  LinearLayer fc4;
    @GELU                              GELULayer gelu;
    @Linear(in = 16, out = 16)         LinearLayer fc5;
    @GELU(approximate = "tanh")        GELULayer geluTanh;
    @Linear(out = 8)                   LinearLayer fc6;
    @Softmax(dim = 1)                  SoftmaxLayer softmax;
}
