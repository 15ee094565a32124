#!/usr/bin/env python3
"""Converts a PyTorch checkpoint (.pt / .pth) into a weight file ShapeProof loads: .npz or .safetensors.

    /usr/bin/python3 tools/convert_checkpoint.py model.pth weights.npz
    /usr/bin/python3 tools/convert_checkpoint.py model.pth weights.safetensors \\
        [--strip-prefix module.] [--prefix-rename features.0.=conv1. ...] [--key NAME] [--skip-non-tensors] \\
        [--allow-code-execution]
    /usr/bin/python3 tools/convert_checkpoint.py --self-test

The output format is chosen by the output's extension. Needs only PyTorch (1.13 or later) and NumPy (Debian:
python3-torch, python3-numpy); the safetensors file is written by hand, byte for byte as the reference implementation
(huggingface/safetensors) writes it, so the `safetensors` package is not needed.

What the input may hold:

  * a state_dict: a dict of tensors (`model.state_dict()`);
  * a training checkpoint: a dict with a `state_dict`, `model_state_dict` or `model` entry (tried in that order),
    itself a state_dict or a whole model; the other entries (epoch, optimizer, ...) are ignored. `--key NAME` picks
    another entry (repeat it to go deeper: --key models --key generator);
  * only with --allow-code-execution: a whole pickled nn.Module (`torch.save(model, ...)`) or a TorchScript archive
    (`torch.jit.save`): its .state_dict() is taken.

Running no code from the file. Unpickling can run any code a file contains, so by default the converter builds only
tensors and plain Python values: torch.load(path, map_location="cpu", weights_only=True), with PyTorch's safe
unpickler replaced for the call by this file's RestrictedUnpickler. That one allows what PyTorch 1.13's weights_only
unpickler allows (tensors, storages, dtypes, Parameter, Size, OrderedDict, dicts, lists, tuples, str, int, bool,
None) plus plain values 1.13's refuses: float (so any optimizer state), set, bytes, bytearray and complex, which
PyTorch 2.x's allows too, and frozenset. It checks every opcode that calls or writes into an object (REDUCE and
NEWOBJ only on allowed globals, SETITEM only into dicts, APPEND only into lists, BUILD only on tensors and
OrderedDicts). A file that needs anything else (a whole pickled
nn.Module, an object of another class, a function call such as os.system) is refused: `error: ...: refused: loading
it needs full unpickling (it pickles <class>; ...), and unpickling this file can run any code it contains; if you
trust its source, pass --allow-code-execution; ...`, exit status 1. With --allow-code-execution such a file is loaded
again with full unpickling (torch.load(..., weights_only=False)), with a note saying so.

TorchScript archives (torch.jit.save) are code too: torch.jit.load compiles the TorchScript source the archive
carries, and PyTorch's documentation warns that malicious data can execute arbitrary code during torch.jit.load. No
weights_only protects them: torch.load hands any zip with a constants.pkl record to torch.jit.load even with
weights_only=True, in 1.13 (read in its serialization.py) and up to 2.5 (CVE-2025-32434; 2.6 raises an error
instead). So a TorchScript archive is refused without --allow-code-execution, recognised by torch.load's own test
before anything is loaded, and torch.jit.load is disabled while the safe load runs, should that test ever miss one.
With the flag it is loaded with torch.jit.load. (Reading its tensors without TorchScript would need the archive's
code to tell parameters from other attributes; re-save it as a state_dict where it is trusted.)

A PyTorch without weights_only (before 1.13) has no safe loading path here: every file is refused unless
--allow-code-execution, which loads it the old way (full unpickling). Where a later PyTorch's torch.load cannot use
RestrictedUnpickler, its own weights_only unpickler loads the file instead: stricter, no less safe.

Any tool here that loads a model or checkpoint does the same: it runs no code from a file unless the user passes
--allow-code-execution (load_checkpoint(path, notes, allow_code_execution) is the function to reuse).

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
import contextlib
import functools
import inspect
import json
import os
import pickle
import struct
import sys
import tempfile
import types
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

ALLOW_FLAG = "--allow-code-execution"
UNPICKLING_RISK = "unpickling this file can run any code it contains"
ALTERNATIVES = ("otherwise ask for the weights as a state_dict (torch.save(model.state_dict(), ...)) or a "
                ".safetensors file")


class UnsafeContent(pickle.UnpicklingError):
    """The restricted unpickler met something that only full unpickling can build: a class or function outside
    the allow-list, or an operation on an object it may not touch."""


class TorchScriptDispatch(Exception):
    """torch.load tried to hand the file to torch.jit.load while the converter was loading it safely."""


def _latin1_encode(text, encoding="latin1"):
    """`_codecs.encode` as a protocol-2 pickle of bytes calls it (str → latin-1 bytes), and only that way."""
    if type(text) is not str or encoding not in ("latin1", "latin-1"):
        _refuse(f"it calls _codecs.encode with {type(text).__name__}, {encoding!r}")
    return text.encode("latin-1")


@functools.lru_cache(maxsize=1)
def safe_globals():
    """What a restricted load may name: PyTorch 1.13's weights_only allow-list (tensor and storage classes,
    dtypes, the tensor rebuild functions, Parameter, Size, OrderedDict, layouts), torch.device, and the plain Python
    values that a protocol-2 pickle builds by calling a global: set, bytearray, complex and bytes (as PyTorch 2.x's
    allow-list) and frozenset. Nothing here imports a module, runs code chosen by the file or touches a file."""
    allowed = {
        "collections.OrderedDict": collections.OrderedDict,
        "builtins.set": set, "builtins.frozenset": frozenset, "builtins.bytearray": bytearray,
        "builtins.complex": complex, "_codecs.encode": _latin1_encode,
        "torch.Size": torch.Size, "torch.Tensor": torch.Tensor, "torch.device": torch.device,
        "torch.nn.parameter.Parameter": torch.nn.Parameter,
    }
    if hasattr(torch.serialization, "_get_layout"):
        allowed["torch.serialization._get_layout"] = torch.serialization._get_layout
    for name in ("_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_parameter", "_rebuild_sparse_tensor",
                 "_rebuild_sparse_csr_tensor", "_rebuild_meta_tensor_no_storage"):
        if hasattr(torch._utils, name):
            allowed[f"torch._utils.{name}"] = getattr(torch._utils, name)
    for value in vars(torch).values():
        if isinstance(value, torch.dtype):
            allowed[str(value)] = value  # "torch.float32": how a pickled dtype names itself
    for cls in (*getattr(torch, "_tensor_classes", ()), *getattr(torch, "_storage_classes", ())):
        allowed[f"{cls.__module__}.{cls.__name__}"] = cls
    return allowed


@functools.lru_cache(maxsize=1)
def _safe_callables():
    return {id(value) for value in safe_globals().values()}


# What the restricted unpickler met during the current load: refusals, and other failures (broken data). torch.load
# may re-raise an exception as another one (PyTorch 2.x wraps UnpicklingError in its own "Weights only load failed"
# message), so they are recorded here too.
REFUSALS = []
BROKEN = []


def _refuse(message):
    REFUSALS.append(message)
    raise UnsafeContent(message)


def _require_callable(what, func):
    if id(func) not in _safe_callables():
        _refuse(f"it calls {getattr(func, '__qualname__', type(func).__name__)} ({what})")


class RestrictedUnpickler(pickle._Unpickler):  # noqa: SLF001 - the pure-Python unpickler, so each opcode can be checked
    """An unpickler that builds tensors and plain Python values and nothing else.

    Globals come only from safe_globals(); REDUCE, NEWOBJ and instantiation call only those; SETITEM(S) writes only
    into dicts, APPEND(S) only into lists, ADDITEMS only into sets, and BUILD only restores a Tensor, a Parameter or
    an OrderedDict (the rules of PyTorch's weights_only unpickler, whose 1.13 version applies SETITEM to any object:
    the memory-corruption bug fixed in PyTorch 2.10). Anything else raises UnsafeContent before it happens."""

    class Opcodes(dict):
        def __missing__(self, key):
            raise pickle.UnpicklingError(f"invalid load key, {bytes([key])!r}")

    dispatch = Opcodes(pickle._Unpickler.dispatch)  # noqa: SLF001

    def load(self):
        try:
            return super().load()
        except UnsafeContent:
            raise
        except Exception as e:
            BROKEN.append(f"{type(e).__name__}: {e}")
            raise

    def find_class(self, module, name):
        module = "builtins" if module == "__builtin__" else module  # protocol 2 writes Python 2's module name
        found = safe_globals().get(f"{module}.{name}")
        if found is None:
            _refuse(f"it pickles {module}.{name}")
        return found

    def load_reduce(self):
        _require_callable("REDUCE", self.stack[-2])
        super().load_reduce()

    def load_newobj(self):
        _require_callable("NEWOBJ", self.stack[-2])
        super().load_newobj()

    def load_newobj_ex(self):
        _require_callable("NEWOBJ_EX", self.stack[-3])
        super().load_newobj_ex()

    def _instantiate(self, klass, args):
        _require_callable("OBJ/INST", klass)
        super()._instantiate(klass, args)

    def _target(self, kinds, operation):
        target = self.stack[-1]
        if type(target) not in kinds:
            _refuse(f"it applies {operation} to a {type(target).__name__}")
        return target

    def load_setitem(self):
        value, key = self.stack.pop(), self.stack.pop()
        self._target((dict, collections.OrderedDict), "SETITEM")[key] = value

    def load_setitems(self):
        items = self.pop_mark()
        target = self._target((dict, collections.OrderedDict), "SETITEMS")
        for i in range(0, len(items), 2):
            target[items[i]] = items[i + 1]

    def load_append(self):
        value = self.stack.pop()
        self._target((list,), "APPEND").append(value)

    def load_appends(self):
        items = self.pop_mark()
        self._target((list,), "APPENDS").extend(items)

    def load_additems(self):
        items = self.pop_mark()
        self._target((set,), "ADDITEMS").update(items)

    def load_build(self):
        state = self.stack.pop()
        target = self._target((torch.Tensor, torch.nn.Parameter, collections.OrderedDict), "BUILD")
        if type(target) is collections.OrderedDict:
            if type(state) is not dict:
                _refuse(f"it applies BUILD to an OrderedDict with a {type(state).__name__}")
            target.__dict__.update(state)
        else:
            target.__setstate__(state)

    for _opcode, _method in ((pickle.REDUCE, load_reduce), (pickle.NEWOBJ, load_newobj),
                             (pickle.NEWOBJ_EX, load_newobj_ex), (pickle.SETITEM, load_setitem),
                             (pickle.SETITEMS, load_setitems), (pickle.APPEND, load_append),
                             (pickle.APPENDS, load_appends), (pickle.ADDITEMS, load_additems),
                             (pickle.BUILD, load_build)):
        dispatch[_opcode[0]] = _method
    del _opcode, _method


def _restricted_load(file, **kwargs):
    return RestrictedUnpickler(file, **kwargs).load()


# Stands in for torch._weights_only_unpickler (same API: Unpickler(file, encoding=...) and load(file, encoding=...))
# while torch.load(..., weights_only=True) runs; torch.load subclasses .Unpickler to add its storage handling. It is
# not passed as pickle_module: PyTorch 1.13's torch.load ignores pickle_module unless weights_only=True, and refuses
# it with weights_only=True.
RESTRICTED_PICKLE = types.ModuleType("convert_checkpoint_restricted_pickle")
RESTRICTED_PICKLE.Unpickler = RestrictedUnpickler
RESTRICTED_PICKLE.load = _restricted_load
RESTRICTED_PICKLE.UnpicklingError = pickle.UnpicklingError


@contextlib.contextmanager
def restricted_weights_only():
    """Makes torch.load(..., weights_only=True) use RESTRICTED_PICKLE; yields whether it could. Where a PyTorch
    names its safe unpickler otherwise, nothing is replaced and its own weights_only unpickler runs: stricter
    (1.13's refuses Python floats), never less safe."""
    serialization = torch.serialization
    original = getattr(serialization, "_weights_only_unpickler", None)
    if original is None or not hasattr(original, "Unpickler"):
        yield False
        return
    serialization._weights_only_unpickler = RESTRICTED_PICKLE
    try:
        yield True
    finally:
        serialization._weights_only_unpickler = original


def is_torchscript_archive(path):
    """torch.load's own test (a zip archive with a constants.pkl record), by Python's zipfile and, where PyTorch
    exposes it, by PyTorch's own zip reader, so this sees what torch.load would pass to torch.jit.load."""
    try:
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":  # torch.load's test for a zip file: the first local header's magic
                return False
    except OSError as e:
        raise ConversionError(f"{path}: cannot be read ({e.strerror or e})") from e
    try:
        with zipfile.ZipFile(path) as archive:
            if any(name.split("/", 1)[-1] == "constants.pkl" for name in archive.namelist()):
                return True
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        pass
    open_reader = getattr(torch.serialization, "_open_zipfile_reader", None)
    is_torchscript = getattr(torch.serialization, "_is_torchscript_zip", None)
    if open_reader is None or is_torchscript is None:
        return False
    try:
        with open(path, "rb") as f, open_reader(f) as reader:
            return bool(is_torchscript(reader))
    except Exception:  # noqa: BLE001 - not a zip PyTorch can read: torch.load will not dispatch it either
        return False


@contextlib.contextmanager
def no_torchscript():
    """Makes torch.jit.load raise while a safe load runs: torch.load (before 2.6) hands TorchScript archives to it
    even with weights_only=True, so this guards against any archive is_torchscript_archive missed."""
    original = torch.jit.load

    def refuse(*args, **kwargs):
        raise TorchScriptDispatch()
    torch.jit.load = refuse
    try:
        yield
    finally:
        torch.jit.load = original


def _cause(error, kind):
    while error is not None:
        if isinstance(error, kind):
            return error
        error = error.__cause__ or error.__context__
    return None


def _one_line(text, limit=200):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def torchscript_refusal(path):
    return ConversionError(
        f"{path}: refused: it is a TorchScript archive, and loading one (torch.jit.load, which torch.load calls for "
        "it even with weights_only=True before PyTorch 2.6) compiles and runs the TorchScript code it contains, so "
        f"loading this file can run code it contains; if you trust its source, pass {ALLOW_FLAG}; {ALTERNATIVES}")


def load_checkpoint(path, notes, allow_code_execution=False):
    """torch.load on the CPU, running no code from the file unless allow_code_execution.

    Safe path: torch.load with the restricted unpickler (RESTRICTED_PICKLE), with torch.jit.load disabled; a
    TorchScript archive is refused before that. With allow_code_execution: a TorchScript archive goes to
    torch.jit.load, and a file the restricted unpickler refuses is loaded again with full unpickling, with a note.
    A PyTorch without weights_only (before 1.13) is refused unless allow_code_execution."""
    if not os.path.exists(path):
        raise ConversionError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ConversionError(f"{path}: is a directory, not a checkpoint file")
    if is_torchscript_archive(path):
        if not allow_code_execution:
            raise torchscript_refusal(path)
        notes.append(f"the file is a TorchScript archive: loaded with torch.jit.load ({ALLOW_FLAG}; loading it "
                     "compiles and runs its TorchScript code)")
        return _with_warnings(notes, lambda: torch.jit.load(path, map_location="cpu"))
    has_weights_only = "weights_only" in inspect.signature(torch.load).parameters
    if not has_weights_only:
        if not allow_code_execution:
            raise ConversionError(
                f"{path}: refused: this PyTorch ({torch.__version__}) predates torch.load's weights_only "
                "(PyTorch 1.13), and the converter loads files safely only on 1.13 or later, so it would have to "
                f"unpickle the file fully, and {UNPICKLING_RISK}; upgrade PyTorch, or if you trust its source, pass "
                f"{ALLOW_FLAG}")
        notes.append(f"loaded with full unpickling ({ALLOW_FLAG}; this PyTorch has no weights_only): unpickling "
                     "can run code: convert only files you trust")
        return _full_load(path, has_weights_only, notes)
    obj, reason = _safe_load(path, notes)
    if reason is None:
        return obj
    if not allow_code_execution:
        raise ConversionError(
            f"{path}: refused: loading it needs full unpickling ({reason}; only tensors and plain Python values load "
            f"without it), and {UNPICKLING_RISK}; if you trust its source, pass {ALLOW_FLAG}; {ALTERNATIVES}")
    notes.append(f"loaded with full unpickling ({ALLOW_FLAG}), since the restricted unpickler refused it ({reason}): "
                 "unpickling can run code: convert only files you trust")
    return _full_load(path, has_weights_only, notes)


def _safe_load(path, notes):
    """(object, None) when torch.load(weights_only=True) with RESTRICTED_PICKLE loads the file, (None, reason) when
    it refuses what the file pickles; a TorchScript archive or a broken file raises ConversionError."""
    def load():
        return _with_warnings(notes, lambda: torch.load(path, map_location="cpu", weights_only=True))

    del REFUSALS[:], BROKEN[:]
    try:
        with no_torchscript(), restricted_weights_only() as replaced:
            return load(), None
    except Exception as e:  # noqa: BLE001 - sorted below: refused content, TorchScript, or a broken file
        error = first = e
    if REFUSALS:
        return None, _one_line(REFUSALS[0])
    if replaced and not _cause(error, TorchScriptDispatch):
        # A failure that is no refusal: a broken file, or a PyTorch whose torch.load expects more of its safe
        # unpickler than RestrictedUnpickler offers. Its own weights_only unpickler is safe too (if stricter): let it
        # try. If it fails too, RestrictedUnpickler's verdict stands where it read the data and found it broken.
        try:
            with no_torchscript():
                return load(), None
        except Exception as e:  # noqa: BLE001
            error = first if BROKEN else e
    if _cause(error, TorchScriptDispatch):
        raise torchscript_refusal(path) from error
    message = _one_line(error, 10_000)
    if "WeightsUnpickler error:" in message:  # PyTorch's own safe unpickler refused it
        return None, "PyTorch's weights_only unpickler: " + _one_line(
            message[message.index("WeightsUnpickler error:") + len("WeightsUnpickler error:"):])
    raise ConversionError(f"{path}: torch.load failed ({type(error).__name__}: {_one_line(message)}); is it a file "
                          "written by torch.save?") from error


def _with_warnings(notes, load):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = load()
    for warning in caught:
        message = str(warning.message)
        if "weights_only" in message:  # PyTorch 2.4/2.5 warn about weights_only=False, which _full_load chooses
            continue
        notes.append(f"warning while loading: {_one_line(message)}")
    return obj


def _full_load(path, has_weights_only, notes):
    """Full unpickling: runs whatever the file asks for. Only with --allow-code-execution."""
    try:
        if has_weights_only:
            return _with_warnings(notes, lambda: torch.load(path, map_location="cpu", weights_only=False))
        return _with_warnings(notes, lambda: torch.load(path, map_location="cpu"))
    except (AttributeError, ModuleNotFoundError, ImportError) as e:
        raise ConversionError(
            f"{path}: the file pickles an object whose class cannot be imported here ({e}). It is probably a whole "
            "model saved with torch.save(model, ...): make its code importable (PYTHONPATH=<directory of the module "
            "defining the class>; a class defined in a script's __main__ cannot be found from another script), or "
            "save model.state_dict() instead") from e
    except Exception as e:  # noqa: BLE001
        raise ConversionError(f"{path}: torch.load failed ({type(e).__name__}: {_one_line(e)}); is it a file "
                              "written by torch.save?") from e


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
                    "extension). Runs no code from the input: it is loaded with a restricted unpickler that builds "
                    "only tensors and plain Python values; a file that needs more (a whole pickled nn.Module, other "
                    "objects) or a TorchScript archive is refused unless --allow-code-execution.")
    p.add_argument("input", nargs="?", help="the checkpoint: a state_dict, or a dict with a 'state_dict', "
                                            "'model_state_dict' or 'model' entry; with --allow-code-execution also "
                                            "a whole nn.Module or a TorchScript archive")
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
    p.add_argument(ALLOW_FLAG, action="store_true",
                   help="let loading run code from the file: unpickle it fully when the restricted unpickler refuses "
                        "it (a whole pickled nn.Module, other Python objects) and load TorchScript archives with "
                        "torch.jit.load. Unpickling a file can run any code it contains: only for files from a "
                        "source you trust. Also needed on a PyTorch before 1.13 (no weights_only)")
    p.add_argument("--self-test", action="store_true",
                   help="convert a tiny model saved in every supported form to both formats, read them back, "
                        "compare; check that hostile files are refused without running their code; and exit")
    return p


