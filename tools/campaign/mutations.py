"""One realistic mistake per mutated model: the edits users really make, named so that verdicts and known discrepancies
can refer to them.

Each mutation takes the spec and the random generator, edits the spec in place and returns True, or returns False
when the model has nothing it applies to (then another is tried). `expect` records the ShapeProof error the mutation
usually causes, for the campaign's statistics only: the oracle (PyTorch) decides whether the model is valid.
"""
import math

from gen import numel, pair

# ---------------------------------------------------------------------------------------------------------- helpers


def fields_of(spec, *types):
    return [f for f in spec["fields"] if f["type"] in types]


def exprs(e):
    """Every sub-expression of e, e first."""
    yield e
    kind = e[0]
    if kind == "mod":
        for a in (e[2] if isinstance(e[2], list) else [e[2]]):
            yield from exprs(a)
    elif kind == "fn":
        for a in e[3]:
            yield from exprs(a)
        for _, a in e[4]:
            yield from exprs(a)
    elif kind in ("add",):
        yield from exprs(e[1])
        yield from exprs(e[2])
    elif kind == "neg":
        yield from exprs(e[1])
    elif kind == "meth":
        yield from exprs(e[1])
        for a in e[3]:
            yield from exprs(a)
    elif kind == "list":
        for a in e[1]:
            yield from exprs(a)


def replace(e, old, new):
    """e with the sub-expression `old` (by identity) replaced by `new`."""
    if e is old:
        return new
    kind = e[0]
    if kind == "mod":
        arg = [replace(a, old, new) for a in e[2]] if isinstance(e[2], list) else replace(e[2], old, new)
        return ("mod", e[1], arg, e[3])
    if kind == "fn":
        return ("fn", e[1], e[2], [replace(a, old, new) for a in e[3]], [(k, replace(a, old, new)) for k, a in e[4]])
    if kind == "add":
        return ("add", replace(e[1], old, new), replace(e[2], old, new))
    if kind == "neg":
        return ("neg", replace(e[1], old, new))
    if kind == "meth":
        return ("meth", replace(e[1], old, new), e[2], [replace(a, old, new) for a in e[3]])
    if kind == "list":
        return ("list", [replace(a, old, new) for a in e[1]])
    return e


def stmt_exprs(s):
    return s[2:3] if s[0] in ("assign", "augadd") else s[1]


def all_exprs(spec):
    """(statement index, expression) for every sub-expression of the forward."""
    for i, s in enumerate(spec.get("stmts", [])):
        for top in stmt_exprs(s):
            for e in exprs(top):
                yield i, e


def replace_in_stmt(spec, i, old, new):
    s = spec["stmts"][i]
    if s[0] in ("assign", "augadd"):
        spec["stmts"][i] = (s[0], s[1], replace(s[2], old, new))
    else:
        spec["stmts"][i] = ("return", [replace(v, old, new) for v in s[1]])


def calls(spec, name):
    return [(i, e) for i, e in all_exprs(spec) if e[0] == "fn" and e[1] == name]


def assigned(spec):
    return [s[1] for s in spec.get("stmts", []) if s[0] == "assign"]


