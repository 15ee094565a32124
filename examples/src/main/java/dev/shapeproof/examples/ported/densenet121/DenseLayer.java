package dev.shapeproof.examples.ported.densenet121;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.ReLULayer;

/**
 * PyTorch's {@code torchvision.models.densenet._DenseLayer} ({@code torchvision/models/densenet.py:32}).
 *
 * <p>Written in, being the same in every use in this model: {@code memory_efficient=False}.
 */
@Block(params = "num_input_features: int, growth_rate: int, bn_size: int, drop_rate: float",
        pytorchName = "_DenseLayer", forward = """
        def forward(self, input):
            if isinstance(input, Tensor):
                prev_features = [input]
            else:
                prev_features = input
            concated_features = torch.cat(prev_features, 1)
            bottleneck_output = self.conv1(self.relu1(self.norm1(concated_features)))
            new_features = self.conv2(self.relu2(self.norm2(bottleneck_output)))
            if self.drop_rate > 0:
                new_features = F.dropout(new_features, p=self.drop_rate, training=self.training)
            return new_features
        """)
public abstract class DenseLayer extends NnModule {
    @Init("nn.BatchNorm2d(num_input_features)")                                                  BatchNorm2dLayer norm1;
    @Init("nn.ReLU(inplace=True)")                                                               ReLULayer relu1;
    @Init("nn.Conv2d(num_input_features, bn_size * growth_rate, kernel_size=1, bias=False)")     Conv2dLayer conv1;
    @Init("nn.BatchNorm2d(bn_size * growth_rate)")                                               BatchNorm2dLayer norm2;
    @Init("nn.ReLU(inplace=True)")                                                               ReLULayer relu2;
    @Init("nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, padding=1, bias=False)") Conv2dLayer conv2;
}