def convert(input_path, output_path, strip_prefixes=(), renames=(), keys=None, skip_non_tensors=False, out=None,
            allow_code_execution=False):
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
    obj = load_checkpoint(input_path, notes, allow_code_execution)
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
        convert(args.input, args.output, args.strip_prefix, args.prefix_rename, args.key, args.skip_non_tensors,
                allow_code_execution=args.allow_code_execution)
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
    """Saves TinyNet in every form, converts each to both formats, reads them back and compares; checks that hostile
    files are refused without running their code. Exit status 0/1."""
    import io
    import shlex

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

        # 2. The forms of checkpoint, each to both formats: state_dicts and training checkpoints (Python floats,
        #    an optimizer's state, a set, bytes: all plain values) without --allow-code-execution; a whole pickled
        #    module and a TorchScript archive, which only load by running code, with it.
        torch.save(model.state_dict(), path("state_dict.pth"))
        torch.save({"epoch": 3, "state_dict": model.state_dict(), "optimizer": {"lr": 0.1}, "accuracy": 0.5},
                   path("checkpoint.pth"))
        torch.save({"epoch": 3, "model": model.state_dict()}, path("checkpoint_model.pth"))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        model(torch.randn(2, 1, 4, 4)).sum().backward()
        optimizer.step()  # momentum buffers: tensors in the optimizer's state; param_groups: floats, bools, None
        model.load_state_dict(expected)  # the weights the other forms hold
        torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
                    "loss": 0.25, "classes": {"cat", "dog"}, "tag": b"run-7", "epoch": 3},
                   path("training.pth"))
        torch.save({"epoch": 3, "state_dict": model.state_dict()}, path("legacy.pth"),
                   _use_new_zipfile_serialization=False)  # torch.save's format before PyTorch 1.6
        torch.save(model, path("module.pth"))
        torch.jit.save(torch.jit.script(model), path("torchscript.pt"))
        forms = {"state_dict": False, "checkpoint": False, "checkpoint_model": False, "training": False,
                 "legacy": False, "module": True, "torchscript": True}  # form → needs --allow-code-execution
        for form, allow in forms.items():
            source = path(form + (".pt" if form == "torchscript" else ".pth"))
            for extension in FORMATS:
                target = path(form + extension)
                with contextlib.redirect_stdout(log):
                    convert(source, target, allow_code_execution=allow)
                compare(f"{form} → {extension}", read_back(target), expected)
        notes = []
        loaded = load_checkpoint(path("training.pth"), notes)
        check("training checkpoint: plain values restored",
              loaded["loss"] == 0.25 and loaded["classes"] == {"cat", "dog"} and loaded["tag"] == b"run-7"
              and loaded["optimizer_state_dict"]["param_groups"][0]["momentum"] == 0.9
              and len(loaded["optimizer_state_dict"]["state"]) == len(list(model.parameters())), str(loaded))
        check("training checkpoint: no note", notes == [], str(notes))

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
        with open(path("state_dict.pth"), "rb") as f:
            whole = f.read()
        with open(path("truncated.pth"), "wb") as f:
            f.write(whole[:len(whole) // 2])
        with open(path("text.pth"), "w") as f:
            f.write("not a checkpoint\n")
        for name, args, message in (
                ("non-tensor entry refused", (path("extra.pth"), path("extra.npz")), "'step' (int)"),
                ("unknown extension refused", (path("state_dict.pth"), path("weights.bin")), "unknown output"),
                ("missing input refused", (path("nothing.pth"), path("nothing.npz")), "no such file"),
                ("rename collision refused", (path("state_dict.pth"), path("clash.npz"), (), [("conv1.", "fc.")]),
                 "both become"),
                ("missing --key refused", (path("checkpoint.pth"), path("key.npz"), (), (), ["weights"]),
                 "no such entry"),
                ("truncated file refused", (path("truncated.pth"), path("truncated.npz")), "torch.load failed"),
                ("text file refused", (path("text.pth"), path("text.npz")), "torch.load failed")):
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

        # 5. A PyTorch whose torch.load has no weights_only (before 1.13): every file refused without the flag (even
        #    a state_dict: only full unpickling is left), loaded the old way with it.
        original_load = torch.load

        def load_without_weights_only(f, map_location=None):
            return original_load(f, map_location=map_location)
        torch.load = load_without_weights_only
        try:
            try:
                with contextlib.redirect_stdout(log):
                    convert(path("state_dict.pth"), path("old_torch.npz"))
                check("torch.load without weights_only: refused", False, "no error")
            except ConversionError as e:
                check("torch.load without weights_only: refused", "predates torch.load's weights_only" in str(e)
                      and ALLOW_FLAG in str(e) and UNPICKLING_RISK in str(e), str(e))
            check("torch.load without weights_only: no output", not os.path.exists(path("old_torch.npz")))
            with contextlib.redirect_stdout(log):
                convert(path("module.pth"), path("old_torch.safetensors"), allow_code_execution=True)
        finally:
            torch.load = original_load
        compare("torch.load without weights_only, --allow-code-execution → .safetensors",
                read_safetensors(path("old_torch.safetensors")), expected)

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
        check("--help names the flag and the risk", ALLOW_FLAG in parser().format_help()
              and "Unpickling a file can run any code it contains" in " ".join(parser().format_help().split()))

        # 7. Hostile files: pickles whose __reduce__ makes unpickling call os.system. The payload is `touch MARKER`,
        #    a harmless effect confined to this self-test's own temporary directory. Without --allow-code-execution
        #    each file is refused (exit status 1, one line naming the flag and the risk) and its marker never appears,
        #    nor an output file; with the flag the payloads do run (the markers appear), which shows that the files
        #    are live and the refusals are not vacuous.
        class Payload:
            def __init__(self, marker):
                self.marker = marker

            def __reduce__(self):
                return os.system, ("touch " + shlex.quote(self.marker),)

        def marker(name):
            return path(name + ".ran")

        with open(path("hostile_bare2.pkl"), "wb") as f:
            pickle.dump(Payload(marker("hostile_bare2")), f, protocol=2)  # GLOBAL 'posix system'
        with open(path("hostile_bare.pkl"), "wb") as f:
            pickle.dump(Payload(marker("hostile_bare")), f, protocol=pickle.HIGHEST_PROTOCOL)  # STACK_GLOBAL
        torch.save({"epoch": 3, "state_dict": model.state_dict(), "extra": Payload(marker("hostile_checkpoint"))},
                   path("hostile_checkpoint.pth"))
        torch.save({"state_dict": model.state_dict(), "extra": [Payload(marker("hostile_legacy"))]},
                   path("hostile_legacy.pth"), _use_new_zipfile_serialization=False)
        hostile = {"hostile_bare2": "pkl", "hostile_bare": "pkl", "hostile_checkpoint": "pth", "hostile_legacy": "pth"}
        refusals = [(name, path(f"{name}.{extension}"), "it pickles posix.system")
                    for name, extension in hostile.items()]
        refusals += [("module", path("module.pth"), f"it pickles {TinyNet.__module__}.TinyNet"),
                     ("torchscript", path("torchscript.pt"), "is a TorchScript archive")]
        original_jit_load, jit_loads = torch.jit.load, []

        def counting_jit_load(*args, **kwargs):
            jit_loads.append(args)
            return original_jit_load(*args, **kwargs)
        torch.jit.load = counting_jit_load
        try:
            for name, source, reason in refusals:
                errors = io.StringIO()
                with contextlib.redirect_stdout(log), contextlib.redirect_stderr(errors):
                    status = main([source, path(name + "_refused.npz")])
                message = errors.getvalue()
                check(f"{name} refused: exit status 1", status == 1, str(status))
                check(f"{name} refused: one line 'error: ...' naming the flag and the risk",
                      message.startswith("error: ") and message.count("\n") == 1 and ALLOW_FLAG in message
                      and ("can run code it contains" if name == "torchscript" else UNPICKLING_RISK) in message
                      and reason in message, message)
                check(f"{name} refused: no output", not os.path.exists(path(name + "_refused.npz")))
                check(f"{name} refused: no code ran", not os.path.exists(marker(name)))
            check("TorchScript refused: torch.jit.load never called", jit_loads == [], str(jit_loads))
            # The guard behind the archive check: were it to miss, torch.load's dispatch to torch.jit.load is refused.
            module = sys.modules[__name__]
            original_check = module.is_torchscript_archive
            module.is_torchscript_archive = lambda _: False
            try:
                with contextlib.redirect_stdout(log):
                    convert(path("torchscript.pt"), path("guard.npz"))
                check("TorchScript past the archive check: refused", False, "no error")
            except ConversionError as e:
                check("TorchScript past the archive check: refused", "TorchScript archive" in str(e), str(e))
            finally:
                module.is_torchscript_archive = original_check
            check("TorchScript past the archive check: torch.jit.load never called", jit_loads == [], str(jit_loads))
        finally:
            torch.jit.load = original_jit_load
        for name in ("hostile_bare2", "hostile_bare"):  # not checkpoints: full unpickling runs them, then fails
            try:
                with contextlib.redirect_stdout(log):
                    convert(path(name + ".pkl"), path(name + ".npz"), allow_code_execution=True)
                check(f"{name} with the flag: not a checkpoint", False, "no error")
            except ConversionError as e:
                check(f"{name} with the flag: not a checkpoint", "torch.load failed" in str(e), str(e))
            check(f"{name} with the flag: the payload ran", os.path.exists(marker(name)))
        for name in ("hostile_checkpoint", "hostile_legacy"):
            with contextlib.redirect_stdout(log):
                convert(path(name + ".pth"), path(name + ".npz"), allow_code_execution=True)
            compare(f"{name} with the flag → .npz", read_npz(path(name + ".npz")), expected)
            check(f"{name} with the flag: the payload ran", os.path.exists(marker(name)))

        # 8. A PyTorch whose safe unpickler cannot be replaced (another name), or whose torch.load wants more of it
        #    than RestrictedUnpickler offers: its own weights_only unpickler loads the file, still running no code.
        module = sys.modules[__name__]

        @contextlib.contextmanager
        def not_replaced():
            yield False

        def incompatible(*args, **kwargs):
            raise TypeError("an unpickler this torch.load cannot use")
        os.remove(marker("hostile_checkpoint"))  # it ran in section 7, with the flag
        for case in ("not replaceable", "incompatible"):
            saved = (module.restricted_weights_only, RESTRICTED_PICKLE.Unpickler, RESTRICTED_PICKLE.load)
            if case == "not replaceable":
                module.restricted_weights_only = not_replaced
            else:
                RESTRICTED_PICKLE.Unpickler = RESTRICTED_PICKLE.load = incompatible
            try:
                with contextlib.redirect_stdout(log):
                    convert(path("state_dict.pth"), path("own.npz"))
                compare(f"PyTorch's own unpickler ({case}) → .npz", read_npz(path("own.npz")), expected)
                try:
                    with contextlib.redirect_stdout(log):
                        convert(path("hostile_checkpoint.pth"), path("own_hostile.npz"))
                    check(f"PyTorch's own unpickler ({case}): hostile file refused", False, "no error")
                except ConversionError as e:
                    check(f"PyTorch's own unpickler ({case}): hostile file refused", ALLOW_FLAG in str(e)
                          and UNPICKLING_RISK in str(e) and "posix.system" in str(e), str(e))
                check(f"PyTorch's own unpickler ({case}): no code ran",
                      not os.path.exists(marker("hostile_checkpoint")))
                check(f"PyTorch's own unpickler ({case}): no output", not os.path.exists(path("own_hostile.npz")))
            finally:
                module.restricted_weights_only, RESTRICTED_PICKLE.Unpickler, RESTRICTED_PICKLE.load = saved

    print(f"self-test: all {len(checks)} checks passed")
    print("  forms without --allow-code-execution: state_dict, checkpoint {'state_dict': ...}, checkpoint "
          "{'model': ...}, training checkpoint (optimizer state, floats, set, bytes), pre-1.6 format; with it: "
          "whole nn.Module, TorchScript; each → .npz and .safetensors, read back (np.load; own safetensors parser) "
          "and equal")
    print("  safetensors bytes equal the reference implementation's test vectors; layout order checked")
    print("  --strip-prefix/--prefix-rename, float16/float64 kept, bfloat16 → float32, 0-d int64 counter kept")
    print("  errors: non-tensor entry, unknown extension, missing file, rename collision, missing --key, truncated "
          "file, text file; --skip-non-tensors; --key")
    print("  torch.load without weights_only (PyTorch < 1.13): refused, converts with the flag; exit status 0 / 1 "
          "(error: on stderr) / 2")
    print("  hostile files (os.system payload: bare pickle protocol 2 and 5, in a torch.save'd dict, in a pre-1.6 "
          "file), whole module, TorchScript: refused without the flag (status 1, one line naming it and the risk), "
          "no payload ran, torch.jit.load never called; with the flag the payloads run (markers appear)")
    print("  PyTorch's own weights_only unpickler where this one cannot stand in: converts, refuses the hostile file")
    print("  sample conversion output:")
    sample = log.getvalue().split("\n")
    start = next(i for i, line in enumerate(sample) if line.startswith(os.path.join(tmp, "checkpoint.pth")))
    end = next(i for i in range(start, len(sample)) if "bytes written" in sample[i])
    for line in sample[start:end + 1]:
        print("    " + line.replace(tmp + os.sep, ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"self-test FAILED: {e}", file=sys.stderr)
        sys.exit(1)
