package dev.shapeproof.examples.ported.densenet121;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.LinearLayer;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.densenet.DenseNet}, built as {@code
 * torchvision.models.densenet121(weights=None)}, ported by tools/port_model.py; its state_dict keys and torchsummary
 * rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py densenet121 --input 3,64,64 --java-package
 * dev.shapeproof.examples.ported.densenet121 --out examples/src/main/java --name DenseNet121}.
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
                ("denseblock1", DenseBlock(num_layers=6, num_input_features=64, bn_size=4, growth_rate=32,
                                           drop_rate=0)),
                ("transition1", Transition(num_input_features=256, num_output_features=128)),
                ("denseblock2", DenseBlock(num_layers=12, num_input_features=128, bn_size=4, growth_rate=32,
                                           drop_rate=0)),
                ("transition2", Transition(num_input_features=512, num_output_features=256)),
                ("denseblock3", DenseBlock(num_layers=24, num_input_features=256, bn_size=4, growth_rate=32,
                                           drop_rate=0)),
                ("transition3", Transition(num_input_features=1024, num_output_features=512)),
                ("denseblock4", DenseBlock(num_layers=16, num_input_features=512, bn_size=4, growth_rate=32,
                                           drop_rate=0)),
                ("norm5", nn.BatchNorm2d(1024)),
            ]))""")
    Sequential features;
    @Init("nn.Linear(1024, 1000)") LinearLayer classifier;
}
