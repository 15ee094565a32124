"""Random ShapeProof models for the differential campaign: sequential and forward-DSL graph models, about half of them
broken by one realistic mutation.

A model is a plain dict (a *spec*), so that the oracle (oracle.py) and the Java source (java.py) are two renderings of
one thing:

    {"id": "c000042", "kind": "seq" | "graph",
     "inputs": [["x", [3, 16, 16]]],              # name, per-sample shape
     "fields": [{"name": "conv1", "type": "Conv2d", "attrs": {"out": 8, "kernel": [3, 5]}}, ...],
     "stmts": [...],                              # graph models: the forward as a small AST (render.py)
     "suppress": ["ShapeProof/SoftmaxOverBatch"], # @SuppressWarnings on the class, or absent
     "mutation": "wrong_in" | None, "expect": "FeatureMismatch" | None}

Attribute values are Java's: ints, int lists ({h, w}), bools, floats (double), strings, and "Padding.SAME" for the
enum. An attribute absent from "attrs" is omitted in the annotation (PyTorch's default, or inferred for in/features).

Extending it: a new op needs a generator function in SEQ_OPS / FUNCTIONS (returning the field or call and the new
shape), its rendering to PyTorch in oracle.py (MODULES / the DSL namespace), and, if it has typical mistakes, a
mutation in MUTATIONS. Nested blocks will need a stmts node kind of their own; everything else reads specs only
through render.py and oracle.py.
"""
import copy
import math
import random

# ------------------------------------------------------------------------------------------------ PyTorch's shape rules


def conv_out(i, k, s, pb, pa, d):
    """nn.Conv2d along one axis, or None when PyTorch rejects it (kernel larger than the padded input)."""
    eff = d * (k - 1) + 1
    if i + pb + pa < eff:
        return None
    return (i + pb + pa - eff) // s + 1


def pool_out(i, k, s, p, d, ceil):
    """ATen's pooling_output_shape; PyTorch requires the result to be at least 1 (pool2d_shape_check)."""
    o = (i + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)) // s + 1
    if ceil and (o - 1) * s >= i + p:
        o -= 1
    return o if o >= 1 and p <= k // 2 else None


def pair(v):
    return (v, v) if isinstance(v, int) else (v[0], v[-1])


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


# ------------------------------------------------------------------------------------------------------- attributes


class Gen:
    """One model's random choices; names are unique per model."""

    def __init__(self, rng):
        self.rng = rng
        self.counters = {}
        self.fields = []

    def name(self, prefix):
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return "%s%d" % (prefix, n)

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, *weighted):
        """pick((w, value), ...)"""
        total = sum(w for w, _ in weighted)
        r = self.rng.random() * total
        for w, v in weighted:
            r -= w
            if r < 0:
                return v
        return weighted[-1][1]

    def int_or_pair(self, lo, hi, pair_p=0.2):
        if self.chance(pair_p):
            return [self.rng.randint(lo, hi), self.rng.randint(lo, hi)]
        return self.rng.randint(lo, hi)

    def add_field(self, prefix, type_, attrs):
        name = self.name(prefix)
        self.fields.append({"name": name, "type": type_, "attrs": attrs})
        return name


def as_pair_attr(v):
    """How the generator writes an int-array attribute: k, or [h, w] (rendered {h, w})."""
    if isinstance(v, list) and len(v) == 2 and v[0] == v[1]:
        return v[0]
    return v


# --------------------------------------------------------------------------------------------- layer generators (4-D)
# Each returns (type, attrs, new_shape) for input `shape` (per sample), or None when it found nothing valid.


