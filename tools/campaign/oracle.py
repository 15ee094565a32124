"""PyTorch 1.13 as the oracle: builds each spec as an nn.Module and records what PyTorch does with it.

Verdicts (one per model):

    valid       PyTorch builds and runs it (batch 3, eval mode, no_grad) with every tensor's first axis the batch:
                record the output shapes, torchsummary's table (tsummary.py) and the lints PyTorch's run shows
    error       PyTorch raises while building or running it: record the exception's first line
    deliberate  PyTorch runs it but a view, reshape or flatten changed the batch axis, the batch size reaches a sample
                axis (or it runs for some batch sizes only), a tensor became empty, or a BatchNorm has eps ≤ 0 or
                momentum outside [0, 1]: what the README lists as rejected on purpose (ShapeProof keeps the batch
                free, on axis 0, and every size positive); "rule" says which

The model is the Java class read as PyTorch: a field is the nn.Module of its annotation (Lazy* where in/features is
omitted, which is "infer it"), a sequential model applies the fields in order, and a forward text is run as the body of
forward() with the names the README gives it: layers by name or self.<name>, functions bare or under F, torch,
nn.functional, torch.nn.functional (only where PyTorch has them: F.flatten is an AttributeError here as in PyTorch),
and dropout/dropout2d following the model's mode (README: "dropout follows the model's train()/eval() mode").
"""
import math
import re
import sys
import traceback
import types
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import render
import tsummary

warnings.simplefilter("ignore")
torch.set_num_threads(1)

BATCH = 3  # odd, so that a view that folds two samples into one row cannot run

# --------------------------------------------------------------------------------------------------------- modules


def _pad(v):
    return tuple(v) if isinstance(v, list) else v


def build_module(field):
    t, a = field["type"], field["attrs"]
    if field.get("annotation", t) != t:
        raise AttributeError("module 'torch.nn' has no attribute '%s'" % field["annotation"])
    if t == "Conv2d":
        mode = a.get("autoPad", "Padding.EXPLICIT").split(".")[1]
        padding = {"SAME": "same", "VALID": "valid"}.get(mode, _pad(a.get("padding", 0)))
        if mode != "EXPLICIT" and "padding" in a:
            raise ValueError("padding and autoPad both given (no PyTorch spelling)")
        kw = dict(kernel_size=_pad(a["kernel"]), stride=_pad(a.get("stride", 1)), padding=padding,
                  dilation=_pad(a.get("dilation", 1)), groups=a.get("groups", 1), bias=a.get("bias", True))
        return nn.Conv2d(a["in"], a["out"], **kw) if "in" in a else nn.LazyConv2d(a["out"], **kw)
    if t == "MaxPool2d":
        return nn.MaxPool2d(_pad(a["kernel"]), _pad(a["stride"]) if "stride" in a else None, _pad(a.get("padding", 0)),
                            _pad(a.get("dilation", 1)), ceil_mode=a.get("ceilMode", False))
    if t == "AvgPool2d":
        return nn.AvgPool2d(_pad(a["kernel"]), _pad(a["stride"]) if "stride" in a else None, _pad(a.get("padding", 0)),
                            ceil_mode=a.get("ceilMode", False), count_include_pad=a.get("countIncludePad", True))
    if t == "AdaptiveAvgPool2d":
        return nn.AdaptiveAvgPool2d(_pad(a["output"]))
    if t == "BatchNorm2d":
        kw = dict(eps=a.get("eps", 1e-5), momentum=a.get("momentum", 0.1), affine=a.get("affine", True))
        if kw["eps"] <= 0 or not 0 <= kw["momentum"] <= 1:
            OBSERVER.attributes.append("BatchNorm2d eps = %s, momentum = %s" % (kw["eps"], kw["momentum"]))
        return nn.BatchNorm2d(a["features"], **kw) if "features" in a else nn.LazyBatchNorm2d(**kw)
    if t == "ReLU":
        return nn.ReLU(inplace=a.get("inplace", False))
    if t == "LeakyReLU":
        return nn.LeakyReLU(a.get("slope", 0.01), inplace=a.get("inplace", False))
    if t == "Sigmoid":
        return nn.Sigmoid()
    if t == "Tanh":
        return nn.Tanh()
    if t == "GELU":
        return nn.GELU(approximate=a.get("approximate", "none"))
    if t in ("ReLU6", "Hardswish", "Hardsigmoid", "SiLU", "Mish"):
        return getattr(nn, t)()
    if t == "ELU":
        return nn.ELU(a.get("alpha", 1.0))
    if t == "Dropout":
        return nn.Dropout(a.get("p", 0.5))
    if t == "Dropout2d":
        return nn.Dropout2d(a.get("p", 0.5))
    if t == "Flatten":
        return nn.Flatten(a.get("startDim", 1), a.get("endDim", -1))
    if t == "Linear":
        bias = a.get("bias", True)
        return nn.Linear(a["in"], a["out"], bias) if "in" in a else nn.LazyLinear(a["out"], bias)
    if t == "Softmax":
        return nn.Softmax(a["dim"])
    if t == "LogSoftmax":
        return nn.LogSoftmax(a["dim"])
    raise ValueError("no PyTorch module for " + t)


