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


class AsppHead(nn.Module):
    """examples/AsppHead.java: DeepLab's ASPP head on 64x33x33, its forward DSL with F. added."""

    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(64, 32, 1, bias=False)
        self.bn0 = nn.BatchNorm2d(32)
        for i, d in ((1, 6), (2, 12), (3, 18)):
            setattr(self, f"conv{i}", nn.Conv2d(64, 32, 3, padding=d, dilation=d, bias=False))
            setattr(self, f"bn{i}", nn.BatchNorm2d(32))
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
        b4 = F.interpolate(b4, size=(33, 33), mode="bilinear", align_corners=False)
        y = torch.cat([b0, b1, b2, b3, b4], dim=1)
        return F.relu(self.bn_project(self.project(y)))


class DilatedGelu(nn.Module):
    """bench/.../models/DilatedGelu.java."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, dilation=2, padding="same")
        self.conv2 = nn.Conv2d(16, 16, 3, padding=1)

    def forward(self, x):
        x = F.gelu(self.conv1(x))
        x = F.max_pool2d(x, 3, stride=1, padding=1, dilation=2)
        return F.gelu(self.conv2(x))


def seed_sequential():
    """examples/Net.java: the seed's MNIST net as a sequential model."""
    return nn.Sequential(collections.OrderedDict([
        ("conv1", nn.Conv2d(1, 10, 5)), ("pool1", nn.MaxPool2d(2)), ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(10, 20, 5)), ("conv2_drop", nn.Dropout2d()), ("pool2", nn.MaxPool2d(2)),
        ("relu2", nn.ReLU()), ("flatten", nn.Flatten()), ("fc1", nn.Linear(320, 50)), ("relu3", nn.ReLU()),
        ("dropout", nn.Dropout()), ("fc2", nn.Linear(50, 10)), ("logSoftmax", nn.LogSoftmax(dim=1))]))


class SmallResNet(nn.Module):
    """examples/SmallResNet.java."""

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


def torchvision_model(name):
    def create():
        import torchvision.models as models
        if name == "deeplabv3_resnet50":
            import torchvision.models.segmentation as segmentation
            model = segmentation.deeplabv3_resnet50(weights=None, weights_backbone=None, aux_loss=False)
            return OutOnly(model)
        return getattr(models, name)(weights=None)
    return create


class OutOnly(nn.Module):
    """A segmentation model's "out" entry, as the Java bench reads it; the state_dict keys stay the model's."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]

    def load_state_dict(self, state, strict=True):
        return self.model.load_state_dict(state, strict=strict)


NETS = {"mnist_b1": SeedNet, "mnist_b64": SeedNet, "dilated_b8": dilated_stack, "context_b8": context_module,
        "aspp_b1": AsppHead, "aspp_b8": AsppHead, "dilgelu_b8": DilatedGelu, "mnistseq_b1": seed_sequential,
        "smallresnet_b8": SmallResNet, "resnet18_b1": torchvision_model("resnet18"),
        "resnet18_b8": torchvision_model("resnet18"), "resnet50_b1": torchvision_model("resnet50"),
        "mobilenetv2_b1": torchvision_model("mobilenet_v2"), "mobilenetv2_b8": torchvision_model("mobilenet_v2"),
        "deeplab_b1": torchvision_model("deeplabv3_resnet50")}


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
    # "best": glibc's MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ raised, so large buffers are not returned to the
    # kernel (and page-faulted in again) on every forward; run.sh runs each case both ways.
    malloc = "best" if os.environ.get("MALLOC_MMAP_THRESHOLD_") else "default"
    result = {"case": args.case, "impl": "torch", "threads": args.threads, "torch": torch.__version__,
              "malloc": malloc, "round": int(os.environ.get("BENCH_ROUND", "1"))}
    # inference_mode: PyTorch at its fastest for inference (no autograd bookkeeping at all).
    with torch.inference_mode():
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
            result.update(median_ms=statistics.median(times) * 1e3, min_ms=times[0] * 1e3, p10_ms=times[n // 10] * 1e3,
                          p90_ms=times[(9 * n) // 10] * 1e3, runs=n)
    line = json.dumps(result)
    print(line)
    if args.out:
        with open(args.out, "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
