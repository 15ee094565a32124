package dev.shapeproof.examples.ported.vit_b_16;

import dev.shapeproof.Init;
import dev.shapeproof.Model;
import dev.shapeproof.nn.Conv2dLayer;
import dev.shapeproof.nn.Parameter;
import dev.shapeproof.nn.Sequential;

/**
 * PyTorch's {@code torchvision.models.vision_transformer.VisionTransformer}, built as {@code
 * torchvision.models.vit_b_16(image_size=64, weights=None)}, ported by tools/port_model.py; its state_dict keys and
 * torchsummary rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py vit_b_16 --args image_size=64 --input
 * 3,64,64 --java-package dev.shapeproof.examples.ported.vit_b_16 --out examples/src/main/java --name VitB16}.
 */
@Model(input = {3, 64, 64}, forward = """
        n2, c, h, w = x.shape
        p = 16
        n_h = h // p
        n_w = w // p

        # (n, c, h, w) -> (n, hidden_dim, n_h, n_w)
        x = self.conv_proj(x)
        # (n, hidden_dim, n_h, n_w) -> (n, hidden_dim, (n_h * n_w))
        x = x.reshape(n2, 768, n_h * n_w)

        # (n, hidden_dim, (n_h * n_w)) -> (n, (n_h * n_w), hidden_dim)
        # The self attention layer expects inputs in the format (N, S, E)
        # where S is the source sequence length, N is the batch size, E is the
        # embedding dimension
        x = x.permute(0, 2, 1)
        n = x.shape[0]

        # Expand the class token to the full batch
        batch_class_token = self.class_token.expand(n, -1, -1)
        x = torch.cat([batch_class_token, x], dim=1)

        x = self.encoder(x)

        # Classifier "token" as used by standard language architectures
        x = x[:, 0]

        x = self.heads(x)

        return x
        """)
public abstract class VitB16 {
    @Init("nn.Parameter(torch.zeros(1, 1, 768))")                                  Parameter class_token;
    @Init("nn.Conv2d(in_channels=3, out_channels=768, kernel_size=16, stride=16)") Conv2dLayer conv_proj;
    @Init("Encoder()")                                                             Encoder encoder;
    @Init("nn.Sequential(OrderedDict([('head', nn.Linear(768, 1000))]))")          Sequential heads;
}