# ------------------------------------------------------------------------------------------------ what a run shows


class Observer:
    """What one run did that the verdict needs: the lints' situations, batch-axis changes, empty tensors."""

    def __init__(self):
        self.lints = set()
        self.batch_changed = []
        self.empty = False
        self.attributes = []  # values PyTorch does not check and the README rejects
        self.not_image = []   # image layers or functions run on another rank
        self.notes = set()    # situations known discrepancies refer to


OBSERVER = Observer()
WATCHED = None


class Tracked(torch.Tensor):
    """Sees every torch function a model applies: a view, reshape or flatten that changes the first axis changes the
    batch; so does nothing else ShapeProof supports except cat along it, which stays a cat."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        result = super().__torch_function__(func, types, args, kwargs)
        if WATCHED and func in WATCHED and args and isinstance(args[0], torch.Tensor) \
                and isinstance(result, torch.Tensor):
            src = args[0]
            if result.dim() == 0 or src.dim() == 0 or result.shape[0] != src.shape[0]:
                OBSERVER.batch_changed.append(getattr(func, "__name__", str(func)))
            elif func in (torch.Tensor.flatten, torch.flatten) and src.dim() > 1:
                # a flatten from dim 0 merges the batch into the features even where the sample has one element
                start = args[1] if len(args) > 1 else kwargs.get("start_dim", 0)
                if start + (src.dim() if start < 0 else 0) == 0:
                    OBSERVER.batch_changed.append("flatten from dim 0")
        if isinstance(result, torch.Tensor) and result.numel() == 0:
            OBSERVER.empty = True
        if "max_pool2d" in getattr(func, "__name__", "") and isinstance(result, torch.Tensor) \
                and result.is_floating_point() and torch.isneginf(result).any():
            # a window whose taps all fall in the padding: PyTorch's maximum of nothing is -inf
            OBSERVER.notes.add("max-pool-window-outside-input")
        return result


def _watch():
    global WATCHED
    WATCHED = {torch.Tensor.view, torch.Tensor.reshape, torch.Tensor.flatten, torch.flatten, torch.reshape}


_watch()


def _dim(dim, rank):
    return dim + rank if dim < 0 else dim


# Layers and functions of images: PyTorch also runs some of them on a 3-D tensor, read as one unbatched image
# [C, H, W] (pooling over the batch's channels... per sample) or a 1-D signal (interpolate), which the README rejects.
IMAGE_MODULES = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.BatchNorm2d)
IMAGE_FUNCTIONS = ("max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "interpolate")


def module_hooks(model):
    """Forward pre-hooks that note the lints' situations for modules."""
    handles = []
    for m in model.modules():
        if m is model:
            continue

        def hook(module, inputs):
            x = inputs[0]
            if isinstance(module, (nn.Linear, nn.LazyLinear)) and x.dim() == 4:
                OBSERVER.lints.add("LinearOnFeatureMap")
            if isinstance(module, (nn.Softmax, nn.LogSoftmax)) and module.dim is not None \
                    and -x.dim() <= module.dim < x.dim() and _dim(module.dim, x.dim()) == 0:
                OBSERVER.lints.add("SoftmaxOverBatch")
            if isinstance(module, nn.Dropout2d) and x.dim() != 4:
                OBSERVER.lints.add("Dropout2dNotImage")
            if isinstance(module, IMAGE_MODULES) and x.dim() != 4:
                OBSERVER.not_image.append(type(module).__name__)
        handles.append(m.register_forward_pre_hook(hook))
    return handles


# -------------------------------------------------------------------------------------------- the DSL's namespace


