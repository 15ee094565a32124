#!/usr/bin/env python3
"""Writes the PyTorch goldens of the ops that real architectures need (examples/src/test/resources/golden/Ops*/).

Run from the repository root with Debian's python3-torch (1.13) and NumPy:

    /usr/bin/python3 tools/golden/make_op_goldens.py            # every model
    /usr/bin/python3 tools/golden/make_op_goldens.py OpsDecoder # some of them

Each model below is an nn.Module whose attributes are the fields of the Java @Model of the same name
(examples/src/test/java/dev/shapeproof/examples/golden/<Name>.java), registered in the same order, and whose forward is
the Java forward text as written. Weights: PyTorch's default initialisation from a fixed seed, conv weights times a
gain (so that activations reach the kinks of the hard activations), every norm's affine parameters and running
statistics randomised, every parameter that is not a layer's drawn at random (a zero class token would hide a wrong
one). It runs a batch of 2 in eval mode under no_grad and writes

    weights.npz   the state_dict, key for key (num_batches_tracked as 0-d int64)
    io.npz        `input`, and `output` for one returned tensor, else `output.<name>` per returned value (a name the
                  forward returns by variable, or `output<i>` as the generated record names it)

and refuses an output whose max |value| is under 0.1, which any tolerance would pass. Deterministic on one machine.
"""
import collections
import io
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "examples", "src", "test", "resources", "golden")
SEED = 20261206


class OpsActivations(nn.Module):
    outputs = ["output"]

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, padding=1)
        self.relu6 = nn.ReLU6()
        self.hardswish = nn.Hardswish()
        self.hardsigmoid = nn.Hardsigmoid()
        self.silu = nn.SiLU()
        self.elu = nn.ELU(alpha=1.2)
        self.mish = nn.Mish()
        self.identity = nn.Identity()
        self.dropout = nn.Dropout(0.3)

    def forward(self, x):
        x = self.conv(x)
        a = self.relu6(x)
        b = self.hardswish(x) + F.hardswish(a)
        c = self.hardsigmoid(b) * F.hardsigmoid(x)
        d = self.silu(c - x) + F.silu(x, inplace=False)
        e = self.elu(d) - F.elu(x, alpha=0.5)
        f = self.mish(e) + F.mish(x) + F.relu6(x * 3)
        return self.dropout(self.identity(f))


class OpsArithmetic(nn.Module):
    outputs = ["z", "output1"]

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 5, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        s = torch.sigmoid(F.adaptive_avg_pool2d(x, 1))
        y = x * s
        y = y - x.mean((2, 3), keepdim=True)
        y = y / (1 + s)
        y = 2 - y * 0.5
        y = torch.add(y, x) + torch.mul(y, 1.5)
        z = -y
        z += x
        z *= s
        z -= 0.25
        z /= 2
        return z, y.sub(x).div(3).mul(s).add(1)


class OpsReductions(nn.Module):
    outputs = ["output0", "b", "d", "e"]

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 6, 3, padding=1)
        self.pool = nn.AdaptiveMaxPool2d((3, 4))

    def forward(self, x):
        x = self.conv(x)
        a = x.mean([2, 3])
        b = torch.sum(x, dim=1, keepdim=True)
        c = x.amax(dim=(2, 3))
        d = self.pool(x)
        e = F.adaptive_max_pool2d(x, (2, 3))
        return a + c, b, d, e


class OpsPieces(nn.Module):
    outputs = ["s", "u", "e", "w2"]

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        n, c, h, w = x.size()
        y = x.view(n, 2, c // 2, h, w)
        y = torch.transpose(y, 1, 2).contiguous()
        y = y.view(n, -1, h, w)
        a, b = y.chunk(2, dim=1)
        p, q, r = torch.split(b, [1, 2, 1], dim=1)
        s = torch.stack([p, r], dim=2)
        t = a.permute(0, 2, 3, 1)
        u = t[:, 1:5:2, -1]
        v = x.reshape(n, c, -1).transpose(1, 2)[:, 0]
        w2 = torch.narrow(q, 3, 1, 2).flatten(1)
        e = v.view(n, 1, c).expand(-1, 3, -1)
        return s, u, e, w2


class OpsNorms(nn.Module):
    outputs = ["f", "output1", "output2"]

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(6, 8, 3, padding=1)
        self.gn = nn.GroupNorm(4, 8)
        self.ln = nn.LayerNorm(8, eps=1e-6)
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(8, 12)
        self.bn1 = nn.BatchNorm1d(12)
        self.bn2 = nn.BatchNorm1d(12, eps=1e-3)

    def forward(self, x):
        x = self.conv(x)
        g = self.gn(x)
        t = g.flatten(2).transpose(1, 2)
        t = self.ln(t)
        t = self.fc(self.drop(F.gelu(t)))
        m = self.bn1(t.transpose(1, 2))
        f = self.bn2(m.mean(2))
        return f, F.layer_norm(t, (12,)), F.group_norm(x, 2)


class OpsDecoder(nn.Module):
    outputs = ["output0", "w", "p", "q", "r", "c", "d"]

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 8, 3, padding=1, padding_mode='reflect')
        self.up = nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.up2 = nn.ConvTranspose2d(8, 4, 3, stride=2)
        self.up3 = nn.ConvTranspose2d(6, 3, 3, padding=2, dilation=2)
        self.upsample = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
        self.circ = nn.Conv2d(8, 2, 3, padding=1, padding_mode='circular')
        self.rep = nn.Conv2d(8, 2, 3, padding=(1, 2), padding_mode='replicate')

    def forward(self, x):
        x = self.conv(x)
        u = self.up(x)
        v = self.up2(x)
        w = self.up3(u)
        s = self.upsample(x)
        p = F.pad(s, (1, 0, 2, 1), mode='replicate')
        q = F.pad(x, [1, 2, 1, 0], mode='reflect')
        r = F.pad(x, (-1, 1, 0, 2), value=0.5)
        c = self.circ(x)
        d = self.rep(x)
        i = F.interpolate(v, size=u.shape[-2:], mode='bilinear', align_corners=False)
        return torch.cat([u, i, s], dim=1), w, p, q, r, c, d


