package dev.shapeproof.examples.ported.vit_b_16;

import dev.shapeproof.Block;
import dev.shapeproof.Init;
import dev.shapeproof.nn.DropoutLayer;
import dev.shapeproof.nn.LayerNormLayer;
import dev.shapeproof.nn.NnModule;
import dev.shapeproof.nn.Parameter;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.vision_transformer.Encoder} ({@code
 * torchvision/models/vision_transformer.py:122}).
 *
 * <p>Written with this model's modules rather than from {@code __init__}: a dict filled inside a loop
 * (/usr/lib/python3/dist-packages/torchvision/models/vision_transformer.py:143: layers[f"encoder_layer_&#123;i&#125;"]
 * = EncoderBlock().
 */
@Block(forward = """
        def forward(self, input):
            input = input + self.pos_embedding
            return self.ln(self.layers(self.dropout(input)))
        """)
public abstract class Encoder extends NnModule {
    @Init("nn.Parameter(torch.zeros(1, 17, 768))") Parameter pos_embedding;
    @Init("nn.Dropout(0.0)")                       DropoutLayer dropout;
    @Init("""
            nn.Sequential(OrderedDict([
                ("encoder_layer_0", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_1", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_2", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_3", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_4", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_5", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_6", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_7", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_8", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_9", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_10", EncoderBlock(12, 768, 0.0, 0.0)),
                ("encoder_layer_11", EncoderBlock(12, 768, 0.0, 0.0)),
            ]))""")
    Sequential layers;
    @Init("nn.LayerNorm(768, eps=1e-06)")          LayerNormLayer ln;
}
