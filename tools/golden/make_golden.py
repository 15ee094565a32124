#!/usr/bin/env python3
"""Writes the PyTorch golden files that ShapeProof's end-to-end numerical tests compare against.

Run from the repository root, with Debian's PyTorch (python3-torch, 1.13) and NumPy:

    apt-get install -y python3-torch python3-numpy     # once
    /usr/bin/python3 tools/golden/make_golden.py

For every model below it builds the PyTorch module with a fixed seed (PyTorch's default initialisation, conv and linear
weights times a per-model gain; BatchNorm layers also get random affine parameters and non-trivial running statistics),
switches it to eval(), runs a small random batch through it under no_grad(), and writes into
examples/src/test/resources/golden/<ModelName>/:

    weights.npz   the model's state_dict, key for key (`conv1.weight`, `bn1.running_mean`, ...), PyTorch layouts
                  (conv OIHW, linear [out, in]); float32, except BatchNorm's num_batches_tracked (0-d int64)
    io.npz        `input` and `output`, float32; `input` has the batch dimension first

It also (re)writes examples/src/test/resources/golden/README.md (models, shapes, file sizes, max |output|) and prints,
per model, every module's output shape in the form of the generated <Name>Model's constants (`CONV1_OUTPUT_SHAPE =
[-1, 10, 24, 24]`), the output shape and max |output|: compare those with the processor's constants (in
examples/target/generated-test-sources/test-annotations/dev/shapeproof/examples/golden/). Last, it prints what each
CeilPool pool exercises on each axis (ceil vs floor, windows past the input and padding, the dropped last window).

The models of MODELS are chains: their modules are attributes named like the fields of the matching Java @Model
declaration (examples/src/test/java/dev/shapeproof/examples/golden/<ModelName>.java; SeedNet is
dev.shapeproof.examples.Net; ContextModuleSmall is the example ContextModule on 20x20), and forward() applies them in
declaration order, so the state_dict keys are the Java field names.

The models of GRAPH_MODELS are the forward-DSL examples (examples/src/main/java/dev/shapeproof/examples/<Name>.java):
nn.Modules whose attributes are the Java fields, in the same order, and whose forward() is the Java `forward` text
pasted, with `self.`, `F.` and `torch.` added where Python needs them. Their io.npz holds one array per Java input,
named as the input (`x` is written `input`), and one per returned value (a single one is `output`; ImageAndMask's are
`segmentation` and `scores`). AsppHead's files are np.savez_compressed (its input is rounded to multiples of 1/8 so
that it compresses; its weights and output are not rounded); the others are np.savez. The DSL SeedNet needs no files
of its own: its state_dict keys are a subset of golden/SeedNet's, and the script checks that, with those weights, its
forward gives golden/SeedNet's output bit for bit.

The output is byte-for-byte reproducible on one machine: same seeds, same CPU kernels, and NumPy writes fixed zip
timestamps; another CPU may round a Linear layer's sums differently in the last bit. To add or regenerate some
models without rewriting the others' files, name them (`make_golden.py AsppHead SmallResNet`): every model is still
computed, for the README, but only the named ones are written.
"""
import collections
import copy
import io
import os
import re
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "examples", "src", "test", "resources", "golden")
SEED = 20240601


class Chain(nn.Module):
    """A Sequential whose children are named attributes: forward applies them in the order they were given."""

    def __init__(self, modules):
        super().__init__()
        for name, module in modules:
            setattr(self, name, module)  # nn.Module keeps registration order

    def forward(self, x):
        for module in self.children():
            x = module(x)
        return x


def randomize_batch_norm(model):
    """Eval-mode BatchNorm with PyTorch's fresh statistics (0 and 1) would hide a swapped mean/var or a missing eps."""
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            c = module.num_features
            module.running_mean.copy_(torch.randn(c) * 0.5)
            module.running_var.copy_(torch.rand(c) * 1.5 + 0.25)
            module.num_batches_tracked.fill_(37)
            if module.affine:
                module.weight.copy_(torch.randn(c) * 0.5 + 1.0)
                module.bias.copy_(torch.randn(c) * 0.5)


