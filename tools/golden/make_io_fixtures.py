#!/usr/bin/env python3
"""Writes the weight-file fixtures that runtime/src/test/java/dev/shapeproof/io reads.

Run from the repository root with Debian's PyTorch and numpy (apt-get install python3-torch python3-numpy):

    /usr/bin/python3 tools/golden/make_io_fixtures.py

It writes into runtime/src/test/resources/io/ and is deterministic (fixed seed, fixed zip times), so rerunning
it gives the same bytes. The Java tests never run Python.

The model is a small conv + bn + linear net. Every float parameter is a multiple of 1/64 below 2 in magnitude,
so float16 and bfloat16 hold it exactly: every variant of the file must load to the same float32 values, listed
in net_expected.txt. Conversions that do round are covered by the special_* files, whose "expected" tensors are
numpy's and PyTorch's own results.

The `safetensors` package is not installable here, so save_safetensors() below writes the format by hand, laid
out as the reference implementation does: tensors sorted by alignment (largest first) then name, the header JSON
with "__metadata__" first, compact, padded with spaces to a multiple of 8 bytes.
"""
import io
import json
import os
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join("runtime", "src", "test", "resources", "io")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 2, 3)
        self.bn1 = nn.BatchNorm2d(2)
        self.fc1 = nn.Linear(8, 3)


class SequentialNet(nn.Module):
    """The same parameters under nn.Sequential's index names: features.0 is conv1, features.1 is bn1."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU())
        self.classifier = nn.Linear(8, 3)


def make_net():
    torch.manual_seed(0)
    net = Net()
    with torch.no_grad():
        for name, tensor in net.state_dict().items():
            if tensor.is_floating_point():
                values = torch.clamp(torch.round(torch.randn(tensor.shape) * 16), -127, 127) / 64
                if name.endswith("running_var"):
                    values = values.abs() + 0.5
                tensor.copy_(values)
        net.bn1.num_batches_tracked.fill_(7)
    return net


def savez(name, arrays, compressed=False):
    """np.savez / np.savez_compressed, then the zip rewritten with fixed times so the bytes are reproducible."""
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    write_zip(name, [(info, data) for info, data in read_zip(buffer)])


def read_zip(buffer):
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def write_zip(name, entries):
    with zipfile.ZipFile(os.path.join(OUT, name), "w") as z:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, data)


def npz_with_versions(name, arrays, versions):
    """An .npz whose entries use the given .npy format versions, cycling through them."""
    entries = []
    for i, (key, array) in enumerate(arrays.items()):
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, array, version=versions[i % len(versions)], allow_pickle=False)
        info = zipfile.ZipInfo(key + ".npy")
        info.compress_type = zipfile.ZIP_STORED
        entries.append((info, buffer.getvalue()))
    write_zip(name, entries)


SAFETENSORS_DTYPES = {
    torch.float32: "F32",
    torch.float64: "F64",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
}


def tensor_bytes(tensor):
    tensor = tensor.contiguous()
    if tensor.dtype == torch.bfloat16:  # numpy has no bfloat16: move the bits as int16
        return tensor.view(torch.int16).numpy().astype("<i2").tobytes()
    array = tensor.numpy()
    return array.astype(array.dtype.newbyteorder("<")).tobytes()


def save_safetensors(name, tensors):
    items = sorted(tensors.items(), key=lambda kv: (-kv[1].element_size(), kv[0]))
    header = OrderedDict([("__metadata__", {"format": "pt"})])
    blobs = []
    offset = 0
    for key, tensor in items:
        data = tensor_bytes(tensor)
        header[key] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def with_float_dtype(state, dtype):
    return OrderedDict((k, v.to(dtype) if v.is_floating_point() else v) for k, v in state.items())


def numpy_state(state):
    return OrderedDict((k, v.numpy()) for k, v in state.items())


def write_expected(name, state):
    """key|dtype|shape|values: float32 values as hex floats (exact; Java's Float.parseFloat reads them)."""
    lines = ["# Written by tools/golden/make_io_fixtures.py: the state_dict of its Net, in state_dict order.",
             "# key|dtype|shape|values (c order; float32 as hex floats, int64 in decimal)"]
    for key, tensor in state.items():
        flat = tensor.reshape(-1).tolist()
        if tensor.is_floating_point():
            values = " ".join(float(np.float32(v)).hex() for v in flat)
            dtype = "float32"
        else:
            values = " ".join(str(v) for v in flat)
            dtype = "int64"
        lines.append("|".join([key, dtype, ",".join(str(d) for d in tensor.shape), values]))
    with open(os.path.join(OUT, name), "w") as f:
        f.write("\n".join(lines) + "\n")


def special_files():
    # float16 -> float32 (exact): zeros, extremes, subnormals, infinities, NaN, ordinary values.
    f16 = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, -65504.0, 6.103515625e-05, 5.960464477539063e-08,
                    -5.960464477539063e-08, 3.0517578125e-05, np.inf, -np.inf, np.nan, 0.1, 1 / 3],
                   dtype=np.float16)
    # float32 -> float16 rounding as numpy does it (nearest, ties to even): the writer must agree bit for bit.
    rng = np.random.default_rng(0)
    source = np.concatenate([
        rng.standard_normal(64).astype(np.float32) * np.float32(100),
        np.array([65504.0, 65519.0, 65520.0, 1e6, -1e6, 1e-8, 2.9802322e-08, 2.9802326e-08, 8.940697e-08,
                  6.1035156e-05, 6.1e-05, 1.0009765625, 1.00048828125, 1.00146484375, np.inf, -np.inf, 0.0, -0.0],
                 dtype=np.float32)])
    with np.errstate(over="ignore"):
        rounded = source.astype(np.float16)
    savez("special_f16.npz", OrderedDict([
        ("values", f16), ("expected", f16.astype(np.float32)),
        ("rounding_source", source), ("rounding_f16", rounded)]))

    # float64 -> float32 (rounded): values that overflow to infinity and underflow to zero are counted in notes.
    with np.errstate(over="ignore", under="ignore"):
        f64 = np.array([0.1, -1 / 3, 1e300, -1e300, 1e-300, 3.4028235677973366e38, np.inf, np.nan, 0.0, 1.0],
                       dtype=np.float64)
        savez("special_f64.npz", OrderedDict([("values", f64), ("expected", f64.astype(np.float32))]))

    # bfloat16, by PyTorch: widening, and float32 -> bfloat16 rounding.
    bf16 = torch.tensor([0.0, -0.0, 1.0, -2.5, 3.3895313892515355e38, 9.183549615799121e-41, float("inf"),
                         float("-inf"), float("nan"), 0.1, 1 / 3], dtype=torch.float32).to(torch.bfloat16)
    g = torch.Generator().manual_seed(0)
    rounding = torch.cat([torch.randn(64, generator=g) * 100,
                          torch.tensor([1.00390625, 1.01171875, 1.0078125 + 2 ** -10, 3.3961e38, -3.3961e38,
                                        1e-40, float("inf"), 0.0, -0.0])])
    save_safetensors("special_bf16.safetensors", OrderedDict([
        ("values", bf16), ("expected", bf16.to(torch.float32)),
        ("rounding_source", rounding.to(torch.float32)), ("rounding_bf16", rounding.to(torch.bfloat16))]))


