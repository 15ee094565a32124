"""Getting the model to port, and what each of its modules' constructors was called with.

A model is named one of four ways:

  * `package.module:Name`: a class or a factory function, called with --args (Python literals: "64, stride=2");
  * a call, `torchvision.models.resnet18(weights=None)`: the same, the arguments written in the call;
  * a torchvision builder by name (`resnet18`, `deeplabv3_resnet50`), called with weights=None (and
    weights_backbone=None), so nothing is downloaded;
  * a file holding a whole pickled nn.Module (`torch.save(model, path)`): unpickling runs code from the file, so it
    needs --allow-code-execution, as tools/convert_checkpoint.py does; its constructors' arguments are not known.

Arguments are Python literals only (ast.literal_eval): naming the model imports its module and runs its constructor,
which is the user's own code, but the command line is never evaluated.

While the model is built, a profile hook records each module's constructor arguments (the first __init__ that runs
for it, so the most derived class's) and the call expression that built it, which the port needs: PyTorch keeps
neither.
"""
import ast
import dataclasses
import importlib
import inspect
import linecache
import os
import sys
from typing import Optional

import torch
from torch import nn

TORCHVISION_NAMESPACES = ("torchvision.models", "torchvision.models.segmentation")
PICKLE_EXTENSIONS = (".pt", ".pth", ".pkl", ".bin")


class ModelSpecError(Exception):
    """The model could not be named, imported, built or loaded; the message says why and what to do."""


@dataclasses.dataclass
class Construction:
    """How one module was built: its constructor's arguments, bound, and the call that built it."""
    arguments: dict              # parameter name → value, as __init__ received them (defaults included)
    signature: inspect.Signature  # __init__'s signature without self
    call: Optional[ast.Call]     # the call expression as written (`nn.Conv2d(3, 64, kernel_size=7, ...)`), if found
    file: Optional[str]
    line: Optional[int]


@dataclasses.dataclass
class LoadedModel:
    module: nn.Module
    constructions: dict          # id(module) → Construction; empty for an unpickled model
    description: str             # how it was named, for the report
    qualified_name: str          # the root class, `torchvision.models.resnet.ResNet`

    def construction(self, module):
        return self.constructions.get(id(module))


