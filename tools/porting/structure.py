"""Module structure, compared: what a live PyTorch module is, and what an @Init expression would build.

Both become descriptions (a layer with its constructor's bound arguments, a block with the arguments its Java class
keeps, a container with its entries), so the port can check every expression it writes against every instance it
stands for before javac ever sees it. The expressions are evaluated in Python with stand-ins for nn.* and the block
classes that build descriptions instead of modules.
"""
import ast
import collections
import dataclasses
import functools
import inspect

from torch import nn

from . import pyexpr

IGNORED_LAYER_ARGUMENTS = ("device", "dtype")
CONTAINER_TYPES = {nn.Sequential: "Sequential", nn.ModuleList: "ModuleList", nn.ModuleDict: "ModuleDict"}


@dataclasses.dataclass
class Desc:
    kind: str      # "layer", "block", "container"
    name: str      # the layer's PyTorch class, the block's Java class, the container's kind
    args: dict     # layer and block arguments
    items: list    # container entries: [(key, Desc)]

    def __str__(self):
        if self.kind == "container":
            return "%s(%s)" % (self.name, ", ".join("%s=%s" % (k, v) for k, v in self.items))
        return "%s(%s)" % (self.name, ", ".join("%s=%s" % (k, _short(v)) for k, v in self.args.items()))


def _short(value):
    text = str(value) if isinstance(value, Desc) else repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def equal(a, b):
    a, b = _unwrapped(a), _unwrapped(b)
    if isinstance(a, Desc) or isinstance(b, Desc):
        if not (isinstance(a, Desc) and isinstance(b, Desc)) or (a.kind, a.name) != (b.kind, b.name):
            return False
        if a.kind == "container":
            return len(a.items) == len(b.items) and all(
                str(ka) == str(kb) and equal(va, vb) for (ka, va), (kb, vb) in zip(a.items, b.items))
        return set(a.args) == set(b.args) and all(equal(a.args[k], b.args[k]) for k in a.args)
    if isinstance(a, functools.partial) and isinstance(b, functools.partial):
        return _unwrapped(a.func) is _unwrapped(b.func) and equal(list(a.args), list(b.args)) and equal(
            a.keywords, b.keywords)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(equal(a[k], b[k]) for k in a)
    if inspect.isclass(a) or inspect.isclass(b) or callable(a) or callable(b):
        return a is b
    return pyexpr.same_value(a, b) or _equal_pairs(a, b)


def _equal_pairs(a, b):
    """kernel_size=3 and kernel_size=(3, 3) build the same layer."""
    if isinstance(a, int) and isinstance(b, tuple):
        return all(pyexpr.same_value(a, x) for x in b)
    if isinstance(b, int) and isinstance(a, tuple):
        return _equal_pairs(b, a)
    return False


