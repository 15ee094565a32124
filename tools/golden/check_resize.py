#!/usr/bin/env python3
"""Prints PyTorch's F.interpolate values that dev.shapeproof.nn.InterpolateTest hard-codes (the test needs no Python).

Run from anywhere with Debian's PyTorch (python3-torch, 1.13):

    /usr/bin/python3 tools/golden/check_resize.py

Every input is x[flat] = float32(((flat * 37) % 101) / 10.0 - 5.0) over the c-order flat index, which the Java test
rebuilds exactly (InterpolateTest.pattern). For each case it prints the output shape and the value at a few flat
indices as Java literals. It also checks, over many sizes and scale factors, the legacy-nearest index rule the Java
kernel and reference use: min(floor(float32(dst) * float32(1/scale or in/out)), in - 1), with PyTorch's shortcuts
out == in (copy) and out == 2*in (dst >> 1).
"""
import math

import numpy as np
import torch
import torch.nn.functional as F


def pattern(*shape):
    n = int(np.prod(shape))
    flat = np.array([((i * 37) % 101) / 10.0 - 5.0 for i in range(n)], dtype=np.float64)
    return torch.from_numpy(flat.astype(np.float32).reshape(shape))


def nearest_rule(dst, inp, out, scale):
    if out == inp:
        return dst
    if out == 2 * inp:
        return dst >> 1
    s = np.float32(1.0 / scale) if scale else np.float32(inp) / np.float32(out)
    return min(int(math.floor(np.float32(dst) * s)), inp - 1)


def check_nearest_rule():
    checked = bad = 0
    for inp in range(1, 13):
        for scale in [None, 0.5, 0.75, 1.2, 1.5, 1.75, 2, 2.05, 2.5, 3, 3.3, 4, 5, 7, 10, 25]:
            if scale is None:
                outs, scales = range(1, 40), [None]
            else:
                outs, scales = [int(math.floor(inp * scale))], [scale]
            for out in outs:
                if out < 1:
                    continue
                x = torch.arange(inp, dtype=torch.float32).reshape(1, 1, 1, inp)
                if scale is None:
                    y = F.interpolate(x, size=(1, out), mode="nearest")
                else:
                    y = F.interpolate(x, scale_factor=(1, scale), mode="nearest")
                got = [int(v) for v in y.flatten().tolist()]
                want = [nearest_rule(d, inp, out, scale) for d in range(out)]
                checked += 1
                if got != want:
                    bad += 1
                    print("MISMATCH nearest", inp, out, scale, got, want)
    print(f"// nearest index rule: {checked} cases, {bad} mismatches")


CASES = [
    # name, input shape, kwargs
    ("nearest x2", (1, 2, 3, 4), dict(scale_factor=2, mode="nearest")),
    ("nearest size (7,5)", (1, 2, 3, 4), dict(size=(7, 5), mode="nearest")),
    ("nearest x1.5", (1, 1, 3, 5), dict(scale_factor=1.5, mode="nearest")),
    ("bilinear x4 align False", (1, 2, 4, 4), dict(scale_factor=4, mode="bilinear", align_corners=False)),
    ("bilinear x4 align True", (1, 2, 4, 4), dict(scale_factor=4, mode="bilinear", align_corners=True)),
    ("bilinear size (9,13) align False", (2, 1, 4, 4), dict(size=(9, 13), mode="bilinear", align_corners=False)),
    ("bilinear size (9,13) align True", (2, 1, 4, 4), dict(size=(9, 13), mode="bilinear", align_corners=True)),
    ("bilinear 1x1 -> 8x8", (1, 3, 1, 1), dict(size=(8, 8), mode="bilinear", align_corners=False)),
    ("bilinear x1.5 align False", (1, 1, 5, 5), dict(scale_factor=1.5, mode="bilinear", align_corners=False)),
    ("bilinear size (7,7) align False", (1, 1, 5, 5), dict(size=(7, 7), mode="bilinear", align_corners=False)),
    ("bilinear down (3,5) align False", (1, 1, 7, 11), dict(size=(3, 5), mode="bilinear", align_corners=False)),
    # PyTorch's kernels copy when out == in (whatever the scale) and nearest halves when out == 2*in
    ("bilinear x1.2, out == in", (1, 1, 4, 4), dict(scale_factor=1.2, mode="bilinear", align_corners=False)),
    ("nearest x2.05, out == 2*in", (1, 1, 2, 10), dict(scale_factor=2.05, mode="nearest")),
]


def main():
    check_nearest_rule()
    for name, shape, kwargs in CASES:
        x = pattern(*shape)
        y = F.interpolate(x, **kwargs)
        flat = y.flatten()
        n = flat.numel()
        picks = sorted(set([0, 1, n // 7, n // 3, n // 2, (2 * n) // 3, n - 2, n - 1]))
        indices = ", ".join(str(i) for i in picks)
        values = ", ".join(f"{np.float32(flat[i].item())!r}f" for i in picks)
        print(f"// {name}: {tuple(shape)} -> {tuple(y.shape)}, {kwargs}")
        print(f"    new int[] {{{indices}}},")
        print(f"    new float[] {{{values}}}")


if __name__ == "__main__":
    main()