class OpsTinyViT(nn.Module):
    outputs = ["output"]
    image_size = 16
    patch_size = 4
    hidden_dim = 16

    def __init__(self):
        super().__init__()
        hidden_dim = self.hidden_dim
        self.conv_proj = nn.Conv2d(3, hidden_dim, kernel_size=self.patch_size, stride=self.patch_size)
        self.class_token = nn.Parameter(torch.zeros(1, 1, hidden_dim))
        self.pos_embedding = nn.Parameter(torch.empty(1, 17, hidden_dim).normal_(std=0.02))
        self.ln_1 = nn.LayerNorm(hidden_dim, eps=1e-6)
        self.attention = nn.MultiheadAttention(hidden_dim, 4, batch_first=True)
        self.ln_2 = nn.LayerNorm(hidden_dim, eps=1e-6)
        self.mlp1 = nn.Linear(hidden_dim, 32)
        self.mlp2 = nn.Linear(32, hidden_dim)
        self.scale = nn.Parameter(torch.ones(hidden_dim) * 0.5)
        self.head = nn.Linear(hidden_dim, 5)

    def forward(self, x):
        n, c, h, w = x.shape
        torch._assert(h == self.image_size, "Wrong image height!")
        x = self.conv_proj(x)
        x = x.reshape(n, self.hidden_dim, (h // self.patch_size) * (w // self.patch_size))
        x = x.permute(0, 2, 1)
        batch_class_token = self.class_token.expand(n, -1, -1)
        x = torch.cat([batch_class_token, x], dim=1)
        x = x + self.pos_embedding
        y = self.ln_1(x)
        y, _ = self.attention(y, y, y, need_weights=False)
        x = x + y
        x = x + self.mlp2(F.gelu(self.mlp1(self.ln_2(x))))
        x = x * self.scale
        x = x[:, 0]
        return self.head(x)


# name -> (module class, per-sample input shape, conv gain)
MODELS = collections.OrderedDict([
    ("OpsActivations", (OpsActivations, (3, 8, 8), 4.0)),
    ("OpsArithmetic", (OpsArithmetic, (4, 6, 6), 2.0)),
    ("OpsReductions", (OpsReductions, (8, 5, 7), 1.0)),
    ("OpsPieces", (OpsPieces, (8, 6, 4), 1.0)),
    ("OpsNorms", (OpsNorms, (6, 5, 4), 1.0)),
    ("OpsDecoder", (OpsDecoder, (4, 5, 6), 1.5)),
    ("OpsTinyViT", (OpsTinyViT, (3, 16, 16), 1.0)),
])


def randomize(model, gain):
    """Norms with random affine parameters and statistics, parameters that are not layers' at random."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            module.weight.mul_(gain)
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            c = module.num_features
            module.running_mean.copy_(torch.randn(c) * 0.5)
            module.running_var.copy_(torch.rand(c) * 1.5 + 0.25)
            module.num_batches_tracked.fill_(11)
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm)):
            if module.weight is not None:
                module.weight.copy_(torch.randn(module.weight.shape) * 0.5 + 1.0)
                module.bias.copy_(torch.randn(module.bias.shape) * 0.5)
        if isinstance(module, nn.MultiheadAttention):
            module.in_proj_bias.copy_(torch.randn(module.in_proj_bias.shape) * 0.2)
            module.out_proj.bias.copy_(torch.randn(module.out_proj.bias.shape) * 0.2)
    for name, parameter in model.named_parameters(recurse=False):
        parameter.copy_(torch.randn(parameter.shape) * 0.5 + (1.0 if name == "scale" else 0.0))


def save(path, arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    return len(buffer.getvalue())


def main(selected):
    for name, (cls, sample, gain) in MODELS.items():
        torch.manual_seed(SEED + sum(map(ord, name)))
        model = cls()
        with torch.no_grad():
            randomize(model, gain)
        model.eval()
        x = torch.randn(2, *sample)
        with torch.no_grad():
            result = model(x)
        results = result if isinstance(result, tuple) else (result,)
        arrays = {"input": x.numpy()}
        largest = 0.0
        for label, value in zip(cls.outputs, results):
            key = "output" if len(results) == 1 else "output." + label
            arrays[key] = value.numpy().astype(np.float32)
            largest = max(largest, float(value.abs().max()))
        if largest < 0.1:
            raise SystemExit("%s: max |output| = %g is too small for a golden that can fail" % (name, largest))
        weights = {k: v.numpy() for k, v in model.state_dict().items()}
        shapes = ", ".join("%s %s" % (label, list(v.shape)) for label, v in zip(cls.outputs, results))
        if selected and name not in selected:
            print("%-16s (not written) %s" % (name, shapes))
            continue
        out = os.path.join(GOLDEN, name)
        os.makedirs(out, exist_ok=True)
        w = save(os.path.join(out, "weights.npz"), weights)
        i = save(os.path.join(out, "io.npz"), arrays)
        print("%-16s %s; max |output| %.3f; weights %d B, io %d B" % (name, shapes, largest, w, i))


if __name__ == "__main__":
    main(set(sys.argv[1:]))
