#!/usr/bin/env python3
"""Prints the PyTorch values the shape-algebra unit tests (runtime/src/test/java/dev/shapeproof/shape) assert.

Only prints; the Java tests never run Python. Run with: /usr/bin/python3 tools/shape/check_shape_rules.py
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def size_after(module, n):
    """Output height of `module` on a 1x1xnxn input (or the error PyTorch raises)."""
    try:
        with torch.no_grad():
            return module(torch.zeros(1, getattr(module, "in_channels", 1), n, n)).shape[-1]
    except RuntimeError as error:
        return "ERROR " + str(error).splitlines()[0]


print("== Window.outputSize: convolutions")
cases = [
    ("conv k5 d2 on 28", nn.Conv2d(1, 1, 5, dilation=2), 28),
    ("conv k3 d3 on 28", nn.Conv2d(1, 1, 3, dilation=3), 28),
    ("conv k3 d3 p3 on 28", nn.Conv2d(1, 1, 3, dilation=3, padding=3), 28),
    ("conv k3 d2 p2 on 28", nn.Conv2d(1, 1, 3, dilation=2, padding=2), 28),
    ("conv k3 s2 on 28", nn.Conv2d(1, 1, 3, stride=2), 28),
    ("conv k3 s2 p1 on 28", nn.Conv2d(1, 1, 3, stride=2, padding=1), 28),
    ("conv k5 s3 on 28", nn.Conv2d(1, 1, 5, stride=3), 28),
    ("conv k3 s3 p1 d2 on 17", nn.Conv2d(1, 1, 3, stride=3, padding=1, dilation=2), 17),
    ("conv k7 s2 p3 on 224", nn.Conv2d(1, 1, 7, stride=2, padding=3), 224),
    ("conv k5 p2 on 28", nn.Conv2d(1, 1, 5, padding=2), 28),
]
for name, module, n in cases:
    print(name, "->", size_after(module, n))

print("== MNIST chain 28 -> conv5 -> pool2 -> conv5 -> pool2")
x = torch.zeros(1, 1, 28, 28)
chain = [nn.Conv2d(1, 10, 5), nn.MaxPool2d(2), nn.Conv2d(10, 20, 5), nn.MaxPool2d(2)]
sizes = [28]
with torch.no_grad():
    for layer in chain:
        x = layer(x)
        sizes.append(x.shape[-1])
print("sizes", sizes, "final", list(x.shape))

print("== Window.outputSize: pooling, floor and ceil_mode")
pools = [
    ("maxpool k2 s2 p1 ceil on 11", dict(kernel_size=2, stride=2, padding=1, ceil_mode=True), 11),
    ("maxpool k2 s2 p1 floor on 11", dict(kernel_size=2, stride=2, padding=1, ceil_mode=False), 11),
    ("maxpool k2 s2 ceil on 5", dict(kernel_size=2, stride=2, ceil_mode=True), 5),
    ("maxpool k2 s2 floor on 5", dict(kernel_size=2, stride=2, ceil_mode=False), 5),
    ("maxpool k3 s2 ceil on 8", dict(kernel_size=3, stride=2, ceil_mode=True), 8),
    ("maxpool k3 s2 floor on 8", dict(kernel_size=3, stride=2, ceil_mode=False), 8),
    ("maxpool k2 s2 ceil on 4", dict(kernel_size=2, stride=2, ceil_mode=True), 4),
    ("maxpool k3 s2 p1 ceil on 6", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True), 6),
    ("maxpool k3 s2 p1 floor on 112", dict(kernel_size=3, stride=2, padding=1), 112),
    ("maxpool k3 s3 p1 ceil on 7", dict(kernel_size=3, stride=3, padding=1, ceil_mode=True), 7),
    ("maxpool k2 s2 d2 ceil on 6", dict(kernel_size=2, stride=2, dilation=2, ceil_mode=True), 6),
    ("maxpool k3 s3 p1 ceil on 8", dict(kernel_size=3, stride=3, padding=1, ceil_mode=True), 8),
    ("maxpool k3 s3 p1 floor on 8", dict(kernel_size=3, stride=3, padding=1, ceil_mode=False), 8),
    ("maxpool k2 s2 p1 ceil on 9", dict(kernel_size=2, stride=2, padding=1, ceil_mode=True), 9),
    ("maxpool k3 on 2 (too small)", dict(kernel_size=3), 2),
]
for name, kwargs, n in pools:
    print(name, "->", size_after(nn.MaxPool2d(**kwargs), n))

print("avgpool k3 s3 p1 ceil on 8 ->", size_after(nn.AvgPool2d(3, stride=3, padding=1, ceil_mode=True), 8))
print("avgpool k2 s2 p1 ceil on 11 ->", size_after(nn.AvgPool2d(2, stride=2, padding=1, ceil_mode=True), 11))

print("== padding='same' split (stride 1): compare with explicit F.pad(left, right)")
for k, d in [(4, 1), (3, 3), (4, 3), (5, 2), (2, 1)]:
    conv = nn.Conv2d(1, 1, k, dilation=d, padding="same", bias=False)
    total = d * (k - 1)
    left = total // 2
    right = total - left
    x = torch.randn(1, 1, 10, 10)
    with torch.no_grad():
        same = conv(x)
        explicit = F.conv2d(F.pad(x, (left, right, left, right)), conv.weight, dilation=d)
        swapped = F.conv2d(F.pad(x, (right, left, right, left)), conv.weight, dilation=d)
    print(f"same k={k} d={d}: size {same.shape[-1]} pad ({left},{right}) matches={torch.allclose(same, explicit)}"
          f" swapped-matches={torch.allclose(same, swapped)}")

print("== fits(): k_eff equal to padded input fits, one less input does not")
for name, module, n in [
    ("conv k5 d2 (k_eff 9) on 9", nn.Conv2d(1, 1, 5, dilation=2), 9),
    ("conv k5 d2 (k_eff 9) on 8", nn.Conv2d(1, 1, 5, dilation=2), 8),
    ("conv k5 d2 p1 on 7", nn.Conv2d(1, 1, 5, dilation=2, padding=1), 7),
    ("conv k5 d2 p1 on 6", nn.Conv2d(1, 1, 5, dilation=2, padding=1), 6),
]:
    print(name, "->", size_after(module, n))


def receptive_field(layers, n):
    """Measures size and jump along the width: gradient support of two neighbouring central outputs."""
    x = torch.zeros(1, 1, 1, n, dtype=torch.float64, requires_grad=True)
    y = x
    for layer in layers:
        y = layer(y)
    width = y.shape[-1]
    supports = []
    for col in (width // 2, width // 2 + 1):
        (grad,) = torch.autograd.grad(y[0, 0, 0, col], x, retain_graph=True)
        nonzero = grad[0, 0, 0].nonzero().flatten()
        supports.append((nonzero.min().item(), nonzero.max().item()))
    size = supports[0][1] - supports[0][0] + 1
    jump = supports[1][0] - supports[0][0]
    return size, jump


def ones_conv(k, stride=1, dilation=1):
    conv = nn.Conv2d(1, 1, (1, k), stride=(1, stride), dilation=(1, dilation), bias=False).double()
    nn.init.constant_(conv.weight, 1.0)
    return conv


print("== ReceptiveField")
sizes = []
layers = []
for d in [1, 1, 2, 4, 8, 16, 1]:
    layers.append(ones_conv(3, dilation=d))
    sizes.append(receptive_field(layers, 201))
print("dilated context stack 3x3 d=1,1,2,4,8,16,1: (size, jump) after each", sizes)
strided = [ones_conv(3, stride=2), ones_conv(3, stride=2), nn.AvgPool2d((1, 2), stride=(1, 2))]
print("conv k3 s2, conv k3 s2, pool k2 s2: (size, jump) =", receptive_field(strided, 201))
strided2 = [ones_conv(5, stride=1), ones_conv(3, stride=3, dilation=2), nn.AvgPool2d((1, 2), stride=(1, 2))]
print("conv k5, conv k3 s3 d2, pool k2 s2: (size, jump) =", receptive_field(strided2, 201))

print("== LayerMath parameter shapes (state_dict order; P = parameter, B = buffer)")


def describe(module):
    params = {name for name, _ in module.named_parameters()}
    return [(name, list(t.shape), "P" if name in params else "B") for name, t in module.state_dict().items()]


print("Conv2d(4, 8, 3, groups=2):", describe(nn.Conv2d(4, 8, 3, groups=2)))
print("Conv2d(6, 12, (3,5), groups=3, bias=False):", describe(nn.Conv2d(6, 12, (3, 5), groups=3, bias=False)))
print("Conv2d(8, 8, 3, groups=8):", describe(nn.Conv2d(8, 8, 3, groups=8)))
print("Conv2d(1, 10, 5):", describe(nn.Conv2d(1, 10, 5)))
print("Linear(320, 50):", describe(nn.Linear(320, 50)))
print("Linear(10, 3, bias=False):", describe(nn.Linear(10, 3, bias=False)))
print("BatchNorm2d(16):", describe(nn.BatchNorm2d(16)))
print("BatchNorm2d(16, affine=False):", describe(nn.BatchNorm2d(16, affine=False)))

print("== MACs (one sample): conv = output elements * weight[0].numel(); linear = rows * in * out")


def conv_macs(conv, n):
    with torch.no_grad():
        out = conv(torch.zeros(1, conv.in_channels, n, n))
    return list(out.shape), out[0].numel() * conv.weight[0].numel()


print("MNIST conv1 Conv2d(1,10,5) on 28:", conv_macs(nn.Conv2d(1, 10, 5), 28))
print("MNIST conv2 Conv2d(10,20,5) on 12:", conv_macs(nn.Conv2d(10, 20, 5), 12))
print("Conv2d(8,16,3,groups=4) on 10:", conv_macs(nn.Conv2d(8, 16, 3, groups=4), 10))
print("Conv2d(3,6,3,dilation=2) on 32:", conv_macs(nn.Conv2d(3, 6, 3, dilation=2), 32))
print("Conv2d(8,8,3,groups=8,padding=1) on 16:", conv_macs(nn.Conv2d(8, 8, 3, groups=8, padding=1), 16))
for shape in [(1, 320), (1, 7, 320)]:
    with torch.no_grad():
        out = nn.Linear(320, 50)(torch.zeros(*shape))
    rows = out[0].numel() // 50
    print(f"Linear(320,50) on {list(shape)}: out {list(out.shape)} macs {rows * 320 * 50}")

print("== Profiler FLOPs (2 x MACs) where torch reports them")
try:
    from torch.profiler import profile, ProfilerActivity
    for name, module, inp in [
        ("Conv2d(1,10,5) on 28", nn.Conv2d(1, 10, 5), torch.zeros(1, 1, 28, 28)),
        ("Conv2d(3,6,3,dilation=2) on 32", nn.Conv2d(3, 6, 3, dilation=2), torch.zeros(1, 3, 32, 32)),
        ("Conv2d(8,16,3,groups=4) on 10", nn.Conv2d(8, 16, 3, groups=4), torch.zeros(1, 8, 10, 10)),
        ("Linear(320,50) on [1,320]", nn.Linear(320, 50), torch.zeros(1, 320)),
    ]:
        with profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
            with torch.no_grad():
                module(inp)
        flops = {e.key: e.flops for e in prof.key_averages() if e.flops}
        print(name, flops)
except Exception as error:  # the profiler is optional
    print("profiler unavailable:", error)
