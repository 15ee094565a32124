#!/usr/bin/env python3
"""Records which functions and tensor methods of the forward DSL PyTorch binds in C++, whose argument parser also
accepts NumPy's names for two parameters: `axis` for `dim` and `keepdims` for `keepdim` (torch.sum(x, axis=1,
keepdims=True)). Functions written in Python (F.softmax, torch.split, Tensor.split) accept PyTorch's names only.

    /usr/bin/python3 tools/golden/pytorch_numpy_names.py

It reads the names of processor/src/test/resources/pytorch-functions.txt (tools/golden/pytorch_functions.py) and
writes processor/src/test/resources/pytorch-numpy-names.txt, read by PyTorchNamespacesTest: one line per spelling
that has a `dim` or `keepdim` parameter, "name namespace yes|no" ("Tensor" for the method), "yes" where PyTorch
accepts axis/keepdims. Before writing, it checks its rule by calling each spelling with axis= and keepdims=.
"""
import inspect
import os

import torch
import torch.functional
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUNCTIONS = os.path.join(ROOT, "processor", "src", "test", "resources", "pytorch-functions.txt")
OUT = os.path.join(ROOT, "processor", "src", "test", "resources", "pytorch-numpy-names.txt")

NAMESPACES = {"F": F, "torch": torch, "torch.functional": torch.functional, "Tensor": torch.Tensor}


def has_dim(name, namespace):
    """Whether the record gives the spelling a dim or keepdim parameter (a method: the torch function's)."""
    key = "torch" if namespace == "Tensor" else namespace
    with open(FUNCTIONS, encoding="utf-8") as f:
        for line in f:
            if line.startswith(name + " " + key + "("):
                params = line[line.index("(") + 1:line.rindex(")")].replace("*", "").split(", ")
                if "dim" in params or "keepdim" in params:
                    return True
    return False


def bound_in_cpp(function):
    return inspect.isbuiltin(function) or type(function).__name__ == "method_descriptor"


def accepts_axis(name, namespace):
    """Calls the spelling with axis= and keepdims= on a small tensor: whether PyTorch takes NumPy's names."""
    x = torch.zeros(2, 4, 3)
    calls = {
        "cat": lambda f: f([x, x], axis=1),
        "stack": lambda f: f([x, x], axis=1),
        "chunk": lambda f: f(x, 2, axis=1),
        "split": lambda f: f(x, 2, axis=1),
        "narrow": lambda f: f(x, axis=1, start=0, length=2),
        "softmax": lambda f: f(x, axis=1),
        "log_softmax": lambda f: f(x, axis=1),
    }
    call = calls.get(name, lambda f: f(x, axis=1, keepdims=True))
    function = getattr(NAMESPACES[namespace], name)
    try:
        call(function)
        return True
    except TypeError:
        return False


def main():
    names = sorted({line.split(" ")[0] for line in open(FUNCTIONS, encoding="utf-8") if not line.startswith("#")})
    lines = ["# Where PyTorch %s accepts axis and keepdims for dim and keepdim (tools/golden/pytorch_numpy_names.py)"
             % torch.__version__.split("+")[0]]
    for name in names:
        for namespace, module in NAMESPACES.items():
            function = getattr(module, name, None)
            if function is None or not callable(function) or not has_dim(name, namespace):
                continue
            numpy = bound_in_cpp(function)
            assert numpy == accepts_axis(name, namespace), (namespace, name)
            lines.append("%s %s %s" % (name, namespace, "yes" if numpy else "no"))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
