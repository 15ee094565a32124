package dev.shapeproof.examples.ported.densenet121;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.AvgPool2dLayer;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Sequential;

/** PyTorch's {@code torchvision.models.densenet._Transition} ({@code torchvision/models/densenet.py:128}). */
@Block(params = "num_input_features: int, num_output_features: int", pytorchName = "_Transition")
public abstract class Transition extends Sequential {
    @Init("nn.BatchNorm2d(num_input_features)")                                            BatchNorm2dLayer norm;
    @Init("nn.ReLU(inplace=True)")                                                         ReLULayer relu;
    @Init("nn.Conv2d(num_input_features, num_output_features, kernel_size=1, bias=False)") Conv2dLayer conv;
    @Init("nn.AvgPool2d(kernel_size=2, stride=2)")                                         AvgPool2dLayer pool;
}