class SwappedSamePadding(nn.Module):
    """`conv` as padding='same' would be with the odd extra row/column at the top/left: a probe, not a golden model."""

    def __init__(self, conv):
        super().__init__()
        self.conv = conv

    def forward(self, x):
        pads = []
        for k, d in zip(reversed(self.conv.kernel_size), reversed(self.conv.dilation)):
            total = d * (k - 1)
            pads += [total - total // 2, total // 2]  # PyTorch puts total // 2 first
        return F.conv2d(F.pad(x, pads), self.conv.weight, self.conv.bias, self.conv.stride, 0, self.conv.dilation,
                        self.conv.groups)


def set_attr(module, name, value):
    setattr(module, name, value)


# name -> (java class, what the model exercises, module factory, per-sample input shape, batch, input scale, gain,
# probes). probes: (what, mutation of the built model) pairs; the script prints and lists in the README how far each
# mutation moves the output, so that the Java test's tolerance is known to tell those details apart.
# gain multiplies every conv and linear weight after PyTorch's default initialisation, whose fan-in bound shrinks the
# signal by about sqrt(3) per layer: without it, Activations' GELUs see |x| < 0.5, where the erf and tanh forms differ
# by 1e-5 (a test could not tell them apart; at gain 3 they differ by 4e-4), its softmax is nearly uniform, and
# DilatedStack's output fades to 0.2.
Spec = collections.namedtuple("Spec", "java about build sample batch scale gain probes", defaults=(1.0, ()))

MODELS = collections.OrderedDict()

MODELS["SeedNet"] = Spec(
    "dev.shapeproof.examples.Net",
    "the seed MNIST net as a chain; dropouts are identities in eval",
    lambda: Chain([
        ("conv1", nn.Conv2d(1, 10, 5)),
        ("pool1", nn.MaxPool2d(2)),
        ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(10, 20, 5)),
        ("conv2_drop", nn.Dropout2d()),
        ("pool2", nn.MaxPool2d(2)),
        ("relu2", nn.ReLU()),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(320, 50)),
        ("relu3", nn.ReLU()),
        ("dropout", nn.Dropout()),
        ("fc2", nn.Linear(50, 10)),
        ("logSoftmax", nn.LogSoftmax(dim=1)),
    ]),
    (1, 28, 28), 2, 1.0)

MODELS["DilatedStack"] = Spec(
    "dev.shapeproof.examples.golden.DilatedStack",
    "3×3 convolutions with dilation 1, 2, 4, 8 and padding = dilation, ReLU after each",
    lambda: Chain([
        ("conv1", nn.Conv2d(3, 8, 3, padding=1, dilation=1)),
        ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(8, 8, 3, padding=2, dilation=2)),
        ("relu2", nn.ReLU()),
        ("conv3", nn.Conv2d(8, 8, 3, padding=4, dilation=4)),
        ("relu3", nn.ReLU()),
        ("conv4", nn.Conv2d(8, 8, 3, padding=8, dilation=8)),
        ("relu4", nn.ReLU()),
    ]),
    (3, 32, 32), 2, 1.0, 2.0,
    [("conv4 with dilation 4, padding 4", lambda m: (set_attr(m.conv4, "dilation", (4, 4)),
                                                     set_attr(m.conv4, "padding", (4, 4))))])

# Heights 13 -> 14 -> 12 -> 7 -> 4 -> 3 -> 2 -> 2, widths 27 -> 28 -> 26 -> 14 -> 8 -> 5 -> 3 -> 2 (printed by
# check_ceil_pool below). Every ceil_mode pool gets one more output than floor would give on some axis, with a last
# window that reaches past the input; for avgPoolPad (count_include_pad) past input + padding, so its divisor counts
# only the cells inside input + padding; dropPool on width 3 is PyTorch's "a last window starting in the right padding
# is dropped" case: ceil alone would give 3 (a window of padding only: -inf), the rule gives 2.
MODELS["CeilPool"] = Spec(
    "dev.shapeproof.examples.golden.CeilPool",
    "ceil_mode max and avg pools whose last window passes the input (and the padding), avg with and without "
    "count_include_pad, a dilated max pool, the dropped last window",
    lambda: Chain([
        ("conv", nn.Conv2d(3, 8, 2, padding=1)),
        ("dilatedPool", nn.MaxPool2d(2, stride=1, dilation=2)),
        ("maxPool", nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)),
        ("avgPoolPad", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True)),
        ("avgPoolNoPad", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
        ("avgPool2", nn.AvgPool2d(2, ceil_mode=True)),
        ("dropPool", nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True)),
    ]),
    (3, 13, 27), 2, 1.0, 1.0,
    [("avgPoolPad with count_include_pad=False", lambda m: set_attr(m.avgPoolPad, "count_include_pad", False)),
     ("avgPoolNoPad with count_include_pad=True", lambda m: set_attr(m.avgPoolNoPad, "count_include_pad", True))])


