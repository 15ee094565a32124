"""Models written the way users write them, for the README's walkthrough and the port's self-test.

    /usr/bin/python3 tools/port_model.py porting.samples:SmallNet --args "num_classes=10" --input 3,32,32 \\
        --java-package com.acme.models --out /tmp/port/src/main/java --weights /tmp/port/small-net.safetensors

`SmallNet` ports: a stem block, residual blocks built in a comprehension, a functional pooling and a head.
`TwoHeads` ports too: blocks whose `__init__` branches on its arguments, loops and calls a helper, two outputs.
`SuperResolution` does not: PyTorch's PixelShuffle layer, `torch.logsumexp`, a matrix product `y @ gate` and the
`cumsum` method are outside what ShapeProof expresses, and the port reports each of them with its line.
"""
import torch
import torch.nn.functional as F
from torch import nn


class ConvBNReLU(nn.Sequential):
    """A 3×3 convolution, batch norm and ReLU, the stride on the convolution."""

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__(
            nn.Conv2d(in_channels, out_channels, 3, stride, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )


class Residual(nn.Module):
    """Two convolutions and the identity; a 1×1 projection of it where the width changes."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.body = nn.Sequential(
            ConvBNReLU(in_channels, out_channels),
            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
        )
        self.project = nn.Conv2d(in_channels, out_channels, 1, bias=False) if in_channels != out_channels else None
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        identity = x if self.project is None else self.project(x)
        return self.relu(self.body(x) + identity)


class SmallNet(nn.Module):
    def __init__(self, num_classes=1000, widths=(16, 32, 32)):
        super().__init__()
        self.stem = ConvBNReLU(3, widths[0], stride=2)
        self.blocks = nn.Sequential(*[Residual(a, b) for a, b in zip(widths, widths[1:])])
        self.head = nn.Linear(widths[-1], num_classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        x = F.adaptive_avg_pool2d(x, 1)
        x = torch.flatten(x, 1)
        return self.head(x)


def conv_bn(in_channels, out_channels, kernel_size=3, stride=1):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding=kernel_size // 2, bias=False),
        nn.BatchNorm2d(out_channels),
    )


class Stage(nn.Sequential):
    """Units added in a loop under f-string names, the first one strided."""

    def __init__(self, in_channels, out_channels, depth, stride=2):
        super().__init__()
        if depth < 1:
            raise ValueError("a stage needs a unit")
        for i in range(depth):
            self.add_module(f"unit{i}", conv_bn(in_channels if i == 0 else out_channels, out_channels,
                                                stride=stride if i == 0 else 1))


class Head(nn.Module):
    """A classifier whose layers depend on its arguments: a hidden layer, dropout."""

    def __init__(self, in_channels, num_classes, hidden=None, dropout=0.0):
        super().__init__()
        layers = []
        if hidden is not None:
            layers += [nn.Linear(in_channels, hidden), nn.ReLU(inplace=True)]
            in_channels = hidden
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        layers.append(nn.Linear(in_channels, num_classes))
        self.mlp = nn.Sequential(*layers)

    def forward(self, x):
        return self.mlp(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class TwoHeads(nn.Module):
    """Blocks whose __init__ branches and loops, a helper function, and two outputs."""

    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([Stage(3, 16, 1), Stage(16, 32, 2)])
        self.classes = Head(32, 10, hidden=64, dropout=0.1)
        self.boxes = Head(32, 4)

    def forward(self, x):
        for stage in self.stages:
            x = F.relu(stage(x))
        return self.classes(x), self.boxes(x)


class Upsampler(nn.Module):
    """A sub-pixel convolution, a matrix product with a learned gate and a log-sum-exp: ops ShapeProof does not
    have."""

    def __init__(self, channels, scale=2):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels * scale * scale, 3, padding=1)
        self.shuffle = nn.PixelShuffle(scale)
        self.gate = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        y = self.shuffle(self.conv(x))
        gate = torch.sigmoid(self.gate(y))
        return y @ gate + torch.logsumexp(y, dim=1, keepdim=True)


class SuperResolution(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.up = Upsampler(8)

    def forward(self, x):
        x = self.up(torch.relu(self.stem(x)))
        return x.cumsum(dim=1)
