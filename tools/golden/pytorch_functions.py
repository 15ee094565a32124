#!/usr/bin/env python3
"""Records where PyTorch has each function of the forward DSL, and with which parameters, so that the processor's
table of namespaces (processor/.../op: each FunctionSignature's namespaces) is checked against PyTorch itself.

    /usr/bin/python3 tools/golden/pytorch_functions.py                 # rewrite the record for its current names
    /usr/bin/python3 tools/golden/pytorch_functions.py NAME [NAME ...] # add functions or methods to it

It writes processor/src/test/resources/pytorch-functions.txt, read by PyTorchNamespacesTest (every DSL function's
namespaces and parameters are PyTorch's) and by the differential campaign's generator (tools/campaign/gen.py writes
only spellings PyTorch has, and its `namespace` mutation the others). One line per overload PyTorch has:

    relu F(input, inplace)
    relu torch(input)
    mean torch(input, dim, keepdim, *dtype)
    mean Tensor
    stochastic_depth -

The namespaces are "F" (torch.nn.functional, also written nn.functional or torch.nn.functional), "torch" and
"torch.functional", with the parameters as Python binds them: the names in order, a keyword-only one prefixed with
"*" (F.gelu's approximate); PyTorch's `self` is `input`, as its Python binding names it; out= is left out.
"Tensor" says torch.Tensor has it as a method; "-" that PyTorch has the name nowhere.

The names are those already in the file plus the arguments: the test names any DSL function missing from it.
"""
import inspect
import os
import sys

import torch
import torch._jit_internal as jit_internal
import torch.functional
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "processor", "src", "test", "resources", "pytorch-functions.txt")

NAMESPACES = {"F": F, "torch": torch, "torch.functional": torch.functional}


def python_parameters(function):
    """The parameter lists of a Python function, following boolean_dispatch (F.max_pool2d) to the form the DSL
    supports (without indices)."""
    dispatched = jit_internal.boolean_dispatched.get(function)
    if dispatched is not None:
        function = dispatched["if_false"]
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    names = []
    for p in signature.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            return None  # a wrapper: its schema says more
        names.append(("*" if p.kind == p.KEYWORD_ONLY else "") + p.name)
    return [names]


def schema_parameters(name):
    """The parameter lists of an ATen operator's overloads, as its Python binding accepts them."""
    try:
        schemas = torch._C._jit_get_schemas_for_operator("aten::" + name)
    except RuntimeError:
        return None
    overloads = []
    for schema in schemas:
        first = str(schema.arguments[0].type) if schema.arguments else ""
        if schema.overload_name.endswith("out") or first not in ("Tensor", "List[Tensor]") \
                or any("str" in str(a.type) and a.name.startswith("dim") for a in schema.arguments):
            continue  # out= variants, overloads of numbers and named dims are not what the DSL calls
        names = []
        for a in schema.arguments:
            if a.name == "out":
                continue
            names.append(("*" if a.kwarg_only else "") + ("input" if a.name == "self" else a.name))
        if names not in overloads:
            overloads.append(names)
    return overloads or None


def record(name):
    entry = {}
    for namespace, module in NAMESPACES.items():
        function = getattr(module, name, None)
        if function is None or not callable(function):
            continue
        overloads = python_parameters(function) or schema_parameters(name)
        if overloads is None:
            raise SystemExit("no signature for %s.%s" % (namespace, name))
        entry[namespace] = overloads
    return entry


def read(path):
    """{name: [line, ...]} of a file this script wrote."""
    entries = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, rest = line.rstrip("\n").split(" ", 1)
                entries.setdefault(name, []).append(rest)
    return entries


def main():
    names = set(sys.argv[1:])
    if os.path.exists(OUT):
        names |= set(read(OUT))
    lines = ["# Where PyTorch %s has each function of the forward DSL, and its parameters "
             "(tools/golden/pytorch_functions.py)" % torch.__version__.split("+")[0]]
    for name in sorted(names):
        entry = record(name)
        for namespace, overloads in entry.items():
            for params in overloads:
                lines.append("%s %s(%s)" % (name, namespace, ", ".join(params)))
        if hasattr(torch.Tensor, name):
            lines.append("%s Tensor" % name)
        if not entry and not hasattr(torch.Tensor, name):
            lines.append("%s -" % name)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("%d names in %s" % (len(names), os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