def check_ceil_pool():
    """Prints, per ceil_mode pool and axis, what the CeilPool model exercises (recomputed from PyTorch's formula)."""
    pools = list(MODELS["CeilPool"].build().named_children())[1:]
    for axis, size in (("height", 13), ("width", 27)):
        size = size + 2 * 1 - 2 + 1  # conv: kernel 2, padding 1
        for name, pool in pools:
            k, s, p = pool.kernel_size, pool.stride, pool.padding
            k, s, p = [v if isinstance(v, int) else v[0] for v in (k, s, p)]
            d = getattr(pool, "dilation", 1)
            span = size + 2 * p - d * (k - 1) - 1
            floor_out = span // s + 1
            ceil_out = -(-span // s) + 1
            dropped = pool.ceil_mode and (ceil_out - 1) * s >= size + p
            out = (ceil_out - dropped) if pool.ceil_mode else floor_out
            last = (out - 1) * s + d * (k - 1)  # last window's end, in padded coordinates
            facts = []
            if pool.ceil_mode and out != floor_out:
                facts.append(f"ceil gives {out}, floor {floor_out}")
            if dropped:
                facts.append(f"last window dropped ({ceil_out} -> {out})")
            if last > size + p - 1:
                facts.append("last window passes the input" + (" and the padding" if last > size + 2 * p - 1 else ""))
            print(f"   {name} {axis}: {size} -> {out}" + (": " + "; ".join(facts) if facts else ""))
            size = out


MODELS["Grouped"] = Spec(
    "dev.shapeproof.examples.golden.Grouped",
    "grouped, depthwise (stride 2) and dilated depthwise ×2 convolutions, a bias-free 1×1, AdaptiveAvgPool2d((3, 2)) "
    "from 8×5 (neither divides)",
    lambda: Chain([
        ("grouped", nn.Conv2d(8, 16, 3, padding=1, groups=4)),
        ("depthwise", nn.Conv2d(16, 16, 3, stride=2, padding=1, groups=16)),
        ("depthwiseDilated", nn.Conv2d(16, 32, 3, padding=2, dilation=2, groups=16)),
        ("pointwise", nn.Conv2d(32, 12, 1, bias=False)),
        ("pool", nn.AdaptiveAvgPool2d((3, 2))),
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(72, 10)),
    ]),
    (8, 15, 9), 2, 1.0)

MODELS["BatchNormNet"] = Spec(
    "dev.shapeproof.examples.golden.BatchNormNet",
    "eval BatchNorm2d with random running statistics, affine and not (bn2 with eps = 1e-3)",
    lambda: Chain([
        ("conv1", nn.Conv2d(3, 8, 3)),
        ("bn1", nn.BatchNorm2d(8)),
        ("relu", nn.ReLU()),
        ("conv2", nn.Conv2d(8, 8, 3)),
        ("bn2", nn.BatchNorm2d(8, eps=1e-3, affine=False)),
        ("pool", nn.AdaptiveAvgPool2d(1)),
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(8, 5)),
    ]),
    (3, 12, 12), 2, 1.0, 1.0,
    [("bn2 with eps 1e-5", lambda m: set_attr(m.bn2, "eps", 1e-5)),
     ("bn1 with fresh running statistics (0, 1)", lambda m: (m.bn1.running_mean.zero_(), m.bn1.running_var.fill_(1)))])

MODELS["Activations"] = Spec(
    "dev.shapeproof.examples.golden.Activations",
    "LeakyReLU(0.2), Sigmoid, Tanh, GELU (erf and tanh forms), Softmax on [N, F]",
    lambda: Chain([
        ("fc1", nn.Linear(20, 16)),
        ("leaky", nn.LeakyReLU(0.2)),
        ("fc2", nn.Linear(16, 16)),
        ("sigmoid", nn.Sigmoid()),
        ("fc3", nn.Linear(16, 16)),
        ("tanh", nn.Tanh()),
        ("fc4", nn.Linear(16, 16)),
        ("gelu", nn.GELU()),
        ("fc5", nn.Linear(16, 16)),
        ("geluTanh", nn.GELU(approximate="tanh")),
        ("fc6", nn.Linear(16, 8)),
        ("softmax", nn.Softmax(dim=1)),
    ]),
    (20,), 3, 2.0, 3.0,
    [("gelu in the tanh form", lambda m: set_attr(m.gelu, "approximate", "tanh")),
     ("geluTanh in the erf form", lambda m: set_attr(m.geluTanh, "approximate", "none")),
     ("leaky with PyTorch's default slope 0.01", lambda m: set_attr(m.leaky, "negative_slope", 0.01))])

MODELS["ActivationsLog"] = Spec(
    "dev.shapeproof.examples.golden.ActivationsLog",
    "LogSoftmax on [N, F]",
    lambda: Chain([
        ("fc", nn.Linear(20, 7)),
        ("logSoftmax", nn.LogSoftmax(dim=1)),
    ]),
    (20,), 3, 2.0)

