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

Every model is a chain: its modules are attributes named like the fields of the matching Java @Model declaration
(examples/src/test/java/dev/shapeproof/examples/golden/<ModelName>.java; SeedNet is dev.shapeproof.examples.Net), and
forward() applies them in declaration order, so the state_dict keys are the Java field names. The output is
byte-for-byte reproducible: same seeds, same CPU kernels, and NumPy writes fixed zip timestamps.
"""
import collections
import copy
import os
import re

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


def constant_name(field):
    """The generated constant's name: conv2_drop -> CONV2_DROP, logSoftmax -> LOG_SOFTMAX."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", field).upper() + "_OUTPUT_SHAPE"


def java_shape(shape):
    return "[" + ", ".join(["-1"] + [str(d) for d in shape[1:]]) + "]"


def make(name, spec):
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

    directory = os.path.join(GOLDEN, name)
    os.makedirs(directory, exist_ok=True)
    weights = {k: v.numpy() for k, v in model.state_dict().items()}
    for key, value in weights.items():
        expected = np.int64 if key.endswith("num_batches_tracked") else np.float32
        assert value.dtype == expected, (key, value.dtype)
    np.savez(os.path.join(directory, "weights.npz"), **weights)
    np.savez(os.path.join(directory, "io.npz"),
             input=x.numpy().astype(np.float32), output=y.numpy().astype(np.float32))

    probes = []
    for what, mutate in spec.probes:
        with torch.no_grad():
            mutant = copy.deepcopy(model)
            mutate(mutant)
            probes.append((what, float((mutant(x) - y).abs().max())))

    max_abs = float(y.abs().max())
    sizes = {f: os.path.getsize(os.path.join(directory, f)) for f in ("weights.npz", "io.npz")}
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


def write_readme(rows):
    lines = [README_HEAD.format(seed=SEED)]
    for r in rows:
        lines.append(f"| {r['name']} | `{r['spec'].java}` | {r['spec'].about} | {r['spec'].gain:g} "
                     f"| {r['input']} | {r['output']} | {r['max_abs']:.4g} "
                     f"| {r['sizes']['weights.npz']:,} B ({r['keys']} keys) | {r['sizes']['io.npz']:,} B |\n")
    lines.append("\n## Probes\n\nHow far the output moves (max absolute difference) when one detail is done another "
                 "way: a\ncomparison tolerance must stay well below these to tell the details apart.\n\n"
                 "| model | probe | output moves by |\n| --- | --- | --- |\n")
    for r in rows:
        for what, change in r["probes"]:
            lines.append(f"| {r['name']} | {what} | {change:.2g} |\n")
    with open(os.path.join(GOLDEN, "README.md"), "w", encoding="utf-8") as f:
        f.write("".join(lines))


def main():
    print(f"torch {torch.__version__}, numpy {np.__version__}, seed {SEED}")
    torch.set_num_threads(1)  # one thread: the same summation order on every machine with this build
    rows = [make(name, spec) for name, spec in MODELS.items()]
    print("== CeilPool, per axis")
    check_ceil_pool()
    write_readme(rows)
    print(f"wrote {len(rows)} models and README.md under {os.path.relpath(GOLDEN, ROOT)}")


if __name__ == "__main__":
    main()