class Describer:
    """Descriptions of live modules, for a plan that knows each block instance's Java class."""

    def __init__(self, plan):
        self.plan = plan

    def live(self, module):
        if module is None:
            return None
        kind = self.plan.kind_of(module)
        if kind == "container":
            return Desc("container", CONTAINER_TYPES[type(module)], {},
                        [(k, self.live(m)) for k, m in module._modules.items() if m is not None])
        if kind == "block":
            java = self.plan.java_class_of(module)
            args = {}
            if java.mode == "generic":
                construction = self.plan.loaded.construction(module)
                args = {p.name: self.value(construction.arguments[p.name]) for p in java.params}
            return Desc("block", java.java_name, args, [])
        construction = self.plan.loaded.construction(module)
        arguments = construction.arguments if construction is not None else self.plan.layer_arguments(module)
        return Desc("layer", type(module).__name__, {k: self.value(v) for k, v in arguments.items()
                                                     if k not in IGNORED_LAYER_ARGUMENTS}, [])

    def value(self, value):
        if isinstance(value, nn.Module):
            return self.live(value)
        if isinstance(value, (list, tuple)):
            return type(value)(self.value(v) for v in value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if pyexpr.is_record(value):
            return pyexpr.record(value)
        return value

    # --- expressions -------------------------------------------------------------------------------------------

    def evaluate(self, node, arguments, current=None):
        """What `node` (an @Init expression of the class `current`) builds with the block's `arguments` (name →
        live value)."""
        scope = dict(self._stand_ins())
        if current is not None and current.kind == "block":
            scope[current.java_name] = _BlockStandIn(current)
        scope.update({name: self._building(self.value(value)) for name, value in arguments.items()})
        code = compile(ast.fix_missing_locations(ast.Expression(node)), "<@Init>", "eval")
        scope["__builtins__"] = __builtins__  # one scope: comprehensions see only globals
        return eval(code, scope)  # noqa: S307 - an expression the port wrote, over descriptions

    def _building(self, value):
        """`value` with the module classes in it (alone or in a functools.partial) standing in as _ModuleClass."""
        if inspect.isclass(value) and issubclass(value, nn.Module):
            java = self.plan.generic_class(value)
            return _ModuleClass(value, _BlockStandIn(java) if java is not None else None)
        if isinstance(value, functools.partial) and inspect.isclass(value.func) and issubclass(value.func, nn.Module):
            return functools.partial(self._building(value.func), *value.args, **value.keywords)
        if isinstance(value, (list, tuple)):
            return type(value)(self._building(v) for v in value)
        return value

    def _stand_ins(self):
        scope = {"nn": _NN(), "OrderedDict": collections.OrderedDict, "partial": functools.partial}
        for java in self.plan.java_classes():
            if java.kind == "block":
                scope[java.java_name] = _BlockStandIn(java)
        for cls in self.plan.layer_classes():
            if not cls.__module__.startswith("torch.nn"):
                scope[cls.__name__] = _ModuleClass(cls)
        return scope


class _ModuleClass:
    """A module class passed as an argument (activation_layer=nn.Hardswish): calling it builds a description, not a
    module, and it compares as the class itself."""

    def __init__(self, cls, block=None):
        self.cls = cls
        self.block = block  # the block class's stand-in, where the class is a block written from __init__

    def __call__(self, *args, **kwargs):
        if self.block is not None:
            return self.block(*args, **kwargs)
        if self.cls in CONTAINER_TYPES:
            return _container(self.cls, *args)
        return _layer(self.cls, *args, **kwargs)


def _unwrapped(value):
    """The class a stand-in stands for, so that it compares with the live value."""
    if isinstance(value, _ModuleClass):
        return value.cls
    if isinstance(value, _BlockStandIn):
        return value.java.pytorch_class
    return value


class _NN:
    """Stands in for `nn`: its layers and containers build descriptions."""

    def __getattr__(self, name):
        return _ModuleClass(getattr(nn, name))


def _layer(cls, *args, **kwargs):
    signature = inspect.signature(cls)
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return Desc("layer", cls.__name__, {k: v for k, v in bound.arguments.items()
                                        if k not in IGNORED_LAYER_ARGUMENTS}, [])


def _container(cls, *args):
    if cls is nn.Sequential and len(args) == 1 and isinstance(args[0], dict):
        items = list(args[0].items())
    elif cls is nn.Sequential:
        items = [(str(i), m) for i, m in enumerate(args)]
    elif cls is nn.ModuleList:
        items = [(str(i), m) for i, m in enumerate(args[0] if args else [])]
    else:
        items = list((args[0] if args else {}).items())
    return Desc("container", CONTAINER_TYPES[cls], {}, [(k, m) for k, m in items if m is not None])


class _BlockStandIn:
    """Stands in for a Java block class: a call binds the kept parameters; attributes are its constants."""

    def __init__(self, java):
        self.java = java

    def __call__(self, *args, **kwargs):
        if self.java.mode != "generic":
            if args or kwargs:
                raise TypeError("%s takes no arguments" % self.java.java_name)
            return Desc("block", self.java.java_name, {}, [])
        parameters = [inspect.Parameter(p.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                        default=p.default if p.has_default else inspect.Parameter.empty)
                      for p in self.java.params]
        bound = inspect.Signature(parameters).bind(*args, **kwargs)
        bound.apply_defaults()
        return Desc("block", self.java.java_name, dict(bound.arguments), [])

    def __getattr__(self, name):
        if name in self.java.constants:
            return self.java.constants[name]
        raise AttributeError(name)