class ConstructionRecorder:
    """Records every nn.Module's constructor arguments while active (sys.setprofile, this thread)."""

    def __init__(self):
        self.constructions = {}
        self._alive = []  # keeps recorded modules alive, so no id is reused while recording
        self._positions = {}
        self._previous = None

    def __enter__(self):
        self._previous = sys.getprofile()
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc):
        sys.setprofile(self._previous)
        return False

    def _profile(self, frame, event, arg):
        if event != "call" or frame.f_code.co_name != "__init__" or frame.f_code.co_argcount == 0:
            return
        code = frame.f_code
        module = frame.f_locals.get(code.co_varnames[0])
        if not isinstance(module, nn.Module) or id(module) in self.constructions:
            return
        try:
            self.constructions[id(module)] = self._construction(frame)
            self._alive.append(module)
        except Exception:  # noqa: BLE001 - a module whose construction cannot be read is ported without it
            pass

    def _construction(self, frame):
        code = frame.f_code
        names = list(code.co_varnames[1:code.co_argcount + code.co_kwonlyargcount])
        position = code.co_argcount + code.co_kwonlyargcount
        if code.co_flags & inspect.CO_VARARGS:
            names.append(code.co_varnames[position])
            position += 1
        if code.co_flags & inspect.CO_VARKEYWORDS:
            names.append(code.co_varnames[position])
        arguments = {name: frame.f_locals[name] for name in names if name in frame.f_locals}
        function = _function_of(frame)
        signature = inspect.signature(function) if function is not None else None
        if signature is not None:
            signature = signature.replace(parameters=list(signature.parameters.values())[1:])
        call, file, line = self._call_site(frame.f_back)
        return Construction(arguments, signature, call, file, line)

    def _call_site(self, caller):
        """The call expression that is running in `caller` (Python 3.11+ knows its exact columns)."""
        if caller is None:
            return None, None, None
        code = caller.f_code
        file, line = code.co_filename, caller.f_lineno
        try:
            positions = self._positions.get(code)
            if positions is None:
                positions = self._positions[code] = list(code.co_positions())
            start, end, column, end_column = positions[caller.f_lasti // 2]
            lines = linecache.getlines(file)
            if None in (start, end, column, end_column) or not lines:
                return None, file, line
            if start == end:
                text = lines[start - 1][column:end_column]
            else:
                text = lines[start - 1][column:] + "".join(lines[start:end - 1]) + lines[end - 1][:end_column]
            expression = ast.parse("(" + text + "\n)", mode="eval").body
            return (expression if isinstance(expression, ast.Call) else None), file, start
        except (AttributeError, IndexError, SyntaxError, ValueError):
            return None, file, line


def _function_of(frame):
    """The __init__ function running in `frame`, found on the module's class."""
    module = frame.f_locals.get(frame.f_code.co_varnames[0])
    for cls in type(module).__mro__:
        function = cls.__dict__.get("__init__")
        if function is not None and getattr(function, "__code__", None) is frame.f_code:
            return function
    return None


# ------------------------------------------------------------------------------------------------------ naming

def load_model(spec, args_text=None, allow_code_execution=False, seed=0):
    """Builds (or unpickles) the model `spec` names, in eval mode, recording its constructions."""
    if os.path.splitext(spec)[1].lower() in PICKLE_EXTENSIONS or os.path.isfile(spec):
        if args_text:
            raise ModelSpecError("--args applies to a class or a factory, not to a file")
        return _unpickle(spec, allow_code_execution)
    callee, args, kwargs, description = _callee(spec, args_text)
    torch.manual_seed(seed)
    with ConstructionRecorder() as recorder:
        try:
            model = callee(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - the user's constructor failed: say so, with its message
            raise ModelSpecError("%s raised %s: %s" % (description, type(e).__name__, e)) from e
    if not isinstance(model, nn.Module):
        raise ModelSpecError("%s returned a %s, not an nn.Module" % (description, type(model).__name__))
    model.eval()
    return LoadedModel(model, recorder.constructions, description, _qualified(type(model)))


def parse_arguments(text):
    """`64, stride=2` → ([64], {"stride": 2}); every value must be a Python literal."""
    if not text or not text.strip():
        return [], {}
    try:
        call = ast.parse("f(%s)" % text, mode="eval").body
    except SyntaxError as e:
        raise ModelSpecError("--args %r does not parse as Python arguments: %s" % (text, e.msg)) from e
    return _literal_arguments(call, "--args %r" % text)


def _literal_arguments(call, where):
    try:
        args = [ast.literal_eval(a) for a in call.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except ValueError as e:
        raise ModelSpecError("%s: arguments must be Python literals (numbers, strings, tuples, lists, dicts, "
                             "True/False/None)" % where) from e
    if any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        raise ModelSpecError("%s: *args and **kwargs are not supported; write the arguments out" % where)
    return args, kwargs


def _callee(spec, args_text):
    """The callable `spec` names, its arguments, and a description."""
    if "(" in spec:
        if args_text:
            raise ModelSpecError("give the arguments either in the call or with --args, not both")
        try:
            call = ast.parse(spec.strip(), mode="eval").body
        except SyntaxError as e:
            raise ModelSpecError("%r does not parse as a call: %s" % (spec, e.msg)) from e
        if not isinstance(call, ast.Call) or _dotted(call.func) is None:
            raise ModelSpecError("%r: expected a call of a dotted name, e.g. torchvision.models.resnet18()" % spec)
        args, kwargs = _literal_arguments(call, spec)
        return _import_dotted(_dotted(call.func)), args, kwargs, spec
    args, kwargs = parse_arguments(args_text)
    if ":" in spec:
        module_name, _, name = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as e:
            raise ModelSpecError("cannot import %s (%s); is its directory on PYTHONPATH?" % (module_name, e)) from e
        if not hasattr(module, name):
            raise ModelSpecError("%s has no %s" % (module_name, name))
        return getattr(module, name), args, kwargs, _describe_call(spec, args, kwargs)
    if "." in spec and not spec.startswith("segmentation."):
        return _import_dotted(spec), args, kwargs, _describe_call(spec, args, kwargs)
    return _torchvision_builder(spec.split(".")[-1], args, kwargs)


def _torchvision_builder(name, args, kwargs):
    import torchvision  # noqa: F401 - imported only when a torchvision model is named

    for namespace in TORCHVISION_NAMESPACES:
        module = importlib.import_module(namespace)
        builder = getattr(module, name, None)
        if callable(builder) and not inspect.isclass(builder):
            parameters = inspect.signature(builder).parameters
            for weights in ("weights", "weights_backbone"):
                if weights in parameters:
                    kwargs.setdefault(weights, None)  # no download: the port needs the architecture only
            return builder, args, kwargs, _describe_call(namespace + "." + name, args, kwargs)
    raise ModelSpecError("%r is not a torchvision model builder, and not package.module:Name; torchvision's are "
                         "e.g. resnet18, densenet121, deeplabv3_resnet50" % name)


def _import_dotted(dotted):
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for part in parts[split:]:
                target = getattr(target, part)
            return target
        except AttributeError:
            break
    raise ModelSpecError("cannot import %s; is its package on PYTHONPATH?" % dotted)


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else base + "." + node.attr
    return None


def _describe_call(name, args, kwargs):
    return "%s(%s)" % (name, ", ".join([repr(a) for a in args] + ["%s=%r" % kv for kv in kwargs.items()]))


def _unpickle(path, allow_code_execution):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import convert_checkpoint  # the converter's loader: no code from the file runs without the flag

    notes = []
    try:
        obj = convert_checkpoint.load_checkpoint(path, notes, allow_code_execution)
    except convert_checkpoint.ConversionError as e:
        raise ModelSpecError(str(e)) from e
    if isinstance(obj, torch.jit.ScriptModule):
        raise ModelSpecError("%s is a TorchScript archive: it has no Python source to port; load the model's "
                             "Python class instead (package.module:ClassName)" % path)
    if not isinstance(obj, nn.Module):
        raise ModelSpecError("%s holds %s, not a whole nn.Module: a state_dict has no architecture to port; name "
                             "the model's class (package.module:ClassName) and give the file with --state-dict"
                             % (path, convert_checkpoint.describe(obj)))
    obj.eval()
    return LoadedModel(obj, {}, "%s (unpickled)" % path, _qualified(type(obj)))


def load_state_dict(model, path):
    """Loads a state_dict file into `model` strictly, with the converter's safe loader."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import convert_checkpoint

    notes = []
    try:
        state = convert_checkpoint.find_state_dict(convert_checkpoint.load_checkpoint(path, notes), None, notes)
        model.load_state_dict(state, strict=True)
    except convert_checkpoint.ConversionError as e:
        raise ModelSpecError(str(e)) from e
    except RuntimeError as e:
        raise ModelSpecError("%s does not fit the model: %s" % (path, str(e).splitlines()[0])) from e
    return notes


def _qualified(cls):
    return cls.__module__ + "." + cls.__qualname__