def dsl_functions(model):
    """The functions a forward text may call, as PyTorch's, with the README's dropout rule and the lints noted."""

    def training(value):
        return model.training if value is None else value

    def dropout(input, p=0.5, training_=None, inplace=False, **kw):
        return F.dropout(input, p, training(kw.pop("training", training_)), inplace, **kw)

    def dropout2d(input, p=0.5, training_=None, inplace=False, **kw):
        if input.dim() != 4:
            OBSERVER.lints.add("Dropout2dNotImage")
        return F.dropout2d(input, p, training(kw.pop("training", training_)), inplace, **kw)

    def softmax_like(f):
        def call(input, dim=None, *args, **kw):
            if isinstance(dim, int) and -input.dim() <= dim < input.dim() and _dim(dim, input.dim()) == 0:
                OBSERVER.lints.add("SoftmaxOverBatch")
            return f(input, dim, *args, **kw)
        return call

    def cat(tensors, dim=None, **kw):
        if dim is None:
            OBSERVER.lints.add("CatOverBatch")
            dim = 0
        return torch.cat(tensors, dim, **kw)

    def image_only(f, name):
        def call(input, *args, **kw):
            if input.dim() != 4:
                OBSERVER.not_image.append(name)
            return f(input, *args, **kw)
        return call

    overrides = {"dropout": dropout, "dropout2d": dropout2d, "softmax": softmax_like(F.softmax),
                 "log_softmax": softmax_like(F.log_softmax)}
    overrides.update({name: image_only(getattr(F, name), name) for name in IMAGE_FUNCTIONS})

    class Functional:
        """torch.nn.functional with the overrides."""

        def __getattr__(self, name):
            if name in overrides:
                return overrides[name]
            return getattr(F, name)

    functional = Functional()
    torch_overrides = {"softmax": softmax_like(torch.softmax), "log_softmax": softmax_like(torch.log_softmax),
                       "cat": cat, "max_pool2d": image_only(torch.max_pool2d, "max_pool2d")}

    class Nn:
        functional = None

        def __getattr__(self, name):
            return getattr(nn, name)

    nn_proxy = Nn()
    nn_proxy.functional = functional

    class Torch:
        def __getattr__(self, name):
            if name in torch_overrides:
                return torch_overrides[name]
            if name == "nn":
                return nn_proxy
            return getattr(torch, name)

    names = {"F": functional, "torch": Torch(), "nn": nn_proxy}
    for name in ("relu", "leaky_relu", "sigmoid", "tanh", "gelu", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
                 "interpolate", "relu6", "hardswish", "hardsigmoid", "silu", "mish", "elu"):
        names[name] = getattr(F, name) if name not in ("sigmoid", "tanh") else getattr(torch, name)
    names.update({"dropout": dropout, "dropout2d": dropout2d, "softmax": overrides["softmax"],
                  "log_softmax": overrides["log_softmax"], "flatten": torch.flatten, "cat": cat})
    names.update({name: overrides[name] for name in IMAGE_FUNCTIONS})
    return names


class Sequential(nn.Module):
    """The fields in declaration order, as a sequential @Model (make_golden.py's Chain)."""

    def __init__(self, spec):
        super().__init__()
        for f in spec["fields"]:
            setattr(self, f["name"], build_module(f))

    def forward(self, x):
        for m in self.children():
            x = m(x)
        return x


class Graph(nn.Module):
    """The fields as attributes, in order; forward() is the forward text."""

    def __init__(self, spec):
        super().__init__()
        for f in spec["fields"]:
            setattr(self, f["name"], build_module(f))
        inputs = [name for name, _ in spec["inputs"]]
        body = render.dsl_text(spec["stmts"])
        lines = ["def forward(self, %s):" % ", ".join(inputs)]
        # keyword "training=" of the DSL's dropout maps to the wrappers' training_ (Python would not let the wrapper
        # name it training and also read self.training)
        for f in spec["fields"]:
            lines.append("    %s = self.%s" % (f["name"], f["name"]))
        lines += ["    " + line for line in body.splitlines()]
        self._source = "\n".join(lines) + "\n"
        namespace = dsl_functions(self)
        code = compile(self._source, "<forward of %s>" % spec["id"], "exec")
        exec(code, namespace)
        self._forward = namespace["forward"]

    def forward(self, *inputs):
        return self._forward(self, *inputs)


def build(spec):
    return Sequential(spec) if spec["kind"] == "seq" else Graph(spec)


# ---------------------------------------------------------------------------------------------------------- weights


