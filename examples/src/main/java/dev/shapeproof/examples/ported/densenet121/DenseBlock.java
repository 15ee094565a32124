package dev.shapeproof.examples.ported.densenet121;

import dev.shapeproof.Block;
import dev.shapeproof.nn.ModuleDict;

/**
 * PyTorch's {@code torchvision.models.densenet._DenseBlock} ({@code torchvision/models/densenet.py:97}).
 *
 * <p>Written in, being the same in every use in this model: {@code memory_efficient=False}.
 */
@Block(params = "num_layers: int, num_input_features: int, bn_size: int, growth_rate: int, drop_rate: float",
        pytorchName = "_DenseBlock", children = """
        {"denselayer%d" % (i + 1): DenseLayer(num_input_features + i * growth_rate, growth_rate=growth_rate,
                                              bn_size=bn_size, drop_rate=drop_rate)
         for i in range(num_layers)}""", forward = """
        def forward(self, init_features):
            features = [init_features]
            for name, layer in self.items():
                new_features = layer(features)
                features.append(new_features)
            return torch.cat(features, 1)
        """)
public abstract class DenseBlock extends ModuleDict {}
