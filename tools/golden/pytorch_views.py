#!/usr/bin/env python3
"""Records which views PyTorch allows of permuted and expanded tensors, so that the processor's stride rule
(processor/.../op/Strides.java, ATen's computeStride) is checked against PyTorch itself.

    /usr/bin/python3 tools/golden/pytorch_views.py    # rewrite the record (seeded: the same cases every run)

It writes processor/src/test/resources/pytorch-views.txt, read by StridesTest. One case a line:

    3x2x2 | 0 2 1 3 | - | 12 | error

the sizes of one sample; the permute applied to the batched tensor (axis 0, the batch, stays first); the expand
after it ("-" for none, else the new sizes, -1 keeping an axis); the sizes viewed after the batch, as view(-1, ...)
would; and PyTorch's verdict, "ok" or "error". Each verdict is taken at batch sizes 2 and 3 and must agree: the
processor measures the free batch at 2.
"""
import os
import random

import torch

CASES = 600
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "processor", "src", "test", "resources",
                   "pytorch-views.txt")


def factors(n):
    out, d = [], 2
    while n > 1:
        while n % d == 0:
            out.append(d)
            n //= d
        d += 1
    return out


def target(sizes, rng):
    """New sizes for the same elements: the sizes' prime factors, maybe shuffled, grouped, with a 1 here and there."""
    pieces = [f for s in sizes for f in factors(s)]
    if rng.random() < 0.3:
        rng.shuffle(pieces)
    groups, current = [], 1
    for f in pieces:
        current *= f
        if rng.random() < 0.5:
            groups.append(current)
            current = 1
    if current > 1 or not groups:
        groups.append(current)
    if rng.random() < 0.2:
        groups.insert(rng.randrange(len(groups) + 1), 1)
    return groups


def verdict(sample, order, expand, view):
    answers = set()
    for batch in (2, 3):
        x = torch.zeros(batch, *sample).permute(*order)
        if expand is not None:
            x = x.expand(*expand)
        try:
            x.view(-1, *view)
            answers.add("ok")
        except RuntimeError as e:
            assert "view size is not compatible" in str(e), e
            answers.add("error")
    assert len(answers) == 1, (sample, order, expand, view, answers)
    return answers.pop()


def main():
    rng = random.Random(1)
    lines = ["# Views of permuted and expanded tensors, and whether PyTorch "
             + torch.__version__ + " allows them (tools/golden/pytorch_views.py)"]
    for _ in range(CASES):
        rank = rng.randint(1, 4)
        sample = [rng.choice([1, 1, 2, 3, 4, 6]) for _ in range(rank)]
        rest = list(range(1, rank + 1))
        rng.shuffle(rest)
        order = [0] + rest
        permuted = [sample[a - 1] for a in rest]
        expand = None
        if 1 in permuted and rng.random() < 0.4:
            expand = [-1] + [rng.choice([2, 3]) if s == 1 and rng.random() < 0.7 else -1 for s in permuted]
            permuted = [s if e == -1 else e for s, e in zip(permuted, expand[1:])]
        view = target(permuted, rng)
        lines.append("%s | %s | %s | %s | %s" % (
            "x".join(map(str, sample)), " ".join(map(str, order)),
            "-" if expand is None else " ".join(map(str, expand)), " ".join(map(str, view)),
            verdict(sample, order, expand, view)))
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
