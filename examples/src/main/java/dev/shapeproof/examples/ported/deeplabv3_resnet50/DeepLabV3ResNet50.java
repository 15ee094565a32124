package dev.shapeproof.examples.ported.deeplabv3_resnet50;

import dev.shapeproof.Init;
import dev.shapeproof.Model;

/**
 * PyTorch's {@code torchvision.models.segmentation.deeplabv3.DeepLabV3}, built as {@code
 * torchvision.models.segmentation.deeplabv3_resnet50(weights=None, weights_backbone=None)}, ported by
 * tools/port_model.py; its state_dict keys and torchsummary rows are PyTorch's.
 *
 * <p>Regenerate and check with {@code /usr/bin/python3 tools/port_model.py deeplabv3_resnet50 --input 3,64,64
 * --java-package dev.shapeproof.examples.ported.deeplabv3_resnet50 --out examples/src/main/java --name
 * DeepLabV3ResNet50}.
 */
@Model(input = {3, 64, 64}, forward = """
        input_shape = x.shape[-2:]
        # contract: features is a dict of tensors
        features = self.backbone(x)

        result = OrderedDict()
        x = features
        x = self.classifier(x)
        x = F.interpolate(x, size=input_shape, mode="bilinear", align_corners=False)
        result["out"] = x

        return result
        """)
public abstract class DeepLabV3ResNet50 {
    @Init("IntermediateLayerGetter()") IntermediateLayerGetter backbone;
    @Init("DeepLabHead(2048, 21)")     DeepLabHead classifier;
}