MODELS["Softmax4d"] = Spec(
    "dev.shapeproof.examples.golden.Softmax4d",
    "Softmax and LogSoftmax over the channels of a rank-4 tensor (dim = 1)",
    lambda: Chain([
        ("conv1", nn.Conv2d(3, 5, 3, padding=1)),
        ("softmax", nn.Softmax(dim=1)),
        ("conv2", nn.Conv2d(5, 4, 3, padding=1)),
        ("logSoftmax", nn.LogSoftmax(dim=1)),
    ]),
    (3, 6, 5), 2, 2.0, 1.0,
    [("softmax over the last axis (dim = -1)", lambda m: set_attr(m.softmax, "dim", -1)),
     ("logSoftmax over the last axis (dim = -1)", lambda m: set_attr(m.logSoftmax, "dim", -1))])

MODELS["SameDilated"] = Spec(
    "dev.shapeproof.examples.golden.SameDilated",
    "padding='same' with dilation 3, with an even (4, 2) kernel (extra row/column bottom/right), then 'valid'",
    lambda: Chain([
        ("conv1", nn.Conv2d(3, 6, 3, padding="same", dilation=3)),
        ("conv2", nn.Conv2d(6, 6, (4, 2), padding="same")),
        ("conv3", nn.Conv2d(6, 4, 3, padding="valid")),
    ]),
    (3, 17, 12), 2, 1.0, 1.0,
    [("conv2's odd 'same' padding at the top/left", lambda m: set_attr(m, "conv2", SwappedSamePadding(m.conv2)))])


# The example ContextModule (21 channels, dilations 1, 1, 2, 4, 8, 16, 1, padding = dilation) on 20×20 instead of
# 64×64, to keep io.npz small: ctx6's taps 16 pixels away still land inside the map for the outer 4 rows and columns.
MODELS["ContextModuleSmall"] = Spec(
    "dev.shapeproof.examples.golden.ContextModuleSmall",
    "Yu & Koltun's basic context module (the example ContextModule) on 21×20×20: 3×3 convolutions dilated 1, 1, 2, "
    "4, 8, 16, 1, ReLU after each, a 1×1 output layer",
    lambda: Chain([
        ("ctx1", nn.Conv2d(21, 21, 3, padding=1)),
        ("relu1", nn.ReLU()),
        ("ctx2", nn.Conv2d(21, 21, 3, padding=1)),
        ("relu2", nn.ReLU()),
        ("ctx3", nn.Conv2d(21, 21, 3, padding=2, dilation=2)),
        ("relu3", nn.ReLU()),
        ("ctx4", nn.Conv2d(21, 21, 3, padding=4, dilation=4)),
        ("relu4", nn.ReLU()),
        ("ctx5", nn.Conv2d(21, 21, 3, padding=8, dilation=8)),
        ("relu5", nn.ReLU()),
        ("ctx6", nn.Conv2d(21, 21, 3, padding=16, dilation=16)),
        ("relu6", nn.ReLU()),
        ("ctx7", nn.Conv2d(21, 21, 3, padding=1)),
        ("relu7", nn.ReLU()),
        ("output", nn.Conv2d(21, 21, 1)),
    ]),
    (21, 20, 20), 2, 1.0, 2.0,
    [("ctx6 with dilation 8, padding 8", lambda m: (set_attr(m.ctx6, "dilation", (8, 8)),
                                                    set_attr(m.ctx6, "padding", (8, 8))))])


