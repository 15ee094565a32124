#!/usr/bin/python3
"""PyTorch side of the ShapeProof benchmark (bench/README.md): the same four cases on the same weights and inputs.

Each case's data is written by the Java side (dev.shapeproof.bench.Prepare): <data>/<case>/weights.npz, a PyTorch
state_dict saved by the generated model, and <data>/<case>/io.npz with the input x and the generated model's output y.
The torch model loads the weights strictly, its output is checked against y (max |out - y| / max |y| <= 1e-4), then
the forward is timed: warm-up, then timed runs (time.perf_counter around each forward), median reported.

    /usr/bin/python3 bench/py/bench_torch.py --data DIR --case dilated_b8 [--threads N] [--out results.jsonl]
    /usr/bin/python3 bench/py/bench_torch.py --data DIR --case dilated_b8 --rss 5     # peak RSS instead of timing

Threads: torch.set_num_threads(--threads), default $OMP_NUM_THREADS (1 if unset), as ND4J reads it. Debian's
python3-torch 1.13 runs conv on oneDNN and Linear on the reference BLAS.
"""
import argparse
import collections
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

TOLERANCE = 1e-4


class SeedNet(nn.Module):
    """The seed's MNIST net, exactly as examples/SeedNet.java's forward DSL writes it."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
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


def dilated_stack():
    """examples/DilatedStack.java: 3x3 convs d = 1, 2, 4, 8, padding='same', 32 channels, ReLU after each."""
    layers = collections.OrderedDict()
    cin = 3
    for i, d in enumerate((1, 2, 4, 8), start=1):
        layers[f"conv{i}"] = nn.Conv2d(cin, 32, 3, dilation=d, padding="same")
        layers[f"relu{i}"] = nn.ReLU()
        cin = 32
    return nn.Sequential(layers)


def context_module():
    """examples/ContextModule.java: Yu & Koltun's basic context module, 21 channels."""
    layers = collections.OrderedDict()
    for i, d in enumerate((1, 1, 2, 4, 8, 16, 1), start=1):
        layers[f"ctx{i}"] = nn.Conv2d(21, 21, 3, padding=d, dilation=d)
        layers[f"relu{i}"] = nn.ReLU()
    layers["output"] = nn.Conv2d(21, 21, 1)
    return nn.Sequential(layers)


NETS = {"mnist_b1": SeedNet, "mnist_b64": SeedNet, "dilated_b8": dilated_stack, "context_b8": context_module}


def load_case(data, case):
    model = NETS[case]()
    with np.load(os.path.join(data, case, "weights.npz")) as weights:
        state = {k: torch.from_numpy(weights[k].copy()) for k in weights.files}
    model.load_state_dict(state, strict=True)
    model.eval()
    with np.load(os.path.join(data, case, "io.npz")) as io:
        x = torch.from_numpy(io["x"].copy())
        y = torch.from_numpy(io["y"].copy())
    return model, x, y


def rel_err(out, y):
    return float((out - y).abs().max() / max(float(y.abs().max()), 1e-30))


def vm(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])  # kB
    raise RuntimeError("no " + field)


def timed(model, x, seconds, min_runs):
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        model(x)
        times.append(time.perf_counter() - t0)
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--case", required=True, choices=sorted(NETS))
    p.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    p.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds (at least 3 runs)")
    p.add_argument("--measure", type=float, default=5.0, help="measured seconds (at least 10 runs)")
    p.add_argument("--rss", type=int, default=0, help="measure peak RSS over this many forwards instead")
    p.add_argument("--out", help="append the JSON result line to this file")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    model, x, y = load_case(args.data, args.case)
    result = {"case": args.case, "impl": "torch", "threads": args.threads, "torch": torch.__version__}
    with torch.no_grad():
        if args.rss:
            setup = vm("VmRSS")
            model(x)
            one = vm("VmHWM")
            for _ in range(args.rss - 1):
                model(x)
            result.update(forwards=args.rss, rss_setup_mb=setup / 1024, hwm_1_mb=one / 1024,
                          hwm_n_mb=vm("VmHWM") / 1024)
        err = rel_err(model(x), y)
        result["rel_err"] = err
        if not err <= TOLERANCE:
            print(f"{args.case}: torch differs from the reference by {err:.3g} (relative) > {TOLERANCE}",
                  file=sys.stderr)
            sys.exit(1)
        if not args.rss:
            timed(model, x, args.warmup, 3)
            times = sorted(timed(model, x, args.measure, 10))
            n = len(times)
            result.update(median_ms=statistics.median(times) * 1e3, p10_ms=times[n // 10] * 1e3,
                          p90_ms=times[(9 * n) // 10] * 1e3, runs=n)
    line = json.dumps(result)
    print(line)
    if args.out:
        with open(args.out, "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
