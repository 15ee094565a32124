package dev.shapeproof.examples.torchvision;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.AvgPool2dLayer;
import dev.shapeproof.nn.BatchNorm2dLayer;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.ModuleDict;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.ReLULayer;
import dev.shapeproof.nn.Sequential;

/**
 * torchvision 0.14's {@code densenet121()}: growth rate 32, blocks of 6, 12, 24 and 16 dense layers, 64 initial
 * features, bottleneck factor 4, no dropout. Each dense layer reads the concatenation of every feature map before
 * it, as a list, which is why torchsummary 1.5.1 cannot summarise this model (its hook calls {@code .size()} on the
 * list).
 */
@Model(input = {3, 64, 64}, forward = """
        features = self.features(x)
        out = F.relu(features, inplace=True)
        out = F.adaptive_avg_pool2d(out, (1, 1))
        out = torch.flatten(out, 1)
        out = self.classifier(out)
        return out
        """)
public abstract class DenseNet121 {
    @Init("""
            nn.Sequential(OrderedDict([
                ("conv0", nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)),
                ("norm0", nn.BatchNorm2d(64)),
                ("relu0", nn.ReLU(inplace=True)),
                ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
                ("denseblock1", DenseBlock(6, 64, bn_size=4, growth_rate=32, drop_rate=0)),
                ("transition1", Transition(256, 128)),
                ("denseblock2", DenseBlock(12, 128, bn_size=4, growth_rate=32, drop_rate=0)),
                ("transition2", Transition(512, 256)),
                ("denseblock3", DenseBlock(24, 256, bn_size=4, growth_rate=32, drop_rate=0)),
                ("transition3", Transition(1024, 512)),
                ("denseblock4", DenseBlock(16, 512, bn_size=4, growth_rate=32, drop_rate=0)),
                ("norm5", nn.BatchNorm2d(1024)),
            ]))""")
    Sequential features;
    @Init("nn.Linear(1024, 1000)")
    LinearLayer classifier;

    /** torchvision's {@code _DenseLayer}: BN-ReLU-1×1 conv to {@code bn_size·k} maps, BN-ReLU-3×3 conv to k. */
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
    abstract static class DenseLayer extends NnModule {
        @Init("nn.BatchNorm2d(num_input_features)")                                      BatchNorm2dLayer norm1;
        @Init("nn.ReLU(inplace=True)")                                                   ReLULayer relu1;
        @Init("nn.Conv2d(num_input_features, bn_size * growth_rate, kernel_size=1, stride=1, bias=False)")
        Conv2dLayer conv1;
        @Init("nn.BatchNorm2d(bn_size * growth_rate)")                                   BatchNorm2dLayer norm2;
        @Init("nn.ReLU(inplace=True)")                                                   ReLULayer relu2;
        @Init("nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, stride=1, padding=1, bias=False)")
        Conv2dLayer conv2;
    }

    /** torchvision's {@code _DenseBlock}: a ModuleDict of dense layers, each fed every feature map before it. */
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
    abstract static class DenseBlock extends ModuleDict {}

    /** torchvision's {@code _Transition}: BN-ReLU-1×1 conv, then a 2×2 average pool. */
    @Block(params = "num_input_features: int, num_output_features: int", pytorchName = "_Transition")
    abstract static class Transition extends Sequential {
        @Init("nn.BatchNorm2d(num_input_features)")                                                BatchNorm2dLayer norm;
        @Init("nn.ReLU(inplace=True)")                                                             ReLULayer relu;
        @Init("nn.Conv2d(num_input_features, num_output_features, kernel_size=1, stride=1, bias=False)")
        Conv2dLayer conv;
        @Init("nn.AvgPool2d(kernel_size=2, stride=2)")                                            AvgPool2dLayer pool;
    }
}