def initialise(model, seed):
    """PyTorch's default initialisation, seeded, conv and linear weights ×1.5 (activations stay away from 0), BatchNorm
    with random statistics and affine parameters (make_golden.py's reasons)."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                m.reset_parameters()
                m.weight.mul_(1.5)
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.running_mean.copy_(torch.randn(c) * 0.5)
                m.running_var.copy_(torch.rand(c) * 1.5 + 0.25)
                m.num_batches_tracked.fill_(7)
                if m.affine:
                    m.weight.copy_(torch.randn(c) * 0.5 + 1.0)
                    m.bias.copy_(torch.randn(c) * 0.5)


def inputs_for(spec, batch, seed):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn((batch,) + tuple(shape), generator=g) for _, shape in spec["inputs"]]


def first_line(e):
    text = "%s: %s" % (type(e).__name__, str(e).strip().split("\n")[0])
    return text[:300]


# ---------------------------------------------------------------------------------------------------------- verdict


def verdict(spec, numeric=False):
    """The verdict dict for one spec, and, with numeric, the golden arrays ({"weights": {...}, "io": {...}}) when
    it is valid."""
    global OBSERVER
    OBSERVER = Observer()
    try:
        model = build(spec)
        model.eval()
        called = set()
        hooks = module_hooks(model)
        for name, m in model.named_children():
            hooks.append(m.register_forward_hook(lambda mod, i, o, name=name: called.add(name)))
        xs = [x.as_subclass(Tracked) for x in inputs_for(spec, BATCH, spec["seed"])]
        with torch.no_grad():
            out = model(*xs)
        for h in hooks:
            h.remove()
        if out is None:
            return {"status": "error", "error": "forward returned None (no return statement)"}, None
    except Exception as e:  # noqa: BLE001 - any PyTorch error is a verdict
        if "can't allocate memory" in str(e):
            # a model this machine cannot hold is no shape error: not judged
            return {"status": "resource", "error": first_line(e)}, None
        return {"status": "error", "error": first_line(e)}, None
    outs = list(out) if isinstance(out, tuple) else [out]
    rule = why = None
    if spec.get("mutated_field") in [n for n, _ in model.named_children() if n not in called]:
        rule, why = "uncalled", "an attribute no layer accepts, on %s, which forward never calls (PyTorch " \
            "checks it when the layer runs)" % spec["mutated_field"]
    elif OBSERVER.not_image:
        rule, why = "not-image", "%s on a tensor of another rank than 4" % OBSERVER.not_image[0]
    elif OBSERVER.attributes:
        rule, why = "attribute", OBSERVER.attributes[0] + ", which PyTorch does not check"
    elif OBSERVER.empty:
        rule, why = "empty", "a tensor is empty"
    elif OBSERVER.batch_changed:
        rule, why = "batch-axis", "%s changed the batch axis" % OBSERVER.batch_changed[0]
    else:
        # The batch axis must stay axis 0 and hold whole batches (a cat along it joins several): run at batch 2 too.
        try:
            with torch.no_grad():
                out2 = model(*inputs_for(spec, 2, spec["seed"]))
            outs2 = list(out2) if isinstance(out2, tuple) else [out2]
            for o3, o2 in zip(outs, outs2):
                if o3.dim() == 0 or o3.shape[1:] != o2.shape[1:] or o3.shape[0] % BATCH != 0 \
                        or o2.shape[0] % 2 != 0 or o3.shape[0] // BATCH != o2.shape[0] // 2:
                    rule, why = "batch-in-sample", "the batch size reaches a sample axis"
        except Exception as e:  # noqa: BLE001
            rule, why = "batch-size", "it runs with 3 samples but not with 2: " + first_line(e)
    if rule:
        return {"status": "deliberate", "rule": rule, "why": why}, None
    lints = sorted(OBSERVER.lints)
    result = {"status": "valid", "outputs": [[-1] + list(o.shape[1:]) for o in outs], "lints": lints,
              "notes": sorted(OBSERVER.notes),
              "uncalled": sorted(n for n, _ in model.named_children() if n not in called)}
    try:
        result["summary"] = tsummary.summary_text(model, [shape for _, shape in spec["inputs"]])
    except Exception as e:  # noqa: BLE001
        result["summary_error"] = first_line(e)
    golden = None
    if numeric or OBSERVER.notes:
        # the rare situations known discrepancies refer to always get numbers, so the committed campaign pins them
        golden = numeric_golden(spec, model, called)
    return result, golden


def numeric_golden(spec, model, called):
    initialise(model, spec["seed"] + 1)
    model.eval()
    xs = inputs_for(spec, 2, spec["seed"] + 2)
    # PyTorch's in-place ops on a view of an input change the caller's tensor: keep the inputs as they were given.
    given = [x.clone() for x in xs]
    with torch.no_grad():
        out = model(*xs)
    outs = list(out) if isinstance(out, tuple) else [out]
    weights = {k: v.detach().numpy().copy() for k, v in model.state_dict().items() if k.split(".")[0] in called}
    io = {}
    for (name, _), x in zip(spec["inputs"], given):
        io["input." + name] = x.numpy()
    for i, o in enumerate(outs):
        io["output.%d" % i] = o.detach().numpy()
    return {"weights": weights, "io": io}
