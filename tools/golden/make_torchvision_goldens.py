#!/usr/bin/env python3
"""Writes the goldens of the torchvision ports (examples/src/main/java/dev/shapeproof/examples/torchvision/).

Their weights are too large to commit, so they come from the Java side: each port's seeded initialisation with every
BatchNorm randomised (examples/src/test/java/dev/shapeproof/examples/torchvision/Ports.java), which the golden test
rebuilds in memory. Run from the repository root, with Debian's python3-torch (1.13) and python3-torchvision (0.14):

    mvn -B -q -pl examples -am test-compile -DskipTests          # once, or after changing a port
    (cd examples && mvn -q dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test)
    java -cp examples/target/test-classes:examples/target/classes:$(cat examples/target/test.cp) \\
        dev.shapeproof.examples.torchvision.Ports examples/target/torchvision-weights [names...]
    /usr/bin/python3 tools/golden/make_torchvision_goldens.py examples/target/torchvision-weights [names...]

The ports: resnet18, resnet50, densenet121, deeplabv3_resnet50, mobilenet_v2, mobilenet_v3_large, efficientnet_b0,
shufflenet_v2_x1_0, convnext_tiny, vit_b_16 (image_size=64) and the UNet of tools/golden/unet.py (not a torchvision
model: written for these tests). To write some of them, name them after the weights directory, here and to Ports.

For each port it builds torchvision's model with weights=None, loads the Java weights with load_state_dict(strict=True)
(so the keys and shapes are exactly torchvision's), switches to eval(), and writes into
examples/src/test/resources/golden/torchvision/<name>/:

    io.npz          `input` (torch.manual_seed(0), randn(1, 3, 64, 64); the UNet's 1×3×60×60) and `output` (for
                    deeplabv3_resnet50 the "out" entry of the dict it returns), float32
    state_dict.txt  every key of model.state_dict() in order, with its shape: `layer1.0.conv1.weight 64,64,3,3`
    summary.txt     torchsummary 1.5.1's text (tools/summary/torchsummary151.py) for a (3, 64, 64) input; where
                    torchsummary fails (DenseNet's list inputs, DeepLab's dict output), the rows it printed before,
                    one per line, and a last line `# stops: <why>`

It refuses an output whose max |value| is under 0.1, which any tolerance would pass.
"""
import os
import sys

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "summary"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torchsummary151  # noqa: E402
import unet  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "examples", "src", "test", "resources", "golden", "torchvision")

PORTS = {
    "resnet18": lambda: torchvision.models.resnet18(weights=None),
    "resnet50": lambda: torchvision.models.resnet50(weights=None),
    "densenet121": lambda: torchvision.models.densenet121(weights=None),
    "deeplabv3_resnet50": lambda: torchvision.models.segmentation.deeplabv3_resnet50(
        weights=None, weights_backbone=None),
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(weights=None),
    "mobilenet_v3_large": lambda: torchvision.models.mobilenet_v3_large(weights=None),
    "efficientnet_b0": lambda: torchvision.models.efficientnet_b0(weights=None),
    "shufflenet_v2_x1_0": lambda: torchvision.models.shufflenet_v2_x1_0(weights=None),
    "convnext_tiny": lambda: torchvision.models.convnext_tiny(weights=None),
    "vit_b_16": lambda: torchvision.models.vit_b_16(weights=None, image_size=64),
    "unet": lambda: unet.UNet(n_channels=3, n_classes=2, base=16),
}

# The input of one sample, where it is not 3×64×64: the UNet's 60×60 makes two decoder stages pad by one pixel.
INPUTS = {"unet": (3, 60, 60)}


def main(weights_dir, names):
    for name in names or PORTS:
        model = PORTS[name]()
        state = np.load(os.path.join(weights_dir, name + ".npz"))
        model.load_state_dict({k: torch.from_numpy(state[k]) for k in state.files}, strict=True)
        model.eval()
        sample = INPUTS.get(name, (3, 64, 64))
        torch.manual_seed(0)
        x = torch.randn(1, *sample)
        with torch.no_grad():
            y = model(x)
        if isinstance(y, dict):
            y = y["out"]
        largest = float(y.abs().max())
        if largest < 0.1:
            raise SystemExit("%s: max |output| = %g is too small for a golden that can fail" % (name, largest))
        out = os.path.join(GOLDEN, name)
        os.makedirs(out, exist_ok=True)
        np.savez(os.path.join(out, "io.npz"), input=x.numpy(), output=y.numpy().astype(np.float32))
        with open(os.path.join(out, "state_dict.txt"), "w") as f:
            for key, tensor in model.state_dict().items():
                f.write("%s %s\n" % (key, ",".join(str(d) for d in tensor.shape)))
        rows, reason = torchsummary151.summary_rows(model, sample)
        with open(os.path.join(out, "summary.txt"), "w") as f:
            if reason is None:
                f.write(torchsummary151.summary_text(model, sample))
            else:
                for key, shape, params, _ in rows:
                    f.write(torchsummary151.row_line(key, shape, params) + "\n")
                f.write("# stops: %s\n" % reason)
        print("%-20s output %-18s max |output| %.4f  %d state_dict keys  summary: %s"
              % (name, list(y.shape), largest, len(model.state_dict()),
                 "full" if reason is None else "%d rows, then %s" % (len(rows), reason)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "examples", "target", "torchvision-weights"),
         sys.argv[2:])
