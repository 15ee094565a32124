#!/usr/bin/env python3
"""Writes the goldens of the free-size examples: each model at three sizes it admits, and torchsummary's text at one.

The models are the Java examples declared with free sizes (dims = "3, H, W"): ContextModule, DilatedStack and UNet in
examples/src/main/java/dev/shapeproof/examples/anysize/, and ResNet18Backbone in .../examples/torchvision/. Each is
built here as a PyTorch module whose attributes are the Java fields, in the same order, and whose forward() is the
Java forward, so the state_dict keys are the Java ones. Run from the repository root, with Debian's python3-torch
(1.13) and python3-torchvision (0.14):

    /usr/bin/python3 tools/golden/make_anysize_goldens.py [<torchvision weights dir>]

ResNet18Backbone's weights are resnet18's golden weights from the Java side (the torchvision ports' seeded
initialisation with every BatchNorm randomised; tools/golden/make_torchvision_goldens.py says how to write them),
loaded into torchvision's resnet18 with strict=True; the backbone is its modules up to layer4. Without the directory
only the other three models are written. The others' weights are PyTorch's default initialisation from a fixed seed,
conv weights times a gain so that the signal survives the layers, BatchNorm statistics and affine parameters
randomised (fresh ones, 0 and 1, would hide a swapped mean and variance).

Into examples/src/test/resources/golden/anysize/<Name>/ it writes:

    weights.npz             the state_dict (not for ResNet18Backbone, whose weights the Java test rebuilds)
    io_<H>x<W>.npz          `input` (randn, batch 1) and `output` at each size, float32
    summary_<H>x<W>.txt     torchsummary 1.5.1's text (tools/summary/torchsummary151.py) at the first size

It refuses an output whose max |value| is under 0.1, which any tolerance would pass.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "summary"))
import torchsummary151  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "examples", "src", "test", "resources", "golden", "anysize")
SEED = 20240614


class ContextModule(nn.Module):
    def __init__(self):
        super().__init__()
        for i, d in enumerate([1, 1, 2, 4, 8, 16, 1], start=1):
            setattr(self, "ctx%d" % i, nn.Conv2d(21, 21, 3, padding=d, dilation=d))
            setattr(self, "relu%d" % i, nn.ReLU())
        self.output = nn.Conv2d(21, 21, 1)

    def forward(self, x):
        for module in self.children():
            x = module(x)
        return x


class DilatedStack(nn.Module):
    def __init__(self):
        super().__init__()
        channels = 3
        for i, d in enumerate([1, 2, 4, 8], start=1):
            setattr(self, "conv%d" % i, nn.Conv2d(channels, 32, 3, dilation=d, padding="same"))
            setattr(self, "relu%d" % i, nn.ReLU())
            channels = 32

    def forward(self, x):
        for module in self.children():
            x = module(x)
        return x


class DoubleConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu2 = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        return self.relu2(self.bn2(self.conv2(x)))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = DoubleConv(3, 4)
        self.down1 = DoubleConv(4, 8)
        self.down2 = DoubleConv(8, 16)
        self.down3 = DoubleConv(16, 32)
        self.down4 = DoubleConv(32, 32)
        self.up1 = DoubleConv(64, 16)
        self.up2 = DoubleConv(32, 8)
        self.up3 = DoubleConv(16, 4)
        self.up4 = DoubleConv(8, 4)
        self.outc = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(F.max_pool2d(x1, 2))
        x3 = self.down2(F.max_pool2d(x2, 2))
        x4 = self.down3(F.max_pool2d(x3, 2))
        x5 = self.down4(F.max_pool2d(x4, 2))
        x = self.up1(torch.cat([x4, F.interpolate(x5, scale_factor=2)], dim=1))
        x = self.up2(torch.cat([x3, F.interpolate(x, scale_factor=2)], dim=1))
        x = self.up3(torch.cat([x2, F.interpolate(x, scale_factor=2)], dim=1))
        x = self.up4(torch.cat([x1, F.interpolate(x, scale_factor=2)], dim=1))
        return self.outc(x)


class ResNet18Backbone(nn.Module):
    """torchvision's resnet18 up to layer4, its modules under their own names."""

    def __init__(self, resnet):
        super().__init__()
        for name in ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]:
            setattr(self, name, getattr(resnet, name))

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        return self.layer4(x)


def seeded(build, gain):
    torch.manual_seed(SEED)
    model = build()
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Conv2d):
                module.weight.mul_(gain)
            if isinstance(module, nn.BatchNorm2d):
                c = module.num_features
                module.running_mean.copy_(torch.randn(c) * 0.5)
                module.running_var.copy_(torch.rand(c) * 1.5 + 0.25)
                module.num_batches_tracked.fill_(37)
                module.weight.copy_(torch.randn(c) * 0.5 + 1.0)
                module.bias.copy_(torch.randn(c) * 0.5)
    return model


def backbone(weights_dir):
    import torchvision
    resnet = torchvision.models.resnet18(weights=None)
    state = np.load(os.path.join(weights_dir, "resnet18.npz"))
    resnet.load_state_dict({k: torch.from_numpy(state[k]) for k in state.files}, strict=True)
    return ResNet18Backbone(resnet)


# name -> (model factory, channels, sizes it admits, whether weights.npz is written)
MODELS = {
    "ContextModule": (lambda: seeded(ContextModule, 2.5), 21, [(20, 20), (33, 27), (16, 41)], True),
    "DilatedStack": (lambda: seeded(DilatedStack, 2.0), 3, [(16, 16), (40, 23), (17, 64)], True),
    "UNet": (lambda: seeded(UNet, 1.0), 3, [(16, 16), (32, 48), (64, 32)], True),
}


def write(name, model, channels, sizes, with_weights):
    model.eval()
    out = os.path.join(GOLDEN, name)
    os.makedirs(out, exist_ok=True)
    if with_weights:
        state = {k: v.numpy() for k, v in model.state_dict().items()}
        np.savez_compressed(os.path.join(out, "weights.npz"), **state)
    torch.manual_seed(SEED + 1)
    for h, w in sizes:
        x = torch.randn(1, channels, h, w)
        with torch.no_grad():
            y = model(x)
        largest = float(y.abs().max())
        if largest < 0.1:
            raise SystemExit("%s at %dx%d: max |output| = %g is too small for a golden that can fail"
                             % (name, h, w, largest))
        np.savez_compressed(os.path.join(out, "io_%dx%d.npz" % (h, w)), input=x.numpy(),
                            output=y.numpy().astype(np.float32))
        print("%-18s %3dx%-3d output %-20s max |output| %.4f" % (name, h, w, list(y.shape), largest))
    h, w = sizes[0]
    with open(os.path.join(out, "summary_%dx%d.txt" % (h, w)), "w") as f:
        f.write(torchsummary151.summary_text(model, (channels, h, w)))


def main(weights_dir):
    for name, (build, channels, sizes, with_weights) in MODELS.items():
        write(name, build(), channels, sizes, with_weights)
    if weights_dir is not None:
        write("ResNet18Backbone", backbone(weights_dir), 3, [(64, 64), (97, 75), (40, 130)], False)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