def gen_conv(g, shape, tries=12):
    c, h, w = shape
    for _ in range(tries):
        out = g.rng.randint(1, 12)
        groups = 1
        if g.chance(0.25):
            divisors = [d for d in range(2, c + 1) if c % d == 0]
            if divisors:
                groups = g.rng.choice(divisors)
                out = groups * g.rng.randint(1, max(1, 12 // groups))
        kernel = g.int_or_pair(1, 5)
        dilation = 1 if g.chance(0.7) else g.int_or_pair(2, 3, 0.15)
        mode = g.pick((8, "EXPLICIT"), (1, "SAME"), (1, "VALID"))
        stride = 1 if mode == "SAME" or g.chance(0.55) else g.int_or_pair(1, 3)
        padding = 0 if mode != "EXPLICIT" or g.chance(0.3) else g.int_or_pair(0, 3)
        kh, kw = pair(kernel)
        dh, dw = pair(dilation)
        sh, sw = pair(stride)
        ph, pw = pair(padding)
        if mode == "SAME":
            outs = [h, w]
        else:
            outs = [conv_out(h, kh, sh, ph, ph, dh), conv_out(w, kw, sw, pw, pw, dw)]
        if None in outs:
            continue
        attrs = {}
        if g.chance(0.6):
            attrs["in"] = c
        attrs["out"] = out
        attrs["kernel"] = as_pair_attr(kernel)
        if stride != 1 or g.chance(0.1):
            attrs["stride"] = as_pair_attr(stride)
        if mode == "EXPLICIT" and (padding != 0 or g.chance(0.1)):
            attrs["padding"] = as_pair_attr(padding)
        if mode != "EXPLICIT":
            attrs["autoPad"] = "Padding." + mode
        if dilation != 1 or g.chance(0.05):
            attrs["dilation"] = as_pair_attr(dilation)
        if groups != 1 or g.chance(0.05):
            attrs["groups"] = groups
        if g.chance(0.2):
            attrs["bias"] = False
        return "Conv2d", attrs, (out, outs[0], outs[1])
    return None


def gen_maxpool(g, shape, tries=12):
    c, h, w = shape
    for _ in range(tries):
        kernel = g.int_or_pair(1, 4)
        kh, kw = pair(kernel)
        stride = None if g.chance(0.5) else g.int_or_pair(1, 3)
        sh, sw = pair(stride) if stride is not None else (kh, kw)
        padding = 0 if g.chance(0.6) else [g.rng.randint(0, kh // 2), g.rng.randint(0, kw // 2)]
        ph, pw = pair(padding)
        dilation = 1 if g.chance(0.8) else g.int_or_pair(2, 3, 0.1)
        dh, dw = pair(dilation)
        ceil = g.chance(0.3)
        outs = [pool_out(h, kh, sh, ph, dh, ceil), pool_out(w, kw, sw, pw, dw, ceil)]
        if None in outs:
            continue
        attrs = {"kernel": as_pair_attr(kernel)}
        if stride is not None:
            attrs["stride"] = as_pair_attr(stride)
        if padding != 0:
            attrs["padding"] = as_pair_attr(padding)
        if dilation != 1:
            attrs["dilation"] = as_pair_attr(dilation)
        if ceil:
            attrs["ceilMode"] = True
        return "MaxPool2d", attrs, (c, outs[0], outs[1])
    return None


def gen_avgpool(g, shape, tries=12):
    c, h, w = shape
    for _ in range(tries):
        kernel = g.int_or_pair(1, 5)
        kh, kw = pair(kernel)
        stride = None if g.chance(0.5) else g.int_or_pair(1, 3)
        sh, sw = pair(stride) if stride is not None else (kh, kw)
        padding = 0 if g.chance(0.6) else [g.rng.randint(0, kh // 2), g.rng.randint(0, kw // 2)]
        ph, pw = pair(padding)
        ceil = g.chance(0.35)
        outs = [pool_out(h, kh, sh, ph, 1, ceil), pool_out(w, kw, sw, pw, 1, ceil)]
        if None in outs:
            continue
        attrs = {"kernel": as_pair_attr(kernel)}
        if stride is not None:
            attrs["stride"] = as_pair_attr(stride)
        if padding != 0:
            attrs["padding"] = as_pair_attr(padding)
        if ceil:
            attrs["ceilMode"] = True
        if g.chance(0.3):
            attrs["countIncludePad"] = False
        return "AvgPool2d", attrs, (c, outs[0], outs[1])
    return None


def gen_adaptive(g, shape):
    c, h, w = shape
    output = g.int_or_pair(1, 5, 0.3)
    oh, ow = pair(output)
    return "AdaptiveAvgPool2d", {"output": as_pair_attr(output)}, (c, oh, ow)


def gen_bn(g, shape):
    attrs = {}
    if g.chance(0.5):
        attrs["features"] = shape[0]
    if g.chance(0.15):
        attrs["eps"] = g.rng.choice([1e-3, 0.01, 1e-4])
    if g.chance(0.15):
        attrs["momentum"] = g.rng.choice([0.2, 0.05, 0.5])
    if g.chance(0.2):
        attrs["affine"] = False
    return "BatchNorm2d", attrs, shape


def gen_activation(g, shape):
    kind = g.pick((4, "ReLU"), (2, "LeakyReLU"), (1.5, "Sigmoid"), (1.5, "Tanh"), (2, "GELU"), (0.6, "ReLU6"),
                  (0.6, "Hardswish"), (0.5, "Hardsigmoid"), (0.6, "SiLU"), (0.4, "Mish"), (0.5, "ELU"))
    attrs = {}
    if kind == "ELU" and g.chance(0.5):
        attrs["alpha"] = g.rng.choice([0.5, 1.5, 0.1])
    if kind == "LeakyReLU" and g.chance(0.6):
        attrs["slope"] = g.rng.choice([0.2, 0.1, 0.3, 0.05])
    if kind == "GELU" and g.chance(0.5):
        attrs["approximate"] = "tanh"
    if kind in ("ReLU", "LeakyReLU") and g.chance(0.1):
        attrs["inplace"] = True
    return kind, attrs, shape


def gen_dropout(g, shape, two_d=None):
    two_d = (len(shape) == 3 and g.chance(0.5)) if two_d is None else two_d
    attrs = {}
    if g.chance(0.5):
        attrs["p"] = g.rng.choice([0.1, 0.25, 0.3, 0.5, 0.0])
    return ("Dropout2d" if two_d else "Dropout"), attrs, shape


def gen_flatten(g, shape):
    rank = len(shape) + 1
    attrs = {}
    start, end = 1, rank - 1
    if g.chance(0.2) and rank >= 3:
        start = g.rng.randint(1, rank - 1)
        attrs["startDim"] = start if g.chance(0.7) else start - rank
    if g.chance(0.2) and rank >= 3:
        end = g.rng.randint(start, rank - 1)
        attrs["endDim"] = end if g.chance(0.5) else end - rank
    s = start - 1
    e = end - 1
    new = list(shape[:s]) + [numel(shape[s:e + 1])] + list(shape[e + 1:])
    return "Flatten", attrs, tuple(new)


def gen_linear(g, shape):
    features = shape[-1]
    out = g.rng.randint(1, 24)
    attrs = {}
    if g.chance(0.6):
        attrs["in"] = features
    attrs["out"] = out
    if g.chance(0.15):
        attrs["bias"] = False
    return "Linear", attrs, tuple(list(shape[:-1]) + [out])


def gen_softmax(g, shape):
    rank = len(shape) + 1
    dim = g.rng.randint(1, rank - 1)
    if g.chance(0.3):
        dim -= rank
    return g.rng.choice(["Softmax", "LogSoftmax"]), {"dim": dim}, shape


def shrink_for_flatten(g, shape):
    """An adaptive pool before a flatten of a large map, so that Linear layers stay small."""
    if len(shape) == 3 and numel(shape) > 400:
        side = g.rng.randint(1, 3)
        return "AdaptiveAvgPool2d", {"output": side}, (shape[0], side, side)
    return None


def next_layer(g, shape, remaining):
    """A random valid next layer for `shape`, steering towards a flat classifier head at the end."""
    rank = len(shape) + 1
    if rank == 4:
        if remaining <= 2 and g.chance(0.6):
            shrink = shrink_for_flatten(g, shape)
            if shrink:
                return shrink
            return gen_flatten(g, shape)
        choice = g.pick((5, "conv"), (2, "max"), (1.5, "avg"), (0.6, "adaptive"), (1.5, "bn"), (3, "act"),
                        (1, "drop"), (0.8, "flatten"), (0.3, "linear4d"), (0.3, "softmax"))
        if choice == "flatten":
            shrink = shrink_for_flatten(g, shape)
            return shrink or gen_flatten(g, shape)
        gens = {"conv": gen_conv, "max": gen_maxpool, "avg": gen_avgpool, "adaptive": gen_adaptive, "bn": gen_bn,
                "act": gen_activation, "drop": gen_dropout, "linear4d": gen_linear, "softmax": gen_softmax}
        return gens[choice](g, shape)
    choice = g.pick((4, "linear"), (3, "act"), (1, "drop"), (0.6, "softmax"), (0.2, "flatten"))
    gens = {"linear": gen_linear, "act": gen_activation, "drop": lambda g, s: gen_dropout(g, s, False),
            "softmax": gen_softmax, "flatten": gen_flatten}
    return gens[choice](g, shape)


PREFIX = {"Conv2d": "conv", "MaxPool2d": "pool", "AvgPool2d": "avg", "AdaptiveAvgPool2d": "gap", "BatchNorm2d": "bn",
          "ReLU": "relu", "LeakyReLU": "lrelu", "Sigmoid": "sig", "Tanh": "tanh", "GELU": "gelu", "Dropout": "drop",
          "ReLU6": "relu6", "Hardswish": "hswish", "Hardsigmoid": "hsig", "SiLU": "silu", "Mish": "mish", "ELU": "elu",
          "Dropout2d": "drop2d", "Flatten": "flat", "Linear": "fc", "Softmax": "softmax", "LogSoftmax": "logsoftmax"}


def random_input(g):
    if g.chance(0.85):
        c = g.pick((3, 1), (3, 3), (2, 2), (1, 4), (1, 6))
        h = g.pick((1, 1), (1, 2), (2, 4), (4, 8), (3, 12), (3, 16), (1, 20), (1, 7), (1, 11))
        w = h if g.chance(0.75) else g.pick((1, 1), (1, 3), (2, 8), (2, 10), (1, 16), (1, 5))
        return (c, h, w)
    return (g.rng.randint(1, 32),)


# ------------------------------------------------------------------------------------------------ graph (forward DSL)
# Expressions: ("var", name) | ("mod", field, arg, self_style) | ("fn", name, ns, [args], [(kw, arg)]) |
# ("add", a, b) | ("neg", a) | ("meth", obj, method, [args]) | ("list", [exprs]) | ("lit", python_text)
# Statements: ("assign", target, expr) | ("augadd", target, expr) | ("return", [exprs])

# The namespaces in which PyTorch 1.13 has each function with the DSL's signature (torch.dropout has a different one,
# F.flatten and F.cat do not exist): the generator writes only these; the `namespace` mutation writes the others.
NAMESPACES = {
    "relu": ["", "F", "torch", "nn.functional"], "leaky_relu": ["", "F", "torch.nn.functional"],
    "sigmoid": ["", "torch"], "tanh": ["", "torch"], "gelu": ["", "F"],
    "max_pool2d": ["", "F", "torch"], "avg_pool2d": ["", "F"], "adaptive_avg_pool2d": ["", "F"],
    "dropout": ["", "F"], "dropout2d": ["", "F"], "flatten": ["", "torch"], "softmax": ["", "F", "torch"],
    "log_softmax": ["", "F", "torch"], "cat": ["", "torch"], "interpolate": ["", "F"],
    "relu6": ["", "F"], "hardswish": ["", "F"], "hardsigmoid": ["", "F"], "silu": ["", "F"], "mish": ["", "F"],
    "elu": ["", "F"],
}
MISSING_NAMESPACES = {"flatten": "F", "cat": "F", "interpolate": "torch", "gelu": "torch", "avg_pool2d": "torch",
                      "leaky_relu": "torch", "dropout2d": "torch", "adaptive_avg_pool2d": "torch"}


def lit(v):
    if isinstance(v, bool):
        return ("lit", "True" if v else "False")
    if isinstance(v, (list, tuple)):
        return ("lit", "(" + ", ".join(str(x) for x in v) + ")")
    if isinstance(v, str):
        return ("lit", "'" + v + "'")
    return ("lit", repr(v))


class GraphGen:
    def __init__(self, g):
        self.g = g
        self.stmts = []
        self.env = {}       # variable -> per-sample shape
        self.order = []     # variables by recency
        self.tmp = 0

    def fn(self, name, args, kwargs=()):
        # torch.relu has no inplace parameter (F.relu has)
        spaces = [n for n in NAMESPACES[name] if not (n == "torch" and any(k == "inplace" for k, _ in kwargs))]
        ns = self.g.rng.choice(spaces)
        return ("fn", name, ns, list(args), list(kwargs))

    def mod(self, field, arg):
        return ("mod", field, arg, self.g.chance(0.35))

    def assign(self, target, expr, shape):
        self.stmts.append(("assign", target, expr))
        self.env[target] = shape
        if target in self.order:
            self.order.remove(target)
        self.order.append(target)

    def fresh(self, prefix):
        self.tmp += 1
        return "%s%d" % (prefix, self.tmp)

    def target_for(self, source):
        return source if self.g.chance(0.6) else self.fresh(self.g.rng.choice(["h", "y", "z", "out", "t"]))

    def current(self):
        """Mostly the latest variable, sometimes an older one."""
        if len(self.order) > 1 and self.g.chance(0.2):
            return self.g.rng.choice(self.order)
        return self.order[-1]

    # One random step: a module call, a function call, a residual block, branches joined by cat, a view, a resize.
    def step(self, remaining):
        g = self.g
        src = self.current()
        shape = self.env[src]
        rank = len(shape) + 1
        kinds = [(4, "module"), (3, "function")]
        if rank == 4:
            kinds += [(1, "residual"), (1, "branches"), (0.7, "view"), (0.5, "interpolate"), (0.4, "add_same")]
        else:
            kinds += [(0.4, "add_same"), (0.3, "view")]
        if remaining <= 1 and rank == 4 and g.chance(0.5):
            kind = "view"
        else:
            kind = g.pick(*kinds)
        getattr(self, "step_" + kind)(src, shape)

    def step_module(self, src, shape):
        g = self.g
        # a layer called a second time: an activation, or a shape-keeping conv
        shared = [f for f in g.fields if f.get("shareable") and f["shareable"](shape)]
        if shared and g.chance(0.25):
            field = g.rng.choice(shared)
            self.assign(self.target_for(src), self.mod(field["name"], ("var", src)), field["out_shape"](shape))
            return
        made = next_layer(g, shape, 5)
        if made is None:
            return
        type_, attrs, new_shape = made
        name = g.add_field(PREFIX[type_], type_, attrs)
        field = g.fields[-1]
        field["_in"] = shape
        if type_ in ("ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "Dropout"):
            field["shareable"] = lambda s: True
            field["out_shape"] = lambda s: s
        elif type_ == "Conv2d" and new_shape == shape and "in" in attrs:
            field["shareable"] = lambda s, c=shape: s == c
            field["out_shape"] = lambda s: s
        self.assign(self.target_for(src), self.mod(name, ("var", src)), new_shape)

    def step_function(self, src, shape):
        g = self.g
        rank = len(shape) + 1
        x = ("var", src)
        options = [(3, "relu"), (1, "leaky_relu"), (1, "sigmoid"), (1, "tanh"), (1, "gelu"), (1, "dropout"),
                   (0.8, "softmax"), (0.3, "flatten"), (0.3, "relu6"), (0.3, "hardswish"), (0.2, "hardsigmoid"),
                   (0.3, "silu"), (0.2, "mish"), (0.2, "elu")]
        if rank == 4:
            options += [(2.5, "max_pool2d"), (1.5, "avg_pool2d"), (0.8, "adaptive_avg_pool2d"), (0.8, "dropout2d"),
                        (0.4, "mean")]
        name = g.pick(*options)
        args, kwargs, new_shape = [x], [], shape
        if name in ("relu", "leaky_relu") and g.chance(0.1):
            # accepted and ignored by the DSL (liveness decides); inplace=True, which PyTorch writes through every
            # alias of the input, is the inplace_alias mutation's
            kwargs.append(("inplace", lit(False)))
        if name == "mean":
            # a global pool over the map, as ShuffleNet's x.mean([2, 3]), kept 4-D or flat
            keep = g.chance(0.5)
            self.assign(self.target_for(src), ("meth", x, "mean", [lit([2, 3])] + ([("lit", "keepdim=True")]
                                                                                  if keep else [])),
                        (shape[0], 1, 1) if keep else (shape[0],))
            return
        if name == "elu" and g.chance(0.5):
            kwargs.append(("alpha", lit(g.rng.choice([0.5, 1.5]))))
        if name == "leaky_relu" and g.chance(0.7):
            slope = g.rng.choice([0.2, 0.1, 0.01, 0.3])
            (kwargs.append(("negative_slope", lit(slope))) if g.chance(0.5) else args.append(lit(slope)))
        elif name == "gelu" and g.chance(0.5):
            kwargs.append(("approximate", lit(g.rng.choice(["tanh", "none"]))))
        elif name in ("dropout", "dropout2d"):
            if g.chance(0.6):
                p = g.rng.choice([0.1, 0.2, 0.5, 0.3])
                (kwargs.append(("p", lit(p))) if g.chance(0.5) else args.append(lit(p)))
            if g.chance(0.4):
                kwargs.append(("training", ("lit", "self.training")))
        elif name in ("softmax", "log_softmax"):
            dim = g.rng.randint(1, rank - 1)
            if g.chance(0.3):
                dim -= rank
            (kwargs.append(("dim", lit(dim))) if g.chance(0.7) else args.append(lit(dim)))
        elif name == "flatten":
            start = g.rng.randint(1, rank - 1)
            end = rank - 1
            if g.chance(0.3) and start < rank - 1:
                end = g.rng.randint(start, rank - 1)
            new_shape = tuple(list(shape[:start - 1]) + [numel(shape[start - 1:end])] + list(shape[end:]))
            if g.chance(0.5) and end == rank - 1:
                self.assign(self.target_for(src), ("meth", x, "flatten", [lit(start)]), new_shape)
                return
            (kwargs.append(("start_dim", lit(start))) if g.chance(0.4) else args.append(lit(start)))
            if end != rank - 1 or g.chance(0.1):
                written = end if g.chance(0.5) else end - rank
                if kwargs:
                    kwargs.append(("end_dim", lit(written)))
                else:
                    args.append(lit(written))
        elif name in ("max_pool2d", "avg_pool2d"):
            made = (gen_maxpool if name == "max_pool2d" else gen_avgpool)(g, shape)
            if made is None:
                return
            _, attrs, new_shape = made
            positional = g.chance(0.5)
            args.append(lit(attrs["kernel"]))
            order = ["stride", "padding", "dilation", "ceil_mode"] if name == "max_pool2d" else \
                ["stride", "padding", "ceil_mode", "count_include_pad"]
            values = {"stride": attrs.get("stride"), "padding": attrs.get("padding"), "dilation": attrs.get("dilation"),
                      "ceil_mode": attrs.get("ceilMode"), "count_include_pad": attrs.get("countIncludePad")}
            last = max([i for i, k in enumerate(order) if values[k] is not None], default=-1)
            for i, k in enumerate(order):
                if positional and i <= last:
                    defaults = {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False,
                                "count_include_pad": True}
                    v = values[k] if values[k] is not None else defaults[k]
                    args.append(("lit", "None") if v is None else lit(v))
                elif values[k] is not None:
                    kwargs.append((k, lit(values[k])))
        elif name == "adaptive_avg_pool2d":
            _, attrs, new_shape = gen_adaptive(g, shape)
            output = lit(attrs["output"])
            (kwargs.append(("output_size", output)) if g.chance(0.3) else args.append(output))
        self.assign(self.target_for(src), self.fn(name, args, kwargs), new_shape)

    def shape_keeping_conv(self, src, shape, out=None):
        c, h, w = shape
        out = out or c
        k = self.g.rng.choice([1, 3, 3, 5])
        attrs = {"in": c, "out": out, "kernel": k}
        if k > 1:
            if self.g.chance(0.3):
                attrs["autoPad"] = "Padding.SAME"
            else:
                attrs["padding"] = k // 2
        if self.g.chance(0.4):
            attrs["bias"] = False
        name = self.g.add_field("conv", "Conv2d", attrs)
        return name

    def step_residual(self, src, shape):
        g = self.g
        c, h, w = shape
        identity = "identity" if "identity" not in self.env else self.fresh("skip")
        self.assign(identity, ("var", src), shape)
        out_c = c if g.chance(0.6) else g.rng.randint(1, 12)
        stride = 1 if g.chance(0.6) or min(h, w) < 2 else 2
        conv = self.shape_keeping_conv(src, shape, out_c)
        field = g.fields[-1]
        new_shape = (out_c, h, w)
        if stride == 2:
            field["attrs"]["stride"] = 2
            field["attrs"].pop("autoPad", None)
            k = field["attrs"]["kernel"]
            field["attrs"]["padding"] = k // 2
            new_shape = (out_c, (h + 2 * (k // 2) - k) // 2 + 1, (w + 2 * (k // 2) - k) // 2 + 1)
        body = g.name("out") if g.chance(0.3) else "out"
        self.assign(body, self.mod(conv, ("var", src)), new_shape)
        if g.chance(0.5):
            bn = g.add_field("bn", "BatchNorm2d", {} if g.chance(0.5) else {"features": out_c})
            self.assign(body, self.mod(bn, ("var", body)), new_shape)
        skip = ("var", identity)
        if new_shape != shape:
            down = g.add_field("down", "Conv2d",
                               {"in": c, "out": out_c, "kernel": 1, **({"stride": 2} if stride == 2 else {})})
            g.fields[-1]["downsample"] = True
            skip = self.mod(down, skip)
        if g.chance(0.5):
            self.stmts.append(("augadd", body, skip))
        else:
            total = ("add", ("var", body), skip) if g.chance(0.7) else ("add", skip, ("var", body))
            self.stmts.append(("assign", body, total))
        self.env[body] = new_shape
        self.order.remove(body) if body in self.order else None
        self.order.append(body)
        self.env.pop(identity)
        self.order.remove(identity)
        if g.chance(0.7):
            self.assign(self.target_for(body), self.fn("relu", [("var", body)]), new_shape)

    def step_branches(self, src, shape):
        g = self.g
        c, h, w = shape
        names, channels = [], 0
        for _ in range(g.rng.randint(2, 3)):
            out_c = g.rng.randint(1, 8)
            conv = self.shape_keeping_conv(src, shape, out_c)
            if g.chance(0.3):
                g.fields[-1]["attrs"]["dilation"] = 2
                k = g.fields[-1]["attrs"]["kernel"]
                if "padding" in g.fields[-1]["attrs"]:
                    g.fields[-1]["attrs"]["padding"] = 2 * (k // 2)
            b = self.fresh("b")
            self.assign(b, self.mod(conv, ("var", src)), (out_c, h, w))
            names.append(b)
            channels += out_c
        dim = 1 if g.chance(0.7) else -3
        kwargs = [("dim", lit(dim))] if g.chance(0.7) else []
        args = [("list", [("var", n) for n in names])] + ([] if kwargs else [lit(dim)])
        self.assign(self.target_for(src), self.fn("cat", args, kwargs), (channels, h, w))
        for n in names:
            self.env.pop(n)
            self.order.remove(n)

    def step_view(self, src, shape):
        g = self.g
        n = numel(shape)
        method = g.rng.choice(["view", "reshape"])
        first = ("meth", ("var", src), "size", [lit(0)]) if g.chance(0.3) else lit(-1)
        if len(shape) == 3 and g.chance(0.3):
            # keep the channels, merge the map: view(-1, C, H*W)
            sizes, new = [first, lit(shape[0]), lit(shape[1] * shape[2])], (shape[0], shape[1] * shape[2])
        elif first[0] == "meth" and g.chance(0.5):
            sizes, new = [first, lit(-1)], (n,)
        else:
            sizes, new = [first, lit(n)], (n,)
        self.assign(self.target_for(src), ("meth", ("var", src), method, sizes), new)

    def step_interpolate(self, src, shape):
        g = self.g
        c, h, w = shape
        mode = g.rng.choice(["nearest", "bilinear"])
        kwargs = []
        if g.chance(0.5):
            size = (g.rng.randint(1, 16), g.rng.randint(1, 16))
            if g.chance(0.3):
                size = (size[0], size[0])
                kwargs.append(("size", lit(size[0])))
            else:
                kwargs.append(("size", lit(size)))
            new = (c, size[0], size[1])
        else:
            s = g.rng.choice([2, 0.5, 1.5, 3, 2.0, 0.75])
            kwargs.append(("scale_factor", lit(s)))
            new = (c, math.floor(h * s), math.floor(w * s))
            if min(new[1:]) < 1:
                return
        if mode != "nearest" or g.chance(0.5):
            kwargs.append(("mode", lit(mode)))
        if mode == "bilinear" and g.chance(0.5):
            kwargs.append(("align_corners", lit(g.chance(0.5))))
        self.assign(self.target_for(src), self.fn("interpolate", [("var", src)], kwargs), new)

    def step_add_same(self, src, shape):
        g = self.g
        others = [v for v in self.order if v != src and self.env[v] == shape]
        if not others:
            # a + activation(a)
            t = self.fresh("a")
            self.assign(t, self.fn("sigmoid", [("var", src)]), shape)
            others = [t]
        other = g.rng.choice(others)
        self.assign(self.target_for(src), ("add", ("var", src), ("var", other)), shape)


def gen_graph(g):
    gg = GraphGen(g)
    two = g.chance(0.2)
    if two:
        main = random_input(g)
        if len(main) == 3:
            second = (g.rng.randint(1, 3), main[1], main[2]) if g.chance(0.7) else (g.rng.randint(1, 16),)
        else:
            second = (g.rng.randint(1, 16),)
        names = g.rng.choice([("image", "mask"), ("x", "y"), ("a", "b")])
        inputs = [[names[0], list(main)], [names[1], list(second)]]
    else:
        inputs = [["x", list(random_input(g))]]
    for name, shape in inputs:
        gg.env[name] = tuple(shape)
        gg.order.append(name)
    steps = g.rng.randint(1, 7)
    for i in range(steps):
        gg.step(steps - i)
    if not any(s[0] in ("assign", "augadd") and s[2][0] == "mod" for s in gg.stmts) and not g.fields:
        # every generated model has a layer (a forward of functions alone compiles too: ModelDeclarationErrorsTest)
        gg.step_module(gg.order[-1], gg.env[gg.order[-1]])
    outputs = [gg.order[-1]]
    if two:
        # use the second input: join it in if the shapes allow, else return it processed as a second output
        a, b = inputs[0][0], inputs[1][0]
        last = gg.order[-1]
        sa, sb = gg.env[last], gg.env.get(b)
        if sb is not None and b != last:
            if len(sa) == 3 and len(sb) == 3 and sa[1:] == sb[1:]:
                gg.assign("joined", gg.fn("cat", [("list", [("var", last), ("var", b)])], [("dim", lit(1))]),
                          (sa[0] + sb[0],) + sa[1:])
                outputs = ["joined"]
            else:
                made = next_layer(g, sb, 2)
                if made is not None:
                    type_, attrs, new = made
                    f = g.add_field(PREFIX[type_], type_, attrs)
                    gg.assign("second", gg.mod(f, ("var", b)), new)
                    outputs = [last, "second"]
    elif g.chance(0.1) and len(gg.order) > 1:
        outputs = [gg.order[-2], gg.order[-1]]
    if g.chance(0.05):
        # a layer forward never calls (UnusedModule warning)
        type_, attrs, _ = gen_activation(g, (1,))
        g.add_field("unused", type_, attrs)
    gg.stmts.append(("return", [("var", o) for o in outputs]))
    for f in g.fields:
        f.pop("shareable", None)
        f.pop("out_shape", None)
    return inputs, gg.stmts


# ------------------------------------------------------------------------------------------------------------ models


def generate(case_id, seed, mutate_p=0.5):
    """One random model (a spec); with probability mutate_p one mutation is applied (mutations.py)."""
    import mutations
    rng = random.Random(seed)
    g = Gen(rng)
    if rng.random() < 0.4:
        shape = random_input(g)
        inputs = [["x", list(shape)]]
        cur = shape
        layers = rng.randint(1, 8)
        for i in range(layers):
            made = next_layer(g, cur, layers - i)
            if made is None:
                continue
            type_, attrs, new = made
            g.add_field(PREFIX[type_], type_, attrs)
            g.fields[-1]["_in"] = cur
            cur = new
            if numel(cur) > 20000:
                break
        if not g.fields:
            type_, attrs, cur = gen_activation(g, cur)
            g.add_field(PREFIX[type_], type_, attrs)
        spec = {"kind": "seq", "inputs": inputs, "fields": g.fields}
    else:
        inputs, stmts = gen_graph(g)
        spec = {"kind": "graph", "inputs": inputs, "fields": g.fields, "stmts": stmts}
    spec["id"] = case_id
    spec["seed"] = seed
    spec["mutation"] = None
    if rng.random() < mutate_p:
        mutations.mutate(spec, rng)
    if rng.random() < 0.08:
        spec["suppress"] = [rng.choice(["ShapeProof/LinearOnFeatureMap", "ShapeProof/SoftmaxOverBatch",
                                        "ShapeProof/Dropout2dNotImage", "ShapeProof/CatOverBatch", "ShapeProof"])]
    return spec