def main():
    os.makedirs(OUT, exist_ok=True)
    net = make_net()
    state = OrderedDict((k, v.detach().clone()) for k, v in net.state_dict().items())
    write_expected("net_expected.txt", state)

    savez("net_f32.npz", numpy_state(state))
    savez("net_f32_compressed.npz", numpy_state(state), compressed=True)
    savez("net_f64.npz", numpy_state(with_float_dtype(state, torch.float64)))
    savez("net_f16.npz", numpy_state(with_float_dtype(state, torch.float16)))
    savez("net_big_endian.npz", OrderedDict(
        (k, v.astype(v.dtype.newbyteorder(">"))) for k, v in numpy_state(state).items()))
    savez("net_fortran.npz", OrderedDict(
        (k, np.asfortranarray(v) if v.ndim >= 2 else v) for k, v in numpy_state(state).items()))
    npz_with_versions("net_npy_v2_v3.npz", numpy_state(state), [(2, 0), (3, 0)])

    sequential = SequentialNet()
    sequential.features[0].load_state_dict({"weight": state["conv1.weight"], "bias": state["conv1.bias"]})
    sequential.features[1].load_state_dict({k[len("bn1."):]: v for k, v in state.items() if k.startswith("bn1.")})
    sequential.classifier.load_state_dict({"weight": state["fc1.weight"], "bias": state["fc1.bias"]})
    savez("net_sequential.npz", numpy_state(sequential.state_dict()))

    save_safetensors("net_f32.safetensors", state)
    save_safetensors("net_f64.safetensors", with_float_dtype(state, torch.float64))
    save_safetensors("net_f16.safetensors", with_float_dtype(state, torch.float16))
    save_safetensors("net_bf16.safetensors", with_float_dtype(state, torch.bfloat16))

    # A 3-d array in Fortran order beside its c-order copy: the reader must transpose the layout, not the values.
    cube = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 11.5
    savez("fortran_3d.npz", OrderedDict([("fortran", np.asfortranarray(cube)), ("c", np.ascontiguousarray(cube))]))

    special_files()
    for name in sorted(os.listdir(OUT)):
        print(f"{os.path.getsize(os.path.join(OUT, name)):6d}  {name}")


if __name__ == "__main__":
    main()