def off_by(rng, value):
    candidates = [value + 1, value - 1, value * 2, value + rng.randint(2, 9), max(1, value // 2)]
    candidates = [c for c in candidates if c != value and c > 0]
    return rng.choice(candidates)


def set_kw(call, key, value):
    """A fn expression with keyword `key` set (replacing a positional or keyword one)."""
    _, name, ns, args, kwargs = call
    kwargs = [(k, v) for k, v in kwargs if k != key] + [(key, value)]
    return ("fn", name, ns, args, kwargs)


def lit(text):
    return ("lit", text)


# -------------------------------------------------------------------------------------------------------- mutations


def wrong_in(spec, rng):
    """A channel or feature count copied from the wrong layer: in / features off by some."""
    candidates = [f for f in fields_of(spec, "Conv2d", "Linear", "BatchNorm2d") if "_in" in f]
    if not candidates:
        return False
    f = rng.choice(candidates)
    key = "features" if f["type"] == "BatchNorm2d" else "in"
    actual = f["_in"][0] if f["type"] != "Linear" else f["_in"][-1]
    wrong = off_by(rng, actual)
    if f["type"] == "Conv2d" and f["attrs"].get("groups", 1) > 1 and rng.random() < 0.5:
        wrong = actual + f["attrs"]["groups"]  # still divisible by groups: the channel error, not the groups one
    attrs = dict(f["attrs"])
    attrs[key] = wrong
    f["attrs"] = {key: wrong, **{k: v for k, v in attrs.items() if k != key}}
    spec["expect"] = "FeatureMismatch" if f["type"] == "Linear" else "ChannelMismatch"
    return True


def missing_flatten(spec, rng):
    """The flatten before the classifier forgotten (sequential) or its view/flatten call dropped (graph)."""
    if spec["kind"] == "seq":
        fs = spec["fields"]
        for i, f in enumerate(fs):
            if f["type"] == "Flatten" and i + 1 < len(fs) and fs[i + 1]["type"] == "Linear" and "_in" in f \
                    and len(f["_in"]) == 3:
                linear = fs[i + 1]
                linear["attrs"] = {"in": numel(f["_in"]), **{k: v for k, v in linear["attrs"].items() if k != "in"}}
                del fs[i]
                spec["expect"] = "MissingFlatten"
                return True
        return False
    views = [(i, e) for i, e in all_exprs(spec) if e[0] == "meth" and e[2] in ("view", "reshape", "flatten")]
    views += calls(spec, "flatten")
    # A flatten whose result feeds two layers breaks both, two errors in ShapeProof (each branch is checked) where
    # PyTorch stops at the first: only flattens with one reader are dropped, as one mistake is one error.
    views = [(i, e) for i, e in views if spec["stmts"][i][0] == "assign" and readers(spec, i) == 1]
    if not views:
        return False
    i, e = rng.choice(views)
    replace_in_stmt(spec, i, e, e[1] if e[0] == "meth" else e[3][0])
    spec["expect"] = "MissingFlatten|FeatureMismatch|RankMismatch"
    return True


def readers(spec, index):
    """How many reads the value statement `index` assigns reaches, following a chain of single readers (a flatten
    dropped before `x = relu(x)` breaks every layer that reads the relu): 1 when it flows into one place only."""
    stmts = spec["stmts"]
    while True:
        name = stmts[index][1]
        users = []
        for k in range(index + 1, len(stmts)):
            s = stmts[k]
            for top in stmt_exprs(s):
                users += [k] * sum(1 for e in exprs(top) if e == ("var", name))
            if s[0] in ("assign", "augadd") and s[1] == name:
                break
        if len(users) != 1 or stmts[users[0]][0] != "assign":
            return len(users)
        index = users[0]


def kernel_too_large(spec, rng):
    """A kernel sized for a bigger input."""
    candidates = [f for f in fields_of(spec, "Conv2d", "MaxPool2d", "AvgPool2d") if "_in" in f]
    if not candidates:
        return False
    f = rng.choice(candidates)
    h, w = f["_in"][1], f["_in"][2]
    k = max(h, w) + rng.randint(1, 4) + 2 * max(pair(f["attrs"].get("padding", 0)))
    f["attrs"]["kernel"] = k if rng.random() < 0.8 else [k, 1]
    if f["type"] != "Conv2d":
        f["attrs"].pop("padding", None)
    spec["expect"] = "KernelTooLarge"
    return True


def dilation_too_large(spec, rng):
    candidates = [f for f in fields_of(spec, "Conv2d", "MaxPool2d") if "_in" in f and f["attrs"]["kernel"] != 1]
    if not candidates:
        return False
    f = rng.choice(candidates)
    h = f["_in"][1]
    f["attrs"]["dilation"] = rng.choice([h, h + 1, 2 * h + 1, max(2, h // 2)])
    spec["expect"] = "KernelTooLarge"
    return True


def overflow(spec, rng):
    """Values beyond int arithmetic: the bug reports' dilation 1073741825, padding 2147483647, scale 1e9 (1e10 too: an
    output size beyond an int whatever the map, where a smaller scale merely exhausts PyTorch's memory)."""
    convs = fields_of(spec, "Conv2d")
    pools = fields_of(spec, "MaxPool2d")
    interps = calls(spec, "interpolate")
    options = []
    if convs:
        options += ["conv_dilation", "conv_padding"]
    if pools:
        options.append("pool_dilation")
    if interps:
        options.append("scale")
    if not options:
        return False
    choice = rng.choice(options)
    if choice == "conv_dilation":
        f = rng.choice(convs)
        f["attrs"]["kernel"] = 5
        f["attrs"]["dilation"] = 1073741825
        f["attrs"].pop("autoPad", None)
    elif choice == "conv_padding":
        f = rng.choice(convs)
        f["attrs"]["padding"] = 2147483647
        f["attrs"].pop("autoPad", None)
    elif choice == "pool_dilation":
        f = rng.choice(pools)
        f["attrs"].update({"kernel": 3, "padding": 1, "dilation": 1100000000})
    else:
        i, e = rng.choice(interps)
        call = ("fn", e[1], e[2], e[3][:1], [(k, v) for k, v in e[4] if k not in ("size", "scale_factor")])
        replace_in_stmt(spec, i, e, set_kw(call, "scale_factor", lit(str(rng.choice([1000000000, 10000000000])))))
    spec["expect"] = "SizeOverflow|KernelTooLarge"
    return True


def pool_padding(spec, rng):
    pools = fields_of(spec, "MaxPool2d", "AvgPool2d")
    if not pools:
        return False
    f = rng.choice(pools)
    k = min(pair(f["attrs"]["kernel"]))
    f["attrs"]["padding"] = k // 2 + rng.randint(1, 2)
    spec["expect"] = "PoolPaddingTooLarge"
    return True


def bad_attribute(spec, rng):
    """stride = 0, kernel = 0, padding = -1, p = 1.5, momentum = 2: values no layer accepts."""
    options = []
    for f in spec["fields"]:
        t = f["type"]
        if t in ("Conv2d", "MaxPool2d", "AvgPool2d"):
            options += [(f, "stride", 0), (f, "kernel", 0), (f, "padding", -1)]
        if t in ("Dropout", "Dropout2d"):
            options.append((f, "p", 1.5))
        if t == "Linear" or t == "Conv2d":
            options.append((f, "out", 0))
        if t == "AdaptiveAvgPool2d":
            options.append((f, "output", 0))
        if t == "GELU":
            options.append((f, "approximate", "fast"))
        if t == "BatchNorm2d":
            # PyTorch checks neither; the README rejects them on purpose
            options += [(f, "eps", 0.0), (f, "momentum", 1.5)]
    if not options:
        return False
    f, key, value = rng.choice(options)
    f["attrs"][key] = value
    spec["mutated_field"] = f["name"]
    spec["expect"] = "NotPositive|NegativePadding|ProbabilityOutOfRange|InvalidChoice"
    return True


def groups_mismatch(spec, rng):
    convs = [f for f in fields_of(spec, "Conv2d") if "_in" in f]
    if not convs:
        return False
    f = rng.choice(convs)
    c = f["_in"][0]
    bad = [g for g in range(2, 9) if c % g != 0 or f["attrs"]["out"] % g != 0]
    if not bad:
        return False
    f["attrs"]["groups"] = rng.choice(bad)
    spec["expect"] = "GroupsMismatch"
    return True


def same_stride(spec, rng):
    convs = fields_of(spec, "Conv2d")
    if not convs:
        return False
    f = rng.choice(convs)
    f["attrs"].pop("padding", None)
    f["attrs"]["autoPad"] = "Padding.SAME"
    f["attrs"]["stride"] = 2
    spec["expect"] = "SamePaddingStride"
    return True


def bad_dim(spec, rng):
    """A dim for another rank: softmax over dim 2 of a flat tensor, flatten from dim 4, cat along dim 4."""
    options = [(f, "dim") for f in fields_of(spec, "Softmax", "LogSoftmax")]
    options += [(f, "startDim") for f in fields_of(spec, "Flatten")]
    fn_calls = calls(spec, "softmax") + calls(spec, "log_softmax") + calls(spec, "cat")
    if not options and not fn_calls:
        return False
    if fn_calls and (not options or rng.random() < 0.5):
        i, e = rng.choice(fn_calls)
        dim = rng.choice([4, 5, -5, 2, 3])
        new = set_kw(("fn", e[1], e[2], e[3][:1], e[4]), "dim", lit(str(dim)))
        replace_in_stmt(spec, i, e, new)
    else:
        f, key = rng.choice(options)
        f["attrs"][key] = rng.choice([4, 5, -5, 2, 3])
    spec["expect"] = "DimOutOfRange"
    return True


def swap_layers(spec, rng):
    fs = spec["fields"]
    if spec["kind"] != "seq" or len(fs) < 2:
        return False
    i = rng.randrange(len(fs) - 1)
    fs[i], fs[i + 1] = fs[i + 1], fs[i]
    spec["expect"] = "RankMismatch|ChannelMismatch|FeatureMismatch"
    return True


def drop_layer(spec, rng):
    fs = spec["fields"]
    if spec["kind"] != "seq" or len(fs) < 2:
        return False
    del fs[rng.randrange(len(fs))]
    spec["expect"] = "FeatureMismatch|ChannelMismatch"
    return True


def linear_on_map(spec, rng):
    """Linear applied to a 4-D map whose width happens to equal in: PyTorch runs it (the lint)."""
    maps = [(i, f) for i, f in enumerate(spec["fields"]) if "_in" in f and len(f["_in"]) == 3]
    if spec["kind"] != "seq" or not maps:
        return False
    i, f = rng.choice(maps)
    w = f["_in"][2]
    attrs = {"in": w, "out": rng.randint(1, 8)} if rng.random() < 0.7 else {"out": rng.randint(1, 8)}
    spec["fields"].insert(i, {"name": "fc_map", "type": "Linear", "attrs": attrs})
    spec["expect"] = "lint:LinearOnFeatureMap"
    return True


def dropout2d_flat(spec, rng):
    """Dropout2d after the flatten: PyTorch 1.13 warns and runs it (the lint)."""
    fs = spec["fields"]
    if spec["kind"] == "seq":
        flats = [i for i, f in enumerate(fs) if f["type"] in ("Flatten", "Linear")]
        if not flats:
            return False
        i = rng.choice(flats)
        fs.insert(i + 1, {"name": "drop_flat", "type": "Dropout2d", "attrs": {"p": 0.2}})
    else:
        flats = [(i, e) for i, e in all_exprs(spec) if e[0] == "meth" and e[2] in ("view", "reshape", "flatten")]
        if not flats:
            return False
        i, e = rng.choice(flats)
        replace_in_stmt(spec, i, e, ("fn", "dropout2d", "F", [e], [("training", lit("self.training"))]))
    spec["expect"] = "lint:Dropout2dNotImage"
    return True


def softmax_batch(spec, rng):
    options = [f for f in fields_of(spec, "Softmax", "LogSoftmax")]
    fn_calls = calls(spec, "softmax") + calls(spec, "log_softmax")
    if not options and not fn_calls:
        return False
    if fn_calls and (not options or rng.random() < 0.5):
        i, e = rng.choice(fn_calls)
        replace_in_stmt(spec, i, e, set_kw(("fn", e[1], e[2], e[3][:1], e[4]), "dim", lit("0")))
    else:
        rng.choice(options)["attrs"]["dim"] = 0
    spec["expect"] = "lint:SoftmaxOverBatch"
    return True


# ------------------------------------------------------------------------------------------------- graph mutations


def view_size(spec, rng):
    views = [(i, e) for i, e in all_exprs(spec) if e[0] == "meth" and e[2] in ("view", "reshape")
             and e[3][-1][0] == "lit" and e[3][-1][1].lstrip("-").isdigit() and int(e[3][-1][1]) > 0]
    if not views:
        return False
    i, e = rng.choice(views)
    n = int(e[3][-1][1])
    options = [n + 1, n - 1, 2 * n, n + 10]
    if n % 2 == 0:
        options.append(n // 2)
    wrong = rng.choice([o for o in options if o > 0 and o != n] or [n + 1])
    replace_in_stmt(spec, i, e, ("meth", e[1], e[2], e[3][:-1] + [lit(str(wrong))]))
    spec["expect"] = "ViewMismatch"
    return True


def view_batch(spec, rng):
    views = [(i, e) for i, e in all_exprs(spec) if e[0] == "meth" and e[2] in ("view", "reshape")]
    if not views:
        return False
    i, e = rng.choice(views)
    replace_in_stmt(spec, i, e, ("meth", e[1], e[2], [lit(rng.choice(["2", "1", "4"]))] + e[3][1:]))
    spec["expect"] = "ViewMismatch"
    return True


def drop_downsample(spec, rng):
    """The residual block's skip connection without its downsample."""
    downs = {f["name"] for f in spec["fields"] if f.get("downsample")}
    found = [(i, e) for i, e in all_exprs(spec) if e[0] == "mod" and e[1] in downs]
    if not found:
        return False
    i, e = rng.choice(found)
    replace_in_stmt(spec, i, e, e[2])
    spec["fields"] = [f for f in spec["fields"] if f["name"] != e[1]]
    spec["expect"] = "AddMismatch"
    return True


def add_mismatch(spec, rng):
    """a + b of two values of different shapes."""
    adds = [(i, e) for i, e in all_exprs(spec) if e[0] == "add"]
    names = assigned(spec) + [n for n, _ in spec["inputs"]]
    if not adds:
        return False
    i, e = rng.choice(adds)
    stmt_index = i
    earlier = [s[1] for s in spec["stmts"][:stmt_index] if s[0] == "assign"] + [n for n, _ in spec["inputs"]]
    if not earlier:
        return False
    replace_in_stmt(spec, i, e, ("add", e[1], ("var", rng.choice(earlier))))
    spec["expect"] = "AddMismatch"
    return True


def cat_mismatch(spec, rng):
    """One branch of a cat strided: the maps no longer agree."""
    cats = calls(spec, "cat")
    if not cats:
        return False
    i, e = rng.choice(cats)
    items = e[3][0][1] if e[3] and e[3][0][0] == "list" else None
    if not items:
        return False
    branch = rng.choice(items)
    producers = [s for s in spec["stmts"] if s[0] == "assign" and s[1] == branch[1] and s[2][0] == "mod"]
    fields = [f for s in producers for f in spec["fields"] if f["name"] == s[2][1] and f["type"] == "Conv2d"]
    if not fields:
        return False
    field = fields[0]
    field["attrs"].pop("autoPad", None)
    field["attrs"]["stride"] = 2
    spec["expect"] = "CatMismatch"
    return True


def cat_no_dim(spec, rng):
    """cat([a, b]) without dim: the batch axis."""
    # as in missing_flatten: a cat read once, so that the one mistake breaks one layer
    cats = [(i, e) for i, e in calls(spec, "cat") if spec["stmts"][i][0] != "assign" or readers(spec, i) <= 1]
    if not cats:
        return False
    i, e = rng.choice(cats)
    tensors = e[3][0]
    if rng.random() < 0.5 and tensors[0] == "list":
        # stacking one branch twice: shapes agree, PyTorch joins the batches (the lint)
        tensors = ("list", [tensors[1][0]] * len(tensors[1]))
    replace_in_stmt(spec, i, e, ("fn", e[1], e[2], [tensors], [(k, v) for k, v in e[4] if k != "dim"]))
    spec["expect"] = "lint:CatOverBatch|CatMismatch"
    return True


def flatten_batch(spec, rng):
    """torch.flatten(x) without start_dim: PyTorch flattens the batch too."""
    views = [(i, e) for i, e in all_exprs(spec) if e[0] == "meth" and e[2] in ("view", "reshape", "flatten")]
    views += calls(spec, "flatten")
    if not views:
        return False
    i, e = rng.choice(views)
    target = e[1] if e[0] == "meth" else e[3][0]
    new = rng.choice([("fn", "flatten", "torch", [target], []), ("meth", target, "flatten", []),
                      ("fn", "flatten", "", [target, lit("0")], [])])
    replace_in_stmt(spec, i, e, new)
    spec["expect"] = "InvalidFlattenDims"
    return True


def typo(spec, rng):
    """A misspelt function, layer or variable name."""
    fns = [(i, e) for i, e in all_exprs(spec) if e[0] == "fn"]
    mods = [(i, e) for i, e in all_exprs(spec) if e[0] == "mod"]
    options = []
    if fns:
        options.append("fn")
    if mods:
        options.append("mod")
    if not options:
        return False
    if rng.choice(options) == "fn":
        i, e = rng.choice(fns)
        name = e[1]
        # misspellings that are no PyTorch function either (F.leaky_relu_, torch.concat and torch.concatenate exist)
        wrong = {"relu": "rlu", "max_pool2d": "maxpool2d", "avg_pool2d": "avg_pool", "softmax": "soft_max",
                 "cat": "catt", "flatten": "flaten", "interpolate": "interpolat", "leaky_relu": "leakyrelu",
                 "sigmoid": "sigmod", "tanh": "tahn", "gelu": "gleu", "dropout": "drop_out", "dropout2d": "dropout_2d",
                 "adaptive_avg_pool2d": "adaptive_avgpool2d", "log_softmax": "logsoftmax", "relu6": "relu_6",
                 "hardswish": "hard_swish", "hardsigmoid": "hard_sigmoid", "silu": "sillu", "mish": "mesh",
                 "elu": "eelu"}[name]
        replace_in_stmt(spec, i, e, ("fn", wrong, e[2], e[3], e[4]))
        spec["expect"] = "UnknownName"
    else:
        i, e = rng.choice(mods)
        replace_in_stmt(spec, i, e, ("mod", e[1] + "_", e[2], e[3]))
        spec["expect"] = "UnknownName"
    return True


def undefined_variable(spec, rng):
    uses = [(i, e) for i, e in all_exprs(spec) if e[0] == "var"]
    if not uses:
        return False
    i, e = rng.choice(uses)
    replace_in_stmt(spec, i, e, ("var", rng.choice(["features", "inp", e[1] + "s", "h0"])))
    spec["expect"] = "UndefinedVariable"
    return True


def unary_minus(spec, rng):
    """x = -x: PyTorch negates; the DSL grammar has unary minus but not on tensors (the DSL owner's bug)."""
    stmts = [i for i, s in enumerate(spec["stmts"]) if s[0] == "assign"]
    if not stmts:
        return False
    i = rng.choice(stmts)
    s = spec["stmts"][i]
    spec["stmts"][i] = ("assign", s[1], ("neg", s[2]))
    spec["expect"] = "valid"
    return True


def augadd_broadcast(spec, rng):
    """s += x where x is larger than s: PyTorch cannot write the broadcast result into s in place."""
    maps = [s for s in spec["stmts"] if s[0] == "assign"]
    if not maps:
        return False
    s = rng.choice(maps)
    pos = spec["stmts"].index(s)
    squeezed = s[1] + "_gap"
    pooled = ("fn", "adaptive_avg_pool2d", "F", [("var", s[1]), lit("1")], [])
    spec["stmts"].insert(pos + 1, ("assign", squeezed, pooled))
    spec["stmts"].insert(pos + 2, ("augadd", squeezed, ("var", s[1])))
    spec["stmts"].insert(pos + 3, ("assign", s[1], ("var", squeezed)))
    spec["expect"] = "AddMismatch(in-place)"
    return True


def augadd_alias(spec, rng):
    """y = x; x += z: in PyTorch y sees the in-place add too (both names are one tensor)."""
    assigns = [i for i, s in enumerate(spec["stmts"]) if s[0] == "assign"]
    if not assigns:
        return False
    i = rng.choice(assigns)
    target = spec["stmts"][i][1]
    spec["stmts"][i + 1:i + 1] = [("assign", "saved", ("var", target)),
                                  ("augadd", target, ("fn", "sigmoid", "torch", [("var", target)], [])),
                                  ("assign", target, ("add", ("var", target), ("var", "saved")))]
    spec["expect"] = "valid(aliasing)"
    return True


def inplace_alias(spec, rng):
    """relu(t, inplace=True) with t read afterwards: in PyTorch t is relu'd too (both names are one tensor)."""
    assigns = [i for i, s in enumerate(spec["stmts"]) if s[0] == "assign" and s[2][0] != "var"]
    if not assigns:
        return False
    i = rng.choice(assigns)
    t = spec["stmts"][i][1]
    spec["stmts"][i + 1:i + 1] = [
        ("assign", "activated",
         ("fn", rng.choice(["relu", "leaky_relu"]), "F", [("var", t)], [("inplace", lit("True"))])),
        ("assign", t, ("add", ("var", t), ("var", "activated")))]
    spec["expect"] = "valid(aliasing)"
    return True


def namespace(spec, rng):
    """F.flatten, torch.interpolate: a function under a namespace where PyTorch has no such function."""
    import gen
    options = [(i, e) for i, e in all_exprs(spec) if e[0] == "fn" and e[1] in gen.MISSING_NAMESPACES]
    if not options:
        return False
    i, e = rng.choice(options)
    replace_in_stmt(spec, i, e, ("fn", e[1], gen.MISSING_NAMESPACES[e[1]], e[3], e[4]))
    spec["expect"] = "UnknownName"
    return True


def module_arity(spec, rng):
    mods = [(i, e) for i, e in all_exprs(spec) if e[0] == "mod"]
    if not mods:
        return False
    i, e = rng.choice(mods)
    replace_in_stmt(spec, i, e, ("mod", e[1], [e[2], e[2]], e[3]))
    spec["expect"] = "WrongArguments"
    return True


def keyword_typo(spec, rng):
    options = [(i, e) for i, e in all_exprs(spec) if e[0] == "fn" and e[4]]
    if not options:
        return False
    i, e = rng.choice(options)
    k, v = rng.choice(e[4])
    wrong = {"dim": "axis", "kernel_size": "kernel", "p": "prob", "scale_factor": "scale", "size": "output_size",
             "start_dim": "start", "negative_slope": "slope", "mode": "method"}.get(k, k + "s")
    replace_in_stmt(spec, i, e, ("fn", e[1], e[2], e[3], [(wrong if kk == k else kk, vv) for kk, vv in e[4]]))
    spec["expect"] = "WrongArguments"
    return True


def missing_return(spec, rng):
    if spec["kind"] != "graph":
        return False
    last = spec["stmts"].pop()
    value = last[1][0]
    spec["stmts"].append(("assign", "result", value))
    spec["expect"] = "MissingReturn"
    return True


def interpolate_arguments(spec, rng):
    interps = calls(spec, "interpolate")
    if not interps:
        return False
    i, e = rng.choice(interps)
    choice = rng.choice(["both", "neither", "align_nearest"])
    kwargs = [(k, v) for k, v in e[4] if k not in ("mode", "align_corners")]
    if choice == "both":
        kwargs = [(k, v) for k, v in kwargs if k not in ("size", "scale_factor")] + [("size", lit("(4, 4)")),
                                                                                    ("scale_factor", lit("2"))]
    elif choice == "neither":
        kwargs = [(k, v) for k, v in kwargs if k not in ("size", "scale_factor")]
    else:
        kwargs += [("mode", lit("'nearest'")), ("align_corners", lit("True"))]
    replace_in_stmt(spec, i, e, ("fn", e[1], e[2], e[3][:1], kwargs))
    spec["expect"] = "WrongArguments|ConflictingAttributes"
    return True


def unknown_annotation(spec, rng):
    """@Conv2D for @Conv2d: javac cannot find the annotation."""
    if not spec["fields"]:
        return False
    f = rng.choice(spec["fields"])
    f["annotation"] = {"Conv2d": "Conv2D", "BatchNorm2d": "BatchNorm", "MaxPool2d": "MaxPool", "Linear": "Dense",
                       "ReLU": "Relu", "Flatten": "Flat"}.get(f["type"], f["type"] + "Layer")
    spec["expect"] = "javac"
    return True


# name -> (function, weight, models it applies to)
MUTATIONS = {
    "wrong_in": (wrong_in, 5, "both"), "missing_flatten": (missing_flatten, 3, "both"),
    "kernel_too_large": (kernel_too_large, 3, "both"), "dilation_too_large": (dilation_too_large, 1.5, "both"),
    "overflow": (overflow, 0.7, "both"), "pool_padding": (pool_padding, 1, "both"),
    "bad_attribute": (bad_attribute, 1.2, "both"), "groups_mismatch": (groups_mismatch, 1, "both"),
    "same_stride": (same_stride, 0.6, "both"), "bad_dim": (bad_dim, 1.5, "both"),
    "swap_layers": (swap_layers, 2, "seq"), "drop_layer": (drop_layer, 2, "seq"),
    "linear_on_map": (linear_on_map, 1, "seq"), "dropout2d_flat": (dropout2d_flat, 1, "both"),
    "softmax_batch": (softmax_batch, 1, "both"),
    "view_size": (view_size, 3, "graph"), "view_batch": (view_batch, 1, "graph"),
    "drop_downsample": (drop_downsample, 2, "graph"), "add_mismatch": (add_mismatch, 2, "graph"),
    "cat_mismatch": (cat_mismatch, 2, "graph"), "cat_no_dim": (cat_no_dim, 1.5, "graph"),
    "flatten_batch": (flatten_batch, 1, "graph"), "typo": (typo, 1.5, "graph"),
    "undefined_variable": (undefined_variable, 1, "graph"), "unary_minus": (unary_minus, 0.7, "graph"),
    "augadd_broadcast": (augadd_broadcast, 0.5, "graph"), "augadd_alias": (augadd_alias, 0.5, "graph"),
    "inplace_alias": (inplace_alias, 0.4, "graph"),
    "namespace": (namespace, 0.7, "graph"), "module_arity": (module_arity, 0.7, "graph"),
    "keyword_typo": (keyword_typo, 0.7, "graph"), "missing_return": (missing_return, 0.4, "graph"),
    "interpolate_arguments": (interpolate_arguments, 0.7, "graph"),
    "unknown_annotation": (unknown_annotation, 0.3, "both"),
}


def mutate(spec, rng):
    """Applies one applicable mutation, chosen by weight; leaves the spec valid-as-generated if none applies."""
    names = [n for n, (_, _, kinds) in MUTATIONS.items() if kinds in ("both", spec["kind"])]
    for _ in range(20):
        total = sum(MUTATIONS[n][1] for n in names)
        r = rng.random() * total
        for n in names:
            r -= MUTATIONS[n][1]
            if r < 0:
                break
        if MUTATIONS[n][0](spec, rng):
            spec["mutation"] = n
            return n
    return None