class SeedNet(nn.Module):
    """dev.shapeproof.examples.SeedNet. The DSL's `dropout(x)` follows the model's mode, as the seed's
    F.dropout(x, training=self.training) does; PyTorch's bare F.dropout(x) would drop in eval() as well."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, 5)
        self.conv2 = nn.Conv2d(10, 20, 5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


class AsppHead(nn.Module):
    """dev.shapeproof.examples.AsppHead: DeepLabv3's ASPP on 64×33×33."""

    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(64, 32, 1, bias=False)
        self.bn0 = nn.BatchNorm2d(32)
        self.conv1 = nn.Conv2d(64, 32, 3, padding=6, dilation=6, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(64, 32, 3, padding=12, dilation=12, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.conv3 = nn.Conv2d(64, 32, 3, padding=18, dilation=18, bias=False)
        self.bn3 = nn.BatchNorm2d(32)
        self.conv_pool = nn.Conv2d(64, 32, 1, bias=False)
        self.bn_pool = nn.BatchNorm2d(32)
        self.project = nn.Conv2d(160, 32, 1, bias=False)
        self.bn_project = nn.BatchNorm2d(32)

    def forward(self, x):
        b0 = F.relu(self.bn0(self.conv0(x)))
        b1 = F.relu(self.bn1(self.conv1(x)))
        b2 = F.relu(self.bn2(self.conv2(x)))
        b3 = F.relu(self.bn3(self.conv3(x)))
        pooled = F.adaptive_avg_pool2d(x, 1)
        b4 = F.relu(self.bn_pool(self.conv_pool(pooled)))
        b4 = F.interpolate(b4, size=(33, 33), mode='bilinear', align_corners=False)
        y = torch.cat([b0, b1, b2, b3, b4], dim=1)
        return F.relu(self.bn_project(self.project(y)))


class SmallResNet(nn.Module):
    """dev.shapeproof.examples.SmallResNet: two basic blocks, the second with a stride-2 1×1 downsample."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.block1_conv1 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.block1_bn1 = nn.BatchNorm2d(16)
        self.block1_conv2 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.block1_bn2 = nn.BatchNorm2d(16)
        self.block2_conv1 = nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False)
        self.block2_bn1 = nn.BatchNorm2d(32)
        self.block2_conv2 = nn.Conv2d(32, 32, 3, padding=1, bias=False)
        self.block2_bn2 = nn.BatchNorm2d(32)
        self.block2_down = nn.Conv2d(16, 32, 1, stride=2, bias=False)
        self.block2_down_bn = nn.BatchNorm2d(32)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))

        identity = x
        out = F.relu(self.block1_bn1(self.block1_conv1(x)))
        out = self.block1_bn2(self.block1_conv2(out))
        out += identity
        x = F.relu(out)

        identity = self.block2_down_bn(self.block2_down(x))
        out = F.relu(self.block2_bn1(self.block2_conv1(x)))
        out = self.block2_bn2(self.block2_conv2(out))
        out += identity
        x = F.relu(out)

        x = torch.flatten(self.pool(x), 1)
        return self.fc(x)


class ImageAndMask(nn.Module):
    """dev.shapeproof.examples.ImageAndMask: two inputs (image, mask), two outputs (segmentation, scores)."""

    def __init__(self):
        super().__init__()
        self.image_conv = nn.Conv2d(3, 12, 3, padding=1)
        self.mask_conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fuse = nn.Conv2d(16, 2, 1)
        self.classifier = nn.Linear(16, 5)

    def forward(self, image, mask):
        features = F.relu(self.image_conv(image))
        guide = torch.sigmoid(self.mask_conv(mask))
        both = torch.cat([features, guide], dim=1)
        segmentation = self.fuse(both)
        pooled = F.adaptive_avg_pool2d(both, 1).flatten(1)
        scores = self.classifier(pooled)
        return segmentation, scores


def aspp_input(batch):
    """Per sample and channel an offset (so that the image-pooling branch sees averages far from 0 that differ between
    samples) plus per-pixel noise, rounded to multiples of 1/8 so that np.savez_compressed shrinks the file."""
    x = torch.randn(batch, 64, 33, 33) + torch.randn(batch, 64, 1, 1)
    return collections.OrderedDict(x=torch.round(x * 8) / 8)


def image_and_mask_inputs(batch):
    image = torch.randn(batch, 3, 32, 32)
    mask = (torch.rand(batch, 1, 32, 32) < 0.5).float()  # a binary mask
    return collections.OrderedDict(image=image, mask=mask)


def aspp_pool_branch(model, inputs):
    """How much the image-pooling branch carries: b4 before the upsampling, and whether it depends on the input."""
    x = inputs["x"]
    with torch.no_grad():
        b4 = F.relu(model.bn_pool(model.conv_pool(F.adaptive_avg_pool2d(x, 1))))
    flat = b4.flatten(1)
    return [f"image-pooling branch b4 (before interpolate): {int((flat > 0).sum())} of {flat.numel()} values > 0, "
            f"max {float(flat.max()):.3g}, samples differ by up to {float((flat[0] - flat[1]).abs().max()):.3g}"]


def zero_pool_branch(model):
    model.bn_pool.weight.zero_()
    model.bn_pool.bias.zero_()


# name -> (java class, what the model exercises, module factory, inputs (a function of the batch size returning the
# named inputs, in the Java forward's parameter order), the names of the outputs as the Java forward returns them
# (None: one output), batch, gain, probes (as for MODELS), compressed (np.savez_compressed), facts (a function of the
# model and its inputs returning lines to print and list)).
GraphSpec = collections.namedtuple("GraphSpec", "java about build inputs outputs batch gain probes compressed facts",
                                   defaults=(1.0, (), False, None))

GRAPH_MODELS = collections.OrderedDict()

GRAPH_MODELS["AsppHead"] = GraphSpec(
    "dev.shapeproof.examples.AsppHead",
    "ASPP: a 1×1 branch and 3×3 branches dilated 6, 12, 18 (padding = rate), an image-pooling branch "
    "(adaptive_avg_pool2d to 1×1, 1×1 conv, BN, ReLU, bilinear interpolate back to 33×33), cat of the five, 1×1 "
    "projection; BatchNorm and ReLU after every conv",
    AsppHead, aspp_input, None, 2, 1.0,
    [("image-pooling branch off (bn_pool's weight and bias 0)", zero_pool_branch),
     ("conv3 with dilation 12, padding 12", lambda m: (set_attr(m.conv3, "dilation", (12, 12)),
                                                       set_attr(m.conv3, "padding", (12, 12))))],
    True, aspp_pool_branch)

GRAPH_MODELS["SmallResNet"] = GraphSpec(
    "dev.shapeproof.examples.SmallResNet",
    "two basic blocks with residual adds (`out += identity`), the second with stride 2 and a 1×1 stride-2 "
    "downsample + BN on the skip, AdaptiveAvgPool2d(1), torch.flatten, Linear",
    SmallResNet, lambda batch: collections.OrderedDict(x=torch.randn(batch, 3, 32, 32)), None, 2, 1.0,
    [("block2's skip without block2_down_bn", lambda m: set_attr(m, "block2_down_bn", nn.Identity())),
     ("block1_bn2 with fresh running statistics (0, 1)",
      lambda m: (m.block1_bn2.running_mean.zero_(), m.block1_bn2.running_var.fill_(1)))])

GRAPH_MODELS["ImageAndMask"] = GraphSpec(
    "dev.shapeproof.examples.ImageAndMask",
    "two inputs (an image and a binary mask), relu and sigmoid branches, cat, a 1×1 conv and "
    "adaptive_avg_pool2d(..., 1).flatten(1) + Linear: two outputs",
    ImageAndMask, image_and_mask_inputs, ("segmentation", "scores"), 2, 1.0,
    [("mask ignored (mask_conv's weight 0)", lambda m: m.mask_conv.weight.zero_())])


def check_seed_net():
    """The DSL SeedNet with golden/SeedNet's weights must give golden/SeedNet's output exactly: then its test reuses
    those files. Returns the keys it loaded."""
    weights = np.load(os.path.join(GOLDEN, "SeedNet", "weights.npz"))
    golden_io = np.load(os.path.join(GOLDEN, "SeedNet", "io.npz"))
    model = SeedNet()
    keys = list(model.state_dict().keys())
    assert set(keys) <= set(weights.files), (keys, weights.files)
    model.load_state_dict({k: torch.from_numpy(weights[k]) for k in keys})
    model.eval()
    with torch.no_grad():
        y = model(torch.from_numpy(golden_io["input"])).numpy()
    chain = MODELS["SeedNet"]
    torch.manual_seed(SEED)
    with torch.no_grad():
        reference = chain.build()
        reference.load_state_dict({k: torch.from_numpy(weights[k]) for k in weights.files})
        reference.eval()
        y_chain = reference(torch.from_numpy(golden_io["input"])).numpy()
    assert np.array_equal(y, y_chain), float(np.abs(y - y_chain).max())
    print(f"== SeedNet (DSL, dev.shapeproof.examples.SeedNet): keys {', '.join(keys)} all in golden/SeedNet; "
          f"its forward equals the chain's bit for bit (max |output| {float(np.abs(y).max()):.6g}; "
          f"golden/SeedNet/io.npz output differs by {float(np.abs(y - golden_io['output']).max()):.3g} here)")
    return keys


def constant_name(field):
    """The generated constant's name: conv2_drop -> CONV2_DROP, logSoftmax -> LOG_SOFTMAX."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", field).upper() + "_OUTPUT_SHAPE"


def java_shape(shape):
    return "[" + ", ".join(["-1"] + [str(d) for d in shape[1:]]) + "]"


def state_dict_arrays(model):
    weights = {k: v.numpy() for k, v in model.state_dict().items()}
    for key, value in weights.items():
        expected = np.int64 if key.endswith("num_batches_tracked") else np.float32
        assert value.dtype == expected, (key, value.dtype)
    return weights


def write_files(name, write, save, weights, arrays):
    """Saves weights.npz and io.npz with `save` (np.savez or np.savez_compressed) into memory, writes them under
    golden/<name>/ if `write`, and returns their sizes (the same whether written or not)."""
    sizes = {}
    for file, content in (("weights.npz", weights), ("io.npz", arrays)):
        buffer = io.BytesIO()
        save(buffer, **content)
        data = buffer.getvalue()
        sizes[file] = len(data)
        if write:
            directory = os.path.join(GOLDEN, name)
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, file), "wb") as f:
                f.write(data)
    return sizes


