#!/usr/bin/env python3
"""Converts a PyTorch checkpoint (.pt / .pth) into a weight file ShapeProof loads: .npz or .safetensors.

    /usr/bin/python3 tools/convert_checkpoint.py model.pth weights.npz
    /usr/bin/python3 tools/convert_checkpoint.py model.pth weights.safetensors \\
        [--strip-prefix module.] [--prefix-rename features.0.=conv1. ...] [--key NAME] [--skip-non-tensors]
    /usr/bin/python3 tools/convert_checkpoint.py --self-test

The output format is chosen by the output's extension. Needs only PyTorch and NumPy (Debian: python3-torch,
python3-numpy); the safetensors file is written by hand, byte for byte as the reference implementation
(huggingface/safetensors) writes it, so the `safetensors` package is not needed.

What the input may hold (torch.load(..., map_location="cpu")):

  * a state_dict: a dict of tensors (`model.state_dict()`);
  * a training checkpoint: a dict with a `state_dict`, `model_state_dict` or `model` entry (tried in that order),
    itself a state_dict or a whole model; the other entries (epoch, optimizer, ...) are ignored. `--key NAME` picks
    another entry (repeat it to go deeper: --key models --key generator);
  * a whole pickled nn.Module (`torch.save(model, ...)`) or a TorchScript archive: its .state_dict() is taken.

torch.load unpickles, and unpickling can run code: convert only files you trust. Where the installed PyTorch has
`weights_only` (1.13 has it, off by default; 2.6 turns it on), the file is first loaded with weights_only=True, and
only if that fails (a whole pickled model needs full unpickling) loaded again without it, with a note saying so.

Tensors are written as stored: float32, float64 and float16 unchanged, int64 (BatchNorm's num_batches_tracked, 0-d)
unchanged; bfloat16 becomes float32 (exactly: every bfloat16 is a float32), since NumPy has no bfloat16, in both
formats so both files hold the same. Keys are renamed in this order: every --strip-prefix, then the first matching
--prefix-rename. An entry that is not a tensor is an error naming it, unless --skip-non-tensors (then it is listed and
left out). Sparse, quantized and complex tensors are refused. The output is written to a temporary file beside it and
moved into place, so a failed conversion never leaves a partial file. Errors exit with status 1 and one message
starting with "error:"; bad arguments with status 2.

Prints a table of every key written, with its shape and dtype, and the totals.
"""
import argparse
import collections.abc
import inspect
import json
import os
import struct
import sys
import tempfile
import warnings
import zipfile

import numpy as np
import torch
from numpy.lib import format as npy_format

FORMATS = (".npz", ".safetensors")
CHECKPOINT_ENTRIES = ("state_dict", "model_state_dict", "model")

# safetensors dtype names, in the order of the reference implementation's Dtype enum (increasing alignment); it lays
# tensors out by this order descending, then by name. The newer formats it adds (F4, F6, F8, C64) are not written here.
SAFETENSORS_ORDER = ("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
                     "F64", "I64", "U64")
SAFETENSORS_DTYPES = {
    np.dtype(np.bool_): "BOOL", np.dtype(np.uint8): "U8", np.dtype(np.int8): "I8", np.dtype(np.int16): "I16",
    np.dtype(np.uint16): "U16", np.dtype(np.float16): "F16", np.dtype(np.int32): "I32", np.dtype(np.uint32): "U32",
    np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(np.int64): "I64", np.dtype(np.uint64): "U64",
}
NUMPY_OF_SAFETENSORS = {name: dtype for dtype, name in SAFETENSORS_DTYPES.items()}
# What `__metadata__` says; transformers' loaders insist on a "format" entry.
SAFETENSORS_METADATA = {"format": "pt"}


class ConversionError(Exception):
    """A problem with the input or the output, reported as `error: <message>` with exit status 1."""


# ------------------------------------------------------------------------------------------------------ loading

def load_checkpoint(path, notes):
    """torch.load on the CPU: weights_only=True first where supported, then full unpickling."""
    if not os.path.exists(path):
        raise ConversionError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ConversionError(f"{path}: is a directory, not a checkpoint file")
    has_weights_only = "weights_only" in inspect.signature(torch.load).parameters
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = _load(path, has_weights_only, notes)
    for warning in caught:
        message = str(warning.message)
        if "TorchScript archive" in message:
            notes.append("the file is a TorchScript archive: loaded with torch.jit.load")
        else:
            notes.append(f"warning from torch.load: {' '.join(message.split())[:200]}")
    return obj


