"""Models written the way users write them, for the README's walkthrough and the port's self-test.

    /usr/bin/python3 tools/port_model.py porting.samples:SmallNet --args "num_classes=10" --input 3,32,32 \\
        --java-package com.acme.models --out /tmp/port/src/main/java --weights /tmp/port/small-net.safetensors

`SmallNet` ports: a stem block, residual blocks built in a comprehension, a functional pooling and a head.
`SuperResolution` does not: PyTorch's PixelShuffle layer, `torch.logsumexp`, a tensor product `y * gate` and the
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


class Upsampler(nn.Module):
    """A sub-pixel convolution and a learned gate: ops ShapeProof does not have."""

    def __init__(self, channels, scale=2):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels * scale * scale, 3, padding=1)
        self.shuffle = nn.PixelShuffle(scale)
        self.gate = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        y = self.shuffle(self.conv(x))
        gate = torch.sigmoid(self.gate(y))
        return y * gate + torch.logsumexp(y, dim=1, keepdim=True)


class SuperResolution(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.up = Upsampler(8)

    def forward(self, x):
        x = self.up(torch.relu(self.stem(x)))
        return x.cumsum(dim=1)
