"""What ShapeProof can express, as the processor itself says it (java/OpCatalog.java reads its op table).

This is the port's one table of supported ops: a layer is supported when the processor has a module of PyTorch's
class name, a function or tensor method when the forward DSL knows its name. An op added to the processor is
therefore portable as soon as the processor is rebuilt; nothing here lists ops by hand. What the DSL itself provides
(Python built-ins, containers, `OrderedDict`) is listed below: it is the language, not an op.
"""
import json
import os

# Python built-ins and names the forward DSL and module expressions evaluate themselves (dsl/Evaluator.java).
BUILTINS = frozenset({"range", "len", "int", "float", "bool", "str", "min", "max", "abs", "sum", "round",
                      "isinstance", "enumerate", "zip", "list", "tuple", "Tensor", "OrderedDict"})
CONTAINERS = ("Sequential", "ModuleList", "ModuleDict")
# How the DSL may name torch.nn.functional and torch: `F.relu`, `torch.relu`, `nn.functional.relu`, ...
FUNCTION_NAMESPACES = ("F", "torch", "nn.functional", "torch.nn.functional", "functional")
# Methods of a module the DSL knows, beside calling it: `for name, layer in self.items()`.
MODULE_METHODS = frozenset({"items", "keys", "values", "forward"})
# Methods of a Python list the DSL knows: `features.append(x)`.
LIST_METHODS = frozenset({"append"})
# Attributes of a tensor the DSL knows.
TENSOR_ATTRIBUTES = frozenset({"shape", "ndim"})


class Catalog:
    """The processor's op table: layers by PyTorch class name, functions, tensor methods, tensor operators."""

    def __init__(self, data):
        self.modules = data["modules"]
        self.functions = data["functions"]
        self.methods = frozenset(data["methods"])
        self.operators = frozenset(data["operators"])
        self.indexing = bool(data.get("indexing"))

    @classmethod
    def load(cls, java):
        """The catalog of the processor in this checkout, cached beside its compiled helpers."""
        cached = os.path.join(java.helpers(), "catalog.json")
        if not os.path.exists(cached):
            data = java.catalog_json()
            with open(cached + ".tmp", "w") as f:
                json.dump(data, f, indent=1)
            os.replace(cached + ".tmp", cached)
        with open(cached) as f:
            return cls(json.load(f))

    def has_layer(self, class_name):
        return class_name in self.modules

    def layer_type(self, class_name):
        """The runtime type of a field holding this layer (`Conv2dLayer`)."""
        return self.modules[class_name]["layer"]

    def layer_params(self, class_name):
        """The layer's constructor parameters as the processor accepts them: name → {kind, default, only_default}."""
        return {p["name"]: p for p in self.modules[class_name]["params"]}

    def has_function(self, name):
        return name in self.functions

    def has_method(self, name):
        return name in self.methods

    def has_operator(self, symbol):
        return symbol in self.operators

    def layer_names(self):
        return sorted(self.modules)