def _load(path, has_weights_only, notes):
    if has_weights_only:
        try:
            return torch.load(path, map_location="cpu", weights_only=True)
        except Exception as e:  # noqa: BLE001 - any failure: retry with full unpickling, which reports its own
            message = " ".join(str(e).split()) or type(e).__name__
            if "WeightsUnpickler error:" in message:  # the reason, after PyTorch's generic advice
                message = message[message.index("WeightsUnpickler error:"):]
            notes.append(f"loaded with weights_only=False, since the safe loader refused it ({message[:200]}); "
                         "full unpickling can run code: convert only files you trust")
    try:
        if has_weights_only:
            return torch.load(path, map_location="cpu", weights_only=False)
        return torch.load(path, map_location="cpu")
    except (AttributeError, ModuleNotFoundError, ImportError) as e:
        raise ConversionError(
            f"{path}: the file pickles an object whose class cannot be imported here ({e}). It is probably a whole "
            "model saved with torch.save(model, ...): make its code importable (PYTHONPATH=<directory of the module "
            "defining the class>; a class defined in a script's __main__ cannot be found from another script), or "
            "save model.state_dict() instead") from e
    except Exception as e:  # noqa: BLE001
        raise ConversionError(f"{path}: torch.load failed ({type(e).__name__}: {e}); is it a file written by "
                              "torch.save?") from e


def is_tensor_dict(obj):
    return isinstance(obj, collections.abc.Mapping) and len(obj) > 0 and all(
        isinstance(v, torch.Tensor) for v in obj.values())


def describe(obj):
    if isinstance(obj, torch.nn.Module):
        return f"a whole model ({type(obj).__module__}.{type(obj).__qualname__})"
    if isinstance(obj, collections.abc.Mapping):
        keys = list(obj.keys())
        shown = ", ".join(repr(k) for k in keys[:8]) + (", ..." if len(keys) > 8 else "")
        return f"a dict of {len(keys)} entries ({shown})"
    return f"a {type(obj).__module__}.{type(obj).__qualname__}"


def find_state_dict(obj, keys, notes):
    """The state_dict inside whatever torch.load returned, and a sentence saying where it came from."""
    where = []
    for key in keys or ():
        if not isinstance(obj, collections.abc.Mapping):
            raise ConversionError(f"--key {key!r}: {'/'.join(where) or 'the file'} holds {describe(obj)}, not a dict")
        if key not in obj:
            raise ConversionError(f"--key {key!r}: no such entry in {'/'.join(where) or 'the file'}; it has "
                                  + ", ".join(repr(k) for k in obj.keys()))
        where.append(str(key))
        obj = obj[key]
    origin = f"entry {'/'.join(where)!r}" if where else "the file"

    if isinstance(obj, torch.nn.Module):
        notes.append(f"{origin} is {describe(obj)}: converting its state_dict()")
        return obj.state_dict()
    if not isinstance(obj, collections.abc.Mapping):
        raise ConversionError(f"{origin} holds {describe(obj)}; expected a state_dict (a dict of tensors), a "
                              "checkpoint dict with a 'state_dict' or 'model' entry, or an nn.Module")
    if not keys and not is_tensor_dict(obj):
        for entry in CHECKPOINT_ENTRIES:
            value = obj.get(entry)
            if isinstance(value, torch.nn.Module):
                notes.append(f"the file is a checkpoint, {describe(obj)}: converting the state_dict() of its "
                             f"{entry!r} entry, {describe(value)}")
                return value.state_dict()
            if isinstance(value, collections.abc.Mapping):
                notes.append(f"the file is a checkpoint, {describe(obj)}: converting its {entry!r} entry")
                return value
    if len(obj) == 0:
        raise ConversionError(f"{origin} is an empty dict: no tensors to convert")
    notes.append(f"{origin} is a state_dict" if where == [] else f"converting {origin}")
    return obj


# --------------------------------------------------------------------------------------------------- converting