def make(name, spec, write=True):
    torch.manual_seed(SEED)
    with torch.no_grad():
        model = spec.build()
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                module.weight.mul_(spec.gain)
        randomize_batch_norm(model)
        model.eval()
        x = torch.randn(spec.batch, *spec.sample) * spec.scale

        shapes = []
        hooks = [m.register_forward_hook(lambda m, i, o, n=n: shapes.append((n, tuple(o.shape))))
                 for n, m in model.named_children()]
        y = model(x)
        for hook in hooks:
            hook.remove()

    weights = state_dict_arrays(model)
    sizes = write_files(name, write, np.savez, weights,
                        dict(input=x.numpy().astype(np.float32), output=y.numpy().astype(np.float32)))

    probes = []
    for what, mutate in spec.probes:
        with torch.no_grad():
            mutant = copy.deepcopy(model)
            mutate(mutant)
            probes.append((what, float((mutant(x) - y).abs().max())))

    max_abs = float(y.abs().max())
    print(f"== {name} ({spec.java})")
    print(f"   INPUT_SHAPE = {java_shape(tuple(x.shape))}")
    for field, shape in shapes:
        print(f"   {constant_name(field)} = {java_shape(shape)}")
    print(f"   OUTPUT_SHAPE = {java_shape(tuple(y.shape))}   (PyTorch: {list(y.shape)})")
    print(f"   max |output| = {max_abs:.6g}")
    print(f"   weights.npz {sizes['weights.npz']} B ({len(weights)} keys), io.npz {sizes['io.npz']} B")
    for what, change in probes:
        print(f"   probe: {what} moves the output by {change:.3g}")
    return dict(name=name, spec=spec, input=list(x.shape), output=list(y.shape), max_abs=max_abs, sizes=sizes,
                keys=len(weights), probes=probes)


def make_graph(name, spec, write=True):
    torch.manual_seed(SEED)
    with torch.no_grad():
        model = spec.build()
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                module.weight.mul_(spec.gain)
        randomize_batch_norm(model)
        model.eval()
        inputs = spec.inputs(spec.batch)

        shapes = []
        hooks = [m.register_forward_hook(lambda m, i, o, n=n: shapes.append((n, tuple(o.shape))))
                 for n, m in model.named_children()]
        ys = model(*inputs.values())
        for hook in hooks:
            hook.remove()
    ys = ys if isinstance(ys, tuple) else (ys,)
    output_names = spec.outputs or ("output",)
    assert len(ys) == len(output_names), (name, len(ys))
    input_names = ["input" if n == "x" else n for n in inputs]

    arrays = collections.OrderedDict()
    for n, v in zip(input_names, inputs.values()):
        arrays[n] = v.numpy().astype(np.float32)
    for n, v in zip(output_names, ys):
        arrays[n] = v.numpy().astype(np.float32)
    weights = state_dict_arrays(model)
    sizes = write_files(name, write, np.savez_compressed if spec.compressed else np.savez, weights, arrays)

    probes = []
    for what, mutate in spec.probes:
        with torch.no_grad():
            mutant = copy.deepcopy(model)
            mutate(mutant)
            moved = mutant(*inputs.values())
            moved = moved if isinstance(moved, tuple) else (moved,)
            probes.append((what, max(float((a - b).abs().max()) for a, b in zip(moved, ys))))
    facts = spec.facts(model, inputs) if spec.facts else []

    max_abs = {n: float(y.abs().max()) for n, y in zip(output_names, ys)}
    print(f"== {name} ({spec.java}, forward DSL)")
    for n, v in zip(input_names, inputs.values()):
        print(f"   {n}: {list(v.shape)}")
    for field, shape in shapes:
        print(f"   {constant_name(field)} = {java_shape(shape)}")
    for n, y in zip(output_names, ys):
        print(f"   {n}: {list(y.shape)}, max |{n}| = {max_abs[n]:.6g}")
    print(f"   weights.npz {sizes['weights.npz']} B ({len(weights)} keys), io.npz {sizes['io.npz']} B"
          + (" (compressed)" if spec.compressed else ""))
    for line in facts:
        print(f"   {line}")
    for what, change in probes:
        print(f"   probe: {what} moves the output by {change:.3g}")
    return dict(name=name, spec=spec, inputs={n: list(v.shape) for n, v in zip(input_names, inputs.values())},
                outputs={n: list(y.shape) for n, y in zip(output_names, ys)}, max_abs=max_abs, sizes=sizes,
                keys=len(weights), probes=probes, facts=facts)