def rename_keys(state, strip_prefixes, renames, notes):
    """(old key, new key) pairs after every --strip-prefix and then the first matching --prefix-rename."""
    renamed = []
    stripped_any = {prefix: False for prefix in strip_prefixes}
    renamed_any = {rename: False for rename in renames}
    for key in state.keys():
        if not isinstance(key, str):
            raise ConversionError(f"key {key!r} is a {type(key).__name__}, not a string: not a state_dict")
        new = key
        for prefix in strip_prefixes:
            if new.startswith(prefix):
                new = new[len(prefix):]
                stripped_any[prefix] = True
        for old_prefix, new_prefix in renames:
            if new.startswith(old_prefix):
                new = new_prefix + new[len(old_prefix):]
                renamed_any[(old_prefix, new_prefix)] = True
                break
        renamed.append((key, new))
    for prefix, used in stripped_any.items():
        if not used:
            notes.append(f"warning: --strip-prefix {prefix!r} matched no key")
    for (old_prefix, new_prefix), used in renamed_any.items():
        if not used:
            notes.append(f"warning: --prefix-rename {old_prefix}={new_prefix} matched no key")
    seen = {}
    for key, new in renamed:
        if new == "":
            raise ConversionError(f"key {key!r} becomes empty after renaming")
        if new in seen:
            raise ConversionError(f"keys {seen[new]!r} and {key!r} both become {new!r} after renaming")
        seen[new] = key
    return renamed


def to_numpy(key, tensor, for_safetensors):
    """A C-contiguous little-endian NumPy copy of `tensor`, and a note when its dtype had to change."""
    if tensor.layout != torch.strided:
        raise ConversionError(f"{key!r}: a {tensor.layout} tensor; convert it to dense (.to_dense()) before saving")
    if tensor.is_quantized:
        raise ConversionError(f"{key!r}: a quantized tensor ({tensor.dtype}); dequantize it before saving")
    if tensor.is_complex() and for_safetensors:
        raise ConversionError(f"{key!r}: complex tensors ({tensor.dtype}) have no safetensors dtype here")
    tensor = tensor.detach().cpu()
    note = ""
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.to(torch.float32)
        note = "from bfloat16"
    try:
        array = tensor.contiguous().numpy()
    except (TypeError, RuntimeError) as e:
        raise ConversionError(f"{key!r}: dtype {tensor.dtype} has no NumPy equivalent ({e})") from e
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    if for_safetensors and array.dtype not in SAFETENSORS_DTYPES:
        raise ConversionError(f"{key!r}: dtype {array.dtype} has no safetensors dtype")
    return np.require(array, requirements="C"), note  # not ascontiguousarray: it makes 0-d arrays 1-d


def collect(state, renamed, skip_non_tensors, for_safetensors, notes):
    arrays, converted, skipped, refused = {}, {}, [], []
    for key, new in renamed:
        value = state[key]
        if not isinstance(value, torch.Tensor):
            (skipped if skip_non_tensors else refused).append(f"{key!r} ({type(value).__name__})")
            continue
        arrays[new], note = to_numpy(key, value, for_safetensors)
        if note:
            converted[new] = note
    if refused:
        raise ConversionError(
            f"{len(refused)} entr{'y is' if len(refused) == 1 else 'ies are'} not tensors: "
            + ", ".join(refused[:10]) + (", ..." if len(refused) > 10 else "")
            + ". If the weights are one entry of this dict, name it with --key; to leave these out, pass "
              "--skip-non-tensors")
    if skipped:
        notes.append("skipped (not tensors): " + ", ".join(skipped))
    if not arrays:
        raise ConversionError("no tensors to write")
    if converted:
        notes.append(f"bfloat16 → float32 (NumPy has no bfloat16; exact): {len(converted)} tensor(s)")
    return arrays, converted


# ------------------------------------------------------------------------------------------------------ writing