README_HEAD = """\
# PyTorch golden files

Generated by `tools/golden/make_golden.py` (PyTorch 1.13 from Debian's `python3-torch`); do not edit by hand: this
README is rewritten with them. Regenerate everything from the repository root with

```sh
/usr/bin/python3 tools/golden/make_golden.py
```

Each `<ModelName>/` holds

- `weights.npz`: the PyTorch `state_dict`, key for key (`conv1.weight`, `bn1.running_mean`, …), PyTorch layouts
  (conv `OIHW`, linear `[out, in]`), float32; BatchNorm's `num_batches_tracked` is a 0-d int64, as PyTorch stores it;
- `io.npz`: `input` (batch first) and `output` of `model.eval()` under `torch.no_grad()`, float32.

The state_dict's module names are the fields of the Java declaration (a sequential `@Model`: the fields in order), so
the weight file is meant to load into the generated `<Name>Model` as it is. Weights are PyTorch's default
initialisation under `torch.manual_seed({seed})`, conv and linear weights times the model's gain (so that activations
stay in the range where e.g. the two GELU forms differ measurably); BatchNorm layers also get random affine parameters
and running statistics (`num_batches_tracked` = 37).

| model | Java declaration | exercises | gain | input | output | max \\|output\\| | weights.npz | io.npz |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
"""


GRAPH_README = """
## Forward-DSL models

The examples with a `forward` text (examples/src/main/java/dev/shapeproof/examples/): in `make_golden.py` each is an
`nn.Module` whose attributes are the Java fields, in order, and whose `forward` is the Java text with `self.`, `F.` and
`torch.` added. `io.npz` holds the inputs (`input` for `x`, else the Java input's name) and the outputs (`output`, or
the names the forward returns). Batch 2; the Java models are the examples themselves, at their declared shapes.

The DSL `dev.shapeproof.examples.SeedNet` has no files of its own: its parameters ({seed_net_keys}: weight and bias)
are SeedNet's above, and with those weights its forward equals the chain's output bit for bit (checked by the script);
its test compares it with `SeedNet/io.npz`.

| model | Java declaration | exercises | gain | inputs | outputs | max \\|output\\| | weights.npz | io.npz |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
"""


def write_readme(rows, graph_rows, seed_net_keys):
    lines = [README_HEAD.format(seed=SEED)]
    for r in rows:
        lines.append(f"| {r['name']} | `{r['spec'].java}` | {r['spec'].about} | {r['spec'].gain:g} "
                     f"| {r['input']} | {r['output']} | {r['max_abs']:.4g} "
                     f"| {r['sizes']['weights.npz']:,} B ({r['keys']} keys) | {r['sizes']['io.npz']:,} B |\n")
    modules = list(dict.fromkeys(k.split(".")[0] for k in seed_net_keys))
    lines.append(GRAPH_README.format(seed_net_keys=", ".join(f"`{m}`" for m in modules)))
    for r in graph_rows:
        shapes = lambda named: "; ".join(f"`{n}` {shape}" for n, shape in named.items())
        max_abs = "; ".join(f"{v:.4g}" for v in r["max_abs"].values())
        compressed = ", compressed" if r["spec"].compressed else ""
        lines.append(f"| {r['name']} | `{r['spec'].java}` | {r['spec'].about} | {r['spec'].gain:g} "
                     f"| {shapes(r['inputs'])} | {shapes(r['outputs'])} | {max_abs} "
                     f"| {r['sizes']['weights.npz']:,} B ({r['keys']} keys{compressed}) "
                     f"| {r['sizes']['io.npz']:,} B{compressed.replace(', ', ' (') + ')' if compressed else ''} |\n")
    for r in graph_rows:
        for fact in r["facts"]:
            lines.append(f"\n{r['name']}: {fact}.\n")
    lines.append("\n## Probes\n\nHow far the output moves (max absolute difference) when one detail is done another "
                 "way: a\ncomparison tolerance must stay well below these to tell the details apart.\n\n"
                 "| model | probe | output moves by |\n| --- | --- | --- |\n")
    for r in rows + graph_rows:
        for what, change in r["probes"]:
            lines.append(f"| {r['name']} | {what} | {change:.2g} |\n")
    with open(os.path.join(GOLDEN, "README.md"), "w", encoding="utf-8") as f:
        f.write("".join(lines))


def main(selected):
    unknown = set(selected) - set(MODELS) - set(GRAPH_MODELS)
    if unknown:
        sys.exit(f"unknown models: {', '.join(sorted(unknown))}; known: {', '.join(list(MODELS) + list(GRAPH_MODELS))}")
    write = lambda name: not selected or name in selected
    print(f"torch {torch.__version__}, numpy {np.__version__}, seed {SEED}")
    torch.set_num_threads(1)  # one thread: the same summation order on every machine with this build
    rows = [make(name, spec, write(name)) for name, spec in MODELS.items()]
    graph_rows = [make_graph(name, spec, write(name)) for name, spec in GRAPH_MODELS.items()]
    seed_net_keys = check_seed_net()
    print("== CeilPool, per axis")
    check_ceil_pool()
    write_readme(rows, graph_rows, seed_net_keys)
    written = [r["name"] for r in rows + graph_rows if write(r["name"])]
    print(f"wrote {', '.join(written)} and README.md under {os.path.relpath(GOLDEN, ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