def write_atomically(path, write):
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise ConversionError(f"{path}: the directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)  # mkstemp makes the file 0600; give it the mode a plain open() would
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def write_npz(path, arrays):
    """What np.savez writes (stored, zip64, fixed 1980 timestamps), without its keyword clash on a key 'file'."""
    def write(f):
        with zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            for key, array in arrays.items():
                with archive.open(key + ".npy", "w", force_zip64=True) as member:
                    npy_format.write_array(member, array, allow_pickle=False)
    write_atomically(path, write)


def safetensors_layout(arrays, metadata=None):
    """The reference implementation's header bytes (length prefix included) and the keys in data order."""
    order = sorted(arrays, key=lambda k: (-SAFETENSORS_ORDER.index(SAFETENSORS_DTYPES[arrays[k].dtype]),
                                          k.encode("utf-8")))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for key in order:
        array = arrays[key]
        header[key] = {"dtype": SAFETENSORS_DTYPES[array.dtype], "shape": [int(n) for n in array.shape],
                       "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text, order


def write_safetensors(path, arrays, metadata=SAFETENSORS_METADATA):
    prefix, order = safetensors_layout(arrays, metadata)

    def write(f):
        f.write(prefix)
        for key in order:
            f.write(arrays[key].tobytes(order="C"))
    write_atomically(path, write)


# ------------------------------------------------------------------------------------------------------ the CLI

def parse_rename(text):
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"{text!r}: expected OLD=NEW, e.g. features.0.=conv1.")
    old, new = text.split("=", 1)
    if not old:
        raise argparse.ArgumentTypeError(f"{text!r}: the old prefix is empty")
    return old, new


def parser():
    p = argparse.ArgumentParser(
        prog="convert_checkpoint.py",
        description="Convert a PyTorch .pt/.pth checkpoint to .npz or .safetensors (chosen by the output's "
                    "extension). torch.load unpickles: convert only files you trust.")
    p.add_argument("input", nargs="?", help="the checkpoint: a state_dict, a dict with a 'state_dict', "
                                            "'model_state_dict' or 'model' entry, or a whole nn.Module")
    p.add_argument("output", nargs="?", help="the weight file to write: *.npz or *.safetensors")
    p.add_argument("--strip-prefix", action="append", default=[], metavar="PREFIX",
                   help="remove PREFIX from the keys that start with it (e.g. module. from DataParallel); "
                        "repeatable, applied first")
    p.add_argument("--prefix-rename", action="append", default=[], type=parse_rename, metavar="OLD=NEW",
                   help="rename keys starting with OLD to start with NEW (e.g. features.0.=conv1.); repeatable, "
                        "the first match applies")
    p.add_argument("--key", action="append", metavar="NAME",
                   help="convert this entry of the checkpoint dict (repeat to go deeper)")
    p.add_argument("--skip-non-tensors", action="store_true",
                   help="leave out (and list) entries that are not tensors instead of refusing the file")
    p.add_argument("--self-test", action="store_true",
                   help="convert a tiny model saved in every supported form to both formats, read them back, "
                        "compare, and exit")
    return p


def convert(input_path, output_path, strip_prefixes=(), renames=(), keys=None, skip_non_tensors=False, out=None):
    """Converts one checkpoint; returns the arrays written. Raises ConversionError."""
    out = out or sys.stdout
    extension = os.path.splitext(output_path)[1].lower()
    if extension not in FORMATS:
        raise ConversionError(f"{output_path}: unknown output extension {extension or '(none)'!r}; "
                              "use .npz or .safetensors")
    if not os.path.exists(input_path):
        raise ConversionError(f"{input_path}: no such file")
    if os.path.exists(output_path) and os.path.samefile(input_path, output_path):
        raise ConversionError("the output is the input file")
    notes = []
    obj = load_checkpoint(input_path, notes)
    state = find_state_dict(obj, keys, notes)
    renamed = rename_keys(state, list(strip_prefixes), list(renames), notes)
    for_safetensors = extension == ".safetensors"
    arrays, converted = collect(state, renamed, skip_non_tensors, for_safetensors, notes)
    if extension == ".npz":
        write_npz(output_path, arrays)
    else:
        write_safetensors(output_path, arrays)

    print(f"{input_path} → {output_path}", file=out)
    for note in notes:
        print(f"  {note}", file=out)
    width = max(len("key"), *(len(k) for k in arrays))
    shapes = {k: "[" + ", ".join(str(n) for n in a.shape) + "]" for k, a in arrays.items()}
    shape_width = max(len("shape"), *(len(s) for s in shapes.values()))
    print(f"  {'key':<{width}}  {'shape':<{shape_width}}  dtype", file=out)
    for key, array in arrays.items():
        dtype = SAFETENSORS_DTYPES.get(array.dtype, str(array.dtype)) if for_safetensors else str(array.dtype)
        extra = f"  ({converted[key]})" if key in converted else ""
        print(f"  {key:<{width}}  {shapes[key]:<{shape_width}}  {dtype}{extra}", file=out)
    elements = sum(int(a.size) for a in arrays.values())
    print(f"  {len(arrays)} tensors, {elements:,} values, {os.path.getsize(output_path):,} bytes written", file=out)
    return arrays


def main(argv=None):
    args = parser().parse_args(argv)
    if args.self_test:
        if args.input or args.output:
            parser().error("--self-test takes no input or output")
        return self_test()
    if not args.input or not args.output:
        parser().error("give the input checkpoint and the output file (.npz or .safetensors)")
    try:
        convert(args.input, args.output, args.strip_prefix, args.prefix_rename, args.key, args.skip_non_tensors)
    except ConversionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------------------------------- self-test

class TinyNet(torch.nn.Module):
    """Conv, BatchNorm (running statistics and the 0-d int64 counter) and Linear: every kind of state_dict entry."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 3, 3)
        self.bn1 = torch.nn.BatchNorm2d(3)
        self.fc = torch.nn.Linear(12, 2)

    def forward(self, x):
        return self.fc(torch.relu(self.bn1(self.conv1(x))).flatten(1))


def read_safetensors(path):
    """An independent reader: checks the layout the reference implementation guarantees, returns key → array."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    assert length % 8 == 0, "header length is not a multiple of 8"
    text = data[8:8 + length]
    assert text[:1] == b"{", "header does not start with {"
    assert text == text.rstrip(b" ") + b" " * (len(text) - len(text.rstrip(b" "))), "padding is not spaces"
    header = json.loads(text.decode("utf-8"))
    assert header.pop("__metadata__", None) == SAFETENSORS_METADATA, "missing __metadata__"
    body = data[8 + length:]
    arrays, position, order = {}, 0, []
    for key, info in header.items():  # JSON order is data order
        assert set(info) == {"dtype", "shape", "data_offsets"}, f"{key}: unexpected fields {sorted(info)}"
        begin, end = info["data_offsets"]
        assert begin == position, f"{key}: data does not follow the previous tensor"
        dtype = np.dtype(NUMPY_OF_SAFETENSORS[info["dtype"]]).newbyteorder("<")
        count = int(np.prod(info["shape"], dtype=np.int64))
        assert end - begin == count * dtype.itemsize, f"{key}: offsets do not match dtype and shape"
        arrays[key] = np.frombuffer(body[begin:end], dtype=dtype).reshape(info["shape"])
        position = end
        order.append((-SAFETENSORS_ORDER.index(info["dtype"]), key.encode("utf-8")))
    assert position == len(body), "data does not end at the end of the file"
    assert order == sorted(order), "tensors are not in the reference order (dtype alignment descending, then name)"
    return arrays


def self_test():
    """Saves TinyNet in every form, converts each to both formats, reads them back and compares. Exit status 0/1."""
    import contextlib
    import io

    torch.manual_seed(0)
    model = TinyNet()
    model.train()
    model(torch.randn(4, 1, 4, 4))  # running statistics and num_batches_tracked move off their defaults
    model.eval()
    expected = {k: v.detach().clone() for k, v in model.state_dict().items()}
    checks = []

    def check(name, condition, detail=""):
        checks.append(name)
        if not condition:
            raise AssertionError(f"{name}: {detail}")

    def compare(name, arrays, wanted, renamed=lambda k: k):
        # npz keeps the state_dict's order; safetensors has its own layout order (checked by read_safetensors).
        keys, wanted_keys = list(arrays), [renamed(k) for k in wanted]
        if ".safetensors" in name:
            keys, wanted_keys = sorted(keys), sorted(wanted_keys)
        check(f"{name}: keys", keys == wanted_keys, f"{keys} != {wanted_keys}")
        for key, tensor in wanted.items():
            array = arrays[renamed(key)]
            want = tensor.to(torch.float32) if tensor.dtype == torch.bfloat16 else tensor
            check(f"{name}: {key} dtype", array.dtype == want.numpy().dtype, f"{array.dtype} != {want.dtype}")
            check(f"{name}: {key} shape", tuple(array.shape) == tuple(want.shape), f"{array.shape} != {want.shape}")
            check(f"{name}: {key} values", np.array_equal(array, want.numpy()), "values differ")

    def read_npz(path):
        with np.load(path, allow_pickle=False) as archive:
            return {k: archive[k] for k in archive.files}

    def read_back(path):
        return read_npz(path) if path.endswith(".npz") else read_safetensors(path)

    log = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="convert-checkpoint-self-test-") as tmp:
        def path(name):
            return os.path.join(tmp, name)

        # 1. The safetensors writer against the reference implementation's own byte-exact tests (tensor.rs).
        data = np.arange(6, dtype=np.float32)
        for key, shape, length in (("attn.0", (1, 2, 3), 64), ("attn0", (1, 1, 2, 3), 72)):
            write_safetensors(path("ref.safetensors"), {key: data.reshape(shape)}, metadata=None)
            with open(path("ref.safetensors"), "rb") as f:
                written = f.read()
            header = json.dumps({key: {"dtype": "F32", "shape": list(shape), "data_offsets": [0, 24]}},
                                separators=(",", ":")).encode()
            reference = struct.pack("<Q", length) + header.ljust(length, b" ") + data.tobytes()
            check(f"reference bytes ({key})", written == reference, f"{written!r} != {reference!r}")
        write_safetensors(path("empty.safetensors"), {}, metadata=None)
        with open(path("empty.safetensors"), "rb") as f:
            check("reference bytes (empty)", f.read() == bytes([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]))
        mixed = {"b": np.zeros(2, np.float16), "a": np.zeros(1, np.int64), "c": np.zeros(3, np.float32),
                 "aa": np.zeros(1, np.float32)}
        _, order = safetensors_layout(mixed)
        check("reference order (dtype alignment descending, then name)", order == ["a", "aa", "c", "b"], str(order))

        # 2. The three forms of checkpoint (and TorchScript), each to both formats.
        torch.save(model.state_dict(), path("state_dict.pth"))
        torch.save({"epoch": 3, "state_dict": model.state_dict(), "optimizer": {"lr": 0.1}, "accuracy": 0.5},
                   path("checkpoint.pth"))
        torch.save({"epoch": 3, "model": model.state_dict()}, path("checkpoint_model.pth"))
        torch.save(model, path("module.pth"))
        torch.jit.save(torch.jit.script(model), path("torchscript.pt"))
        for form in ("state_dict", "checkpoint", "checkpoint_model", "module", "torchscript"):
            source = path(form + (".pt" if form == "torchscript" else ".pth"))
            for extension in FORMATS:
                target = path(form + extension)
                with contextlib.redirect_stdout(log):
                    convert(source, target)
                compare(f"{form} → {extension}", read_back(target), expected)

        # 3. DataParallel's prefix, renames, and dtypes other than float32.
        wrapped = collections.OrderedDict(("module." + k, v) for k, v in expected.items())
        wrapped["module.half"] = torch.linspace(-2, 2, 5).to(torch.float16)
        wrapped["module.double"] = torch.linspace(-2, 2, 5).to(torch.float64)
        wrapped["module.brain"] = torch.tensor([1.5, -3.25, 1e30, 0.0078125]).to(torch.bfloat16)
        torch.save(wrapped, path("wrapped.pth"))
        stripped = collections.OrderedDict((k[len("module."):], v) for k, v in wrapped.items())
        for extension in FORMATS:
            target = path("wrapped" + extension)
            with contextlib.redirect_stdout(log):
                convert(path("wrapped.pth"), target, strip_prefixes=["module."], renames=[("conv1.", "features.0.")])
            arrays = read_back(target)
            compare(f"strip + rename → {extension}", arrays, stripped,
                    renamed=lambda k: "features.0." + k[len("conv1."):] if k.startswith("conv1.") else k)
            check(f"bfloat16 → float32 ({extension})", arrays["brain"].dtype == np.float32
                  and arrays["brain"].tolist() == [1.5, -3.25, float(torch.tensor(1e30).bfloat16()), 0.0078125])
            check(f"float16 kept ({extension})", arrays["half"].dtype == np.float16)
            check(f"num_batches_tracked 0-d int64 ({extension})",
                  arrays["bn1.num_batches_tracked"].shape == () and arrays["bn1.num_batches_tracked"].dtype == np.int64
                  and int(arrays["bn1.num_batches_tracked"]) == 1)

        # 4. Errors: a clear message, and no output file.
        with_extra = collections.OrderedDict(expected)
        with_extra["step"] = 7
        torch.save(with_extra, path("extra.pth"))
        for name, args, message in (
                ("non-tensor entry refused", (path("extra.pth"), path("extra.npz")), "'step' (int)"),
                ("unknown extension refused", (path("state_dict.pth"), path("weights.bin")), "unknown output"),
                ("missing input refused", (path("nothing.pth"), path("nothing.npz")), "no such file"),
                ("rename collision refused", (path("state_dict.pth"), path("clash.npz"), (), [("conv1.", "fc.")]),
                 "both become"),
                ("missing --key refused", (path("checkpoint.pth"), path("key.npz"), (), (), ["weights"]),
                 "no such entry")):
            try:
                with contextlib.redirect_stdout(log):
                    convert(*args)
                check(name, False, "no error")
            except ConversionError as e:
                check(name, message in str(e), str(e))
                check(name + ": no output left", not os.path.exists(args[1]))
        with contextlib.redirect_stdout(log):
            arrays = convert(path("extra.pth"), path("extra.safetensors"), skip_non_tensors=True)
        check("--skip-non-tensors", "step" not in arrays and len(arrays) == len(expected))
        with contextlib.redirect_stdout(log):
            arrays = convert(path("checkpoint.pth"), path("by_key.npz"), keys=["state_dict"])
        compare("--key state_dict", read_npz(path("by_key.npz")), expected)

        # 5. A PyTorch whose torch.load has no weights_only (before 1.13): loaded the old way.
        original_load = torch.load

        def load_without_weights_only(f, map_location=None):
            return original_load(f, map_location=map_location)
        torch.load = load_without_weights_only
        try:
            with contextlib.redirect_stdout(log):
                convert(path("module.pth"), path("old_torch.safetensors"))
        finally:
            torch.load = original_load
        compare("torch.load without weights_only → .safetensors", read_safetensors(path("old_torch.safetensors")),
                expected)

        # 6. The command line: status 0, 1 with "error: ..." on stderr, 2 for bad arguments.
        errors = io.StringIO()
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(errors):
            check("exit status 0", main([path("state_dict.pth"), path("cli.npz"), "--strip-prefix", "x."]) == 0)
            check("exit status 1", main([path("extra.pth"), path("cli.npz")]) == 1)
            try:
                main([path("state_dict.pth")])
                check("exit status 2", False, "no SystemExit")
            except SystemExit as e:
                check("exit status 2", e.code == 2, str(e.code))
        check("error message on stderr", "error: 1 entry is not tensors: 'step' (int)" in errors.getvalue(),
              errors.getvalue())
        check("unmatched --strip-prefix warned", "--strip-prefix 'x.' matched no key" in log.getvalue())

    print(f"self-test: all {len(checks)} checks passed")
    print("  forms: state_dict, checkpoint {'state_dict': ...}, checkpoint {'model': ...}, whole nn.Module, "
          "TorchScript; each → .npz and .safetensors, read back (np.load; own safetensors parser) and equal")
    print("  safetensors bytes equal the reference implementation's test vectors; layout order checked")
    print("  --strip-prefix/--prefix-rename, float16/float64 kept, bfloat16 → float32, 0-d int64 counter kept")
    print("  errors: non-tensor entry, unknown extension, missing file, rename collision, missing --key; "
          "--skip-non-tensors; --key")
    print("  torch.load without weights_only (PyTorch < 1.13); exit status 0 / 1 (error: on stderr) / 2")
    print("  sample conversion output:")
    sample = log.getvalue().split("\n")
    start = next(i for i, line in enumerate(sample) if line.startswith(os.path.join(tmp, "checkpoint.pth")))
    for line in sample[start:start + 14]:
        print("    " + line.replace(tmp + os.sep, ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"self-test FAILED: {e}", file=sys.stderr)
        sys.exit(1)
