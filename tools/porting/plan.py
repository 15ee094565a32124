"""The port of one model: every module classified, one Java class per PyTorch module class, every field's @Init
expression, every forward text, and every problem that stops the port.

Modules are layers (a PyTorch class the processor's op table has: nn.Conv2d), containers (nn.Sequential, ModuleList,
ModuleDict), blocks (any other module class: one Java @Block class each) or unsupported (a torch.nn layer the
processor does not have). The model itself is written with its own modules, as a person writes `resnet18()`:
`@Init("nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)")`. A block class is written once, its
fields as expressions of its constructor's arguments (symbolic.py). Where a class's `__init__` cannot be followed, it
is written with this model's modules instead (one Java class per distinct configuration), and the report says why.

Every expression is checked against every module it stands for (structure.py) before any Java is written.
"""
import ast
import copy
import dataclasses
import functools
import inspect
import os
import re

from torch import nn

from . import forward as forward_translation
from . import pyexpr
from . import structure
from . import symbolic

LAYER, BLOCK, CONTAINER, UNSUPPORTED = "layer", "block", "container", "unsupported"
PARAMETER_TYPE = "Parameter"  # the runtime type of a learned tensor of a block or model
CONTAINER_CLASSES = {nn.Sequential: "Sequential", nn.ModuleList: "ModuleList", nn.ModuleDict: "ModuleDict"}
# Names a generated file imports or java.lang has: a Java class of the port must not take them.
RESERVED_JAVA_NAMES = {"Block", "Init", "Model", "NnModule", "Sequential", "ModuleList", "ModuleDict", "Object",
                       "String", "Module", "Record", "Math", "Override", "Integer", "Double", "Boolean", "Class",
                       "System", "Thread", "Runtime", "Void", "Number", "Enum", "Iterable", "Character", "Long",
                       "Float", "Short", "Byte", "Process", "Package", "Compiler", "Error", "Exception"}
# Numbers, strings and lists vary meaningfully between a block's uses; other arguments that never vary in this model
# (norm_layer, memory_efficient, a None downsample) are written in as their value.
SYMBOLIC_TYPES = (int, float, str, list, tuple, dict)


@dataclasses.dataclass
class Problem:
    """Something ShapeProof cannot express, where the PyTorch source uses it."""
    kind: str                   # layer, function, method, operator, statement, construct, parameter
    what: str                   # nn.PixelShuffle, torch.cumsum, a while loop
    reason: str
    where: str                  # the module or class
    file: str = None
    line: int = None
    code: str = None

    def location(self):
        """file:line, the file relative to the current directory where it is below it."""
        if not (self.file and self.line):
            return "(source unknown)"
        relative = os.path.relpath(self.file)
        return "%s:%d" % (self.file if relative.startswith("..") else relative, self.line)


@dataclasses.dataclass
class JavaParam:
    name: str
    annotation: str = None      # as written in PyTorch (simplified where the DSL cannot read it)
    default_source: str = None  # as written in PyTorch
    default: object = None
    has_default: bool = False


@dataclasses.dataclass
class Field:
    name: str
    node: ast.AST               # the @Init expression
    java_type: str
    file: str = None
    line: int = None


@dataclasses.dataclass
class JavaClass:
    java_name: str
    pytorch_class: type
    kind: str                   # "model" or "block"
    base: str                   # NnModule, Sequential, ModuleList, ModuleDict (blocks)
    instances: list
    mode: str = "generic"       # "generic": fields of the arguments; "concrete": this model's modules
    params: list = dataclasses.field(default_factory=list)
    dropped: dict = dataclasses.field(default_factory=dict)   # arguments the same in every use: name → value
    unused: list = dataclasses.field(default_factory=list)    # arguments no module or forward needs
    fields: list = dataclasses.field(default_factory=list)
    children: ast.AST = None
    init: list = dataclasses.field(default_factory=list)       # [(name, ast)]: locals of the init text, in order
    constants: dict = dataclasses.field(default_factory=dict)
    forward: object = None      # forward.ForwardText, or None where the base class's runs
    notes: list = dataclasses.field(default_factory=list)
    concrete_reason: str = None

    @property
    def pytorch_name(self):
        return self.pytorch_class.__name__

    @property
    def qualified_name(self):
        return self.pytorch_class.__module__ + "." + self.pytorch_class.__qualname__


class Plan:
    def __init__(self, loaded, catalog, model_name=None, reference=None):
        self.loaded = loaded
        self.catalog = catalog
        # id(module) → the arguments and the result of its first call in the reference run, for the forwards
        self.inputs = reference.module_inputs if reference is not None else {}
        self.outputs = reference.module_outputs if reference is not None else {}
        self.model_name = model_name
        self.problems = []
        self.notes = []
        self._kinds = {}
        self._order = []              # block classes, each after the classes of its modules
        self._instances = {}          # class → [module]
        self._generic = {}            # class → JavaClass, when written from __init__
        self._variants = {}           # class → [JavaClass], when written with this model's modules
        self._of_instance = {}        # id(module) → JavaClass
        self._names = {}
        self.describer = structure.Describer(self)
        self.root = None

    # ------------------------------------------------------------------------------------------------- building

    def build(self):
        root = self.loaded.module
        self._walk(root, "", is_root=True)
        self._order = self._dependency_order()
        self._name_classes(root)
        for cls in self._order:
            self._plan_class(cls)
        self.root = self._plan_root(root)
        return self

    def _walk(self, module, path, is_root=False):
        if not is_root and self.kind_of(module) == LAYER:
            return  # nn.MultiheadAttention's out_proj is the layer's own
        for name, child in module.named_children():
            if child is None:
                continue
            child_path = path + "." + name if path else name
            self._walk(child, child_path)
        kind = self.kind_of(module)
        if is_root:
            return
        if kind == UNSUPPORTED:
            self._unsupported_layer(module, path)
        elif kind == BLOCK:
            cls = type(module)
            if cls not in self._instances:
                self._instances[cls] = []
                self._order.append(cls)
            self._instances[cls].append(module)

    def _dependency_order(self):
        """The block classes, each after the classes of every block inside any of its instances (in the order they
        first appear otherwise), so a class is planned after those its fields construct."""
        inside = {cls: set() for cls in self._order}
        for cls, instances in self._instances.items():
            for instance in instances:
                for module in instance.modules():
                    if module is not instance and type(module) in inside and type(module) is not cls:
                        inside[cls].add(type(module))
        ordered, placed = [], set()

        def place(cls, visiting):
            if cls in placed or cls in visiting:
                return
            visiting.add(cls)
            for dependency in sorted(inside[cls], key=self._order.index):
                place(dependency, visiting)
            placed.add(cls)
            ordered.append(cls)

        for cls in self._order:
            place(cls, set())
        return ordered

    def kind_of(self, module):
        cls = type(module)
        kind = self._kinds.get(cls)
        if kind is None:
            if cls in CONTAINER_CLASSES:
                kind = CONTAINER
            elif _is_library_class(cls) and self.catalog.has_layer(cls.__name__):
                kind = LAYER
            elif _is_torch_class(cls):
                kind = UNSUPPORTED
            else:
                kind = BLOCK  # the model's own classes, and torchvision's (Conv2dNormActivation) where not a layer
            self._kinds[cls] = kind
        return kind

    def _unsupported_layer(self, module, path):
        construction = self.loaded.construction(module)
        self.problems.append(Problem(
            "layer", _library_name(type(module)), "ShapeProof has no %s layer" % type(module).__name__, path,
            construction.file if construction else None, construction.line if construction else None,
            _code_line(construction)))

    def _name_classes(self, root):
        taken = set(RESERVED_JAVA_NAMES)
        root_name = self.model_name or _java_identifier(type(root).__name__)
        taken |= {root_name, root_name + "Model"}
        for cls in self._order:
            name = _java_identifier(cls.__name__)
            base, number = name, 2
            while name in taken or name in self.catalog.layer_names() or name + "Layer" in taken:
                name = "%s%d" % (base, number)
                number += 1
            taken.add(name)
            self._names[cls] = name
        self._names[type(root)] = self._names.get(type(root), root_name)
        self.model_name = root_name

    # --------------------------------------------------------------------------------------------- the classes

    def _plan_class(self, cls):
        instances = self._instances[cls]
        own = _own_buffers(instances[0])
        if own:
            construction = self.loaded.construction(instances[0])
            self.problems.append(Problem(
                "parameter", "%s.%s" % (cls.__name__, own[0]), "a buffer of the module's own (%s); "
                "ShapeProof's blocks hold layers and parameters" % ", ".join(own), self._path_of(instances[0]),
                _source_file(cls), _source_line(cls), None))
        reason = None
        if any(self.loaded.construction(m) is None for m in instances):
            reason = "its constructor's arguments are not known (the model was unpickled)"
        else:
            try:
                java = self._generic_class(cls, instances)
                self._generic[cls] = java
                for module in instances:
                    self._of_instance[id(module)] = java
                return
            except symbolic.TranslationError as e:
                reason = str(e) + (" (%s:%d: %s)" % (e.file, e.line, e.code) if e.line else "")
            except Mismatch as e:
                reason = str(e)
        self._concrete_classes(cls, instances, reason)

    def _generic_class(self, cls, instances):
        """The class written from its __init__: params, fields of them, and the forward."""
        function = _init_function(cls)
        if function is None or _is_torch_class(_defining_class(cls, "__init__")):
            raise symbolic.TranslationError("its __init__ is PyTorch's own")
        constructions = [self.loaded.construction(m) for m in instances]
        signature = inspect.signature(function)
        parameters = list(signature.parameters.values())[1:]
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
            raise symbolic.TranslationError("its __init__ takes *args or **kwargs")
        java = JavaClass(self._names[cls], cls, "block", _base_name(cls), instances)
        arguments = {}
        for parameter in parameters:
            values = [c.arguments[parameter.name] for c in constructions]
            uniform = all(_same_argument(values[0], v) for v in values[1:])
            if uniform and not isinstance(values[0], SYMBOLIC_TYPES) or isinstance(values[0], bool) and uniform:
                arguments[parameter.name] = symbolic.Known(values[0])
            elif all(pyexpr.is_record(v) for v in values) and len({type(v) for v in values}) == 1:
                arguments[parameter.name] = symbolic.RecordExpr(ast.Name(parameter.name, ast.Load()), type(values[0]))
            else:
                arguments[parameter.name] = symbolic.Expr(ast.Name(parameter.name, ast.Load()))
        translator = symbolic.InitTranslator(cls, function.__code__.co_varnames[0], _TranslationContext(self, java),
                                             [dict(c.arguments) for c in constructions])
        state = translator.run(function, arguments)
        java.notes += _unique(translator.notes)
        self._fields_from(java, state, translator, instances)
        java.children = translator.node(state.children, None, None) if state.children is not None else None
        symbolic_params = {p.name for p in parameters if isinstance(arguments[p.name], symbolic.Expr)}
        _name_repeated_locals(java, symbolic_params)
        java.forward = forward_translation.translate(self, java, _attribute_policy(self, java, state, arguments,
                                                                                   symbolic_params))
        used = _names_in([f.node for f in java.fields] + ([java.children] if java.children is not None else [])
                         + [node for _, node in java.init] + java.forward.parameter_nodes())
        written = _written_parameters(function)
        for parameter in parameters:
            if parameter.name in used and parameter.name in symbolic_params:
                java.params.append(_java_param(parameter, written.get(parameter.name)))
            elif parameter.name in symbolic_params:
                java.unused.append(parameter.name)
            else:
                java.dropped[parameter.name] = constructions[0].arguments[parameter.name]
        self._verify(java, instances)
        return java

    def _fields_from(self, java, state, translator, instances):
        live_order = _live_order(instances)
        for name in live_order:
            if name not in state.fields:
                if java.base != "NnModule" and state.children is not None:
                    continue  # an entry of the container, not a field
                raise Mismatch("its module %s is not assigned in __init__ as self.%s" % (name, name))
        for name in own_parameters(instances[0]):
            value = state.attributes.get(name)
            if not (isinstance(value, symbolic.Expr) and _is_parameter_call(value.node)):
                raise Mismatch("its parameter %s is not set as self.%s = nn.Parameter(...)" % (name, name))
            java.fields.append(Field(name, value.node, PARAMETER_TYPE, _source_file(java.pytorch_class), None))
        ordered = [n for n in live_order if n in state.fields] + [n for n in state.fields if n not in live_order]
        for name in ordered:
            value, node = state.fields[name]
            expression = translator.node(value, node, None)
            java.fields.append(Field(name, expression, self._field_type([m._modules.get(name) for m in instances]),
                                     _source_file(java.pytorch_class), _init_line(java.pytorch_class, node)))

    def _concrete_classes(self, cls, instances, reason):
        """One Java class per distinct configuration of this model's instances, each with its own modules."""
        variants = []
        for module in instances:
            java = JavaClass(self._names[cls], cls, "block", _base_name(cls), [module], mode="concrete",
                             concrete_reason=reason)
            self._concrete_fields(java, module)
            java.forward = forward_translation.translate(self, java, _concrete_policy(self, java, is_model=False))
            java.params = java.forward.default_params()
            match = next((v for v in variants if _same_class_text(v, java)), None)
            if match is not None:
                match.instances.append(module)
                self._of_instance[id(module)] = match
                continue
            if variants:
                java.java_name = "%s%d" % (self._names[cls], len(variants) + 1)
            variants.append(java)
            self._of_instance[id(module)] = java
        self._variants[cls] = variants
        self.notes.append("%s is written with this model's modules%s: %s" % (
            cls.__name__, " (%d variants)" % len(variants) if len(variants) > 1 else "", reason))

    def _concrete_fields(self, java, module):
        for name in own_parameters(module):
            java.fields.append(Field(name, _parameter_of_shape(module._parameters[name]), PARAMETER_TYPE))
        entries = [(k, m) for k, m in module._modules.items()]
        as_fields = all(_is_java_field_name(k) for k, _ in entries)
        if as_fields or java.base == "NnModule":
            for key, child in entries:
                construction = self.loaded.construction(child) if child is not None else None
                java.fields.append(Field(key, self.render(child), self._field_type([child]),
                                         construction.file if construction else None,
                                         construction.line if construction else None))
            return
        present = [(k, m) for k, m in entries if m is not None]
        if [k for k, _ in present] == [str(i) for i in range(len(present))]:
            java.children = ast.List([self.render(m) for _, m in present], ast.Load())
        else:
            java.children = ast.Dict([ast.Constant(k) for k, _ in present], [self.render(m) for _, m in present])

    def _plan_root(self, root):
        java = JavaClass(self.model_name, type(root), "model", "NnModule", [root], mode="concrete")
        if self.kind_of(root) != BLOCK:
            java.notes.append("the model is a %s: its forward runs its modules in order" % type(root).__name__)
        self._concrete_fields(java, root)
        if java.children is not None:
            java.fields = [f for f in java.fields if f.java_type == PARAMETER_TYPE] + [
                Field(k, self.render(m), self._field_type([m])) for k, m in root._modules.items()]
            java.children = None
        java.forward = forward_translation.translate(self, java, _concrete_policy(self, java, is_model=True))
        self._verify(java, [root])
        return java

    def _field_type(self, modules):
        present = [m for m in modules if m is not None]
        types = {self._java_type(m) for m in present}
        return types.pop() if len(types) == 1 else "NnModule"

    def _java_type(self, module):
        kind = self.kind_of(module)
        if kind == CONTAINER:
            return CONTAINER_CLASSES[type(module)]
        if kind == LAYER:
            return self.catalog.layer_type(type(module).__name__)
        if kind == BLOCK:
            return self.java_class_of(module).java_name
        return "NnModule"

    # ------------------------------------------------------------------------------------------- verification

    def _verify(self, java, instances):
        """Every field and the children, evaluated for each instance, must build what the instance holds."""
        for module in instances:
            arguments = {}
            if java.mode == "generic":
                construction = self.loaded.construction(module)
                arguments = {p.name: construction.arguments[p.name] for p in java.params}
            for name, node in java.init:
                try:
                    arguments[name] = self.describer.evaluate(node, arguments, java)
                except Exception as e:  # noqa: BLE001 - the expression fails where PyTorch's did not
                    raise Mismatch("%s's init %s = %s fails for %s: %s" % (
                        java.java_name, name, ast.unparse(node), self._path_of(module), e)) from e
            for field in java.fields:
                if field.java_type == PARAMETER_TYPE:
                    self._check_parameter(java, field, arguments, module)
                else:
                    self._check(java, field.name, field.node, arguments, module._modules.get(field.name), module)
            if java.children is not None:
                try:
                    built = self.describer.evaluate(java.children, arguments, java)
                except Exception as e:  # noqa: BLE001 - the expression fails where PyTorch's did not
                    raise Mismatch("%s's entries %s fail for %s: %s" % (
                        java.java_name, ast.unparse(java.children), self._path_of(module), e)) from e
                items = list(built.items()) if isinstance(built, dict) else [(str(i), m) for i, m in
                                                                              enumerate(built)]
                field_names = {f.name for f in java.fields}
                live = [(k, m) for k, m in module._modules.items() if k not in field_names and m is not None]
                expected = structure.Desc("container", "entries", {}, [(k, self.describer.live(m)) for k, m in live])
                actual = structure.Desc("container", "entries", {}, [(k, m) for k, m in items if m is not None])
                if not structure.equal(expected, actual):
                    raise Mismatch("the entries of %s build %s, but %s holds %s" % (
                        java.java_name, actual, self._path_of(module), expected))

    def _check_parameter(self, java, field, arguments, module):
        """A Parameter's expression must build a tensor of the live parameter's shape (its values are the weight
        file's)."""
        import torch
        scope = {"nn": nn, "torch": torch, "__builtins__": __builtins__}
        scope.update(arguments)
        code = compile(ast.fix_missing_locations(ast.Expression(field.node)), "<@Init>", "eval")
        try:
            built = eval(code, scope)  # noqa: S307 - an expression the port wrote, over the block's arguments
        except Exception as e:  # noqa: BLE001 - the expression fails where PyTorch's did not
            raise Mismatch("%s's %s = %s fails for %s: %s" % (java.java_name, field.name, ast.unparse(field.node),
                                                             self._path_of(module), e)) from e
        live = module._parameters[field.name]
        if tuple(built.shape) != tuple(live.shape):
            raise Mismatch("%s's %s = %s has shape %s for %s, which holds %s" % (
                java.java_name, field.name, ast.unparse(field.node), tuple(built.shape), self._path_of(module),
                tuple(live.shape)))

    def _check(self, java, name, node, arguments, live, module):
        try:
            built = self.describer.evaluate(node, arguments, java)
        except Exception as e:  # noqa: BLE001 - the expression fails where PyTorch's did not
            raise Mismatch("%s's %s = %s fails for %s: %s" % (java.java_name, name, ast.unparse(node),
                                                             self._path_of(module), e)) from e
        expected = self.describer.live(live)
        if not structure.equal(expected, built):
            raise Mismatch("%s's %s = %s builds %s for %s, which holds %s" % (
                java.java_name, name, ast.unparse(node), built, self._path_of(module), expected))

    # ------------------------------------------------------------------------------------------------ rendering

    def render(self, module):
        """The expression that builds `module` as it is in this model."""
        if module is None:
            return ast.Constant(None)
        kind = self.kind_of(module)
        if kind == CONTAINER:
            return self._render_container(module)
        if kind in (LAYER, UNSUPPORTED):
            return self._render_layer(module)
        java = self.java_class_of(module)
        if java.mode != "generic":
            return ast.Call(ast.Name(java.java_name, ast.Load()), [], [])
        construction = self.loaded.construction(module)
        values = {p.name: construction.arguments[p.name] for p in java.params}
        defaults = {p.name: p.default for p in java.params if p.has_default}
        return self._call(java.java_name, [p.name for p in java.params], values, defaults, construction.call)

    def _render_container(self, module):
        entries = [(k, m) for k, m in module._modules.items() if m is not None]
        rendered = [self.render(m) for _, m in entries]
        name = "nn." + CONTAINER_CLASSES[type(module)]
        if isinstance(module, nn.Sequential):
            if [k for k, _ in entries] == [str(i) for i in range(len(entries))]:
                return pyexpr.call(name, rendered)
            pairs = ast.List([ast.Tuple([ast.Constant(k), v], ast.Load()) for (k, _), v in zip(entries, rendered)],
                             ast.Load())
            return pyexpr.call(name, [pyexpr.call("OrderedDict", [pairs])])
        if isinstance(module, nn.ModuleList):
            return pyexpr.call(name, [ast.List(rendered, ast.Load())])
        return pyexpr.call(name, [ast.Dict([ast.Constant(k) for k, _ in entries], rendered)])

    def _render_layer(self, module):
        cls = type(module)
        construction = self.loaded.construction(module)
        arguments = construction.arguments if construction is not None else self.layer_arguments(module)
        signature = inspect.signature(cls)
        names, defaults = [], {}
        accepted = self.catalog.layer_params(cls.__name__) if self.catalog.has_layer(cls.__name__) else {}
        for parameter in signature.parameters.values():
            if parameter.name in structure.IGNORED_LAYER_ARGUMENTS or parameter.kind in (
                    parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            value = arguments.get(parameter.name, parameter.default)
            is_default = parameter.default is not inspect.Parameter.empty and pyexpr.same_value(
                value, parameter.default)
            spec = accepted.get(parameter.name)
            if accepted and not is_default and (spec is None or spec["only_default"]):
                self.problems.append(Problem(
                    "layer", "%s(%s=%r)" % (_library_name(cls), parameter.name, value),
                    "ShapeProof's %s takes only %s=%r" % (cls.__name__, parameter.name, parameter.default)
                    if spec is not None else "ShapeProof's %s has no %s" % (cls.__name__, parameter.name),
                    self._path_of(module), construction.file if construction else None,
                    construction.line if construction else None, _code_line(construction)))
            names.append(parameter.name)
            if parameter.default is not inspect.Parameter.empty:
                defaults[parameter.name] = parameter.default
        return self._call(self.constructor_name(cls), names, arguments, defaults,
                          construction.call if construction else None)

    def _call(self, callee, names, values, defaults, written):
        """`callee(...)` with the arguments that differ from their defaults, positional as far as the call that
        built the module passed them positionally (or, without it, as far as they have no default)."""
        positional_count = len(written.args) if written is not None and not any(
            isinstance(a, ast.Starred) for a in written.args) else None
        args, keywords, gap = [], [], False
        for index, name in enumerate(names):
            value = values.get(name)
            if name in defaults and _same_argument(value, defaults[name]):
                gap = True
                continue
            node = self.value_node(value)
            positional = not gap and (index < positional_count if positional_count is not None
                                      else name not in defaults)
            if positional:
                args.append(node)
            else:
                gap = True
                keywords.append(ast.keyword(name, node))
        return ast.Call(pyexpr.dotted(callee), args, keywords)

    def value_node(self, value):
        """A constructor argument as an expression: a literal, a module, a class."""
        if isinstance(value, nn.Module):
            return self.render(value)
        if isinstance(value, (list, tuple)) and any(isinstance(v, nn.Module) for v in value):
            nodes = [self.value_node(v) for v in value]
            return ast.List(nodes, ast.Load()) if isinstance(value, list) else ast.Tuple(nodes, ast.Load())
        if inspect.isclass(value) and issubclass(value, nn.Module):
            return pyexpr.dotted(self.constructor_name(value))
        if isinstance(value, functools.partial) and inspect.isclass(value.func) and issubclass(value.func, nn.Module):
            return pyexpr.call("partial", [self.value_node(value.func)] + [self.value_node(a) for a in value.args],
                               [(k, self.value_node(v)) for k, v in value.keywords.items()])
        if pyexpr.is_record(value):
            fields = pyexpr.record(value)
            return ast.Dict([ast.Constant(k) for k in fields], [self.value_node(v) for v in fields.values()])
        return pyexpr.literal(value)

    def constructor_name(self, cls):
        if cls in CONTAINER_CLASSES:
            return "nn." + CONTAINER_CLASSES[cls]
        if self.kind_of_class(cls) in (LAYER, UNSUPPORTED) or (_is_torch_class(cls) and cls not in self._names):
            return _library_name(cls)
        if cls in self._generic:
            return self._generic[cls].java_name
        variants = self._variants.get(cls, [])
        if len(variants) == 1:
            return variants[0].java_name
        if cls in self._names and cls not in self._variants:
            return self._names[cls]  # planned later, or being planned
        raise pyexpr.Unrenderable("the class %s, written in %d variants" % (cls.__name__, len(variants)))

    def layer_arguments(self, module):
        """A layer's constructor arguments read from its attributes, for a model whose constructions are unknown
        (unpickled): PyTorch's layers keep them under the same names (bias as a tensor or None)."""
        arguments = {}
        for parameter in inspect.signature(type(module)).parameters.values():
            if parameter.name == "bias" and hasattr(module, "bias"):
                arguments["bias"] = module.bias is not None
            elif hasattr(module, parameter.name):
                value = getattr(module, parameter.name)
                arguments[parameter.name] = value if not hasattr(value, "shape") else parameter.default
            elif parameter.default is not inspect.Parameter.empty:
                arguments[parameter.name] = parameter.default
        return arguments

    # ------------------------------------------------------------------------------------------------- queries

    def java_class_of(self, module):
        return self._of_instance[id(module)]

    def generic_class(self, cls):
        """The Java class of the block class `cls` where it is written from its __init__, else None."""
        return self._generic.get(cls)

    def java_classes(self):
        """Every Java class: blocks in the order their first instance finishes, then the model."""
        classes = []
        for cls in self._order:
            if cls in self._generic:
                classes.append(self._generic[cls])
            else:
                classes.extend(self._variants.get(cls, []))
        return classes + ([self.root] if self.root is not None else [])

    def layer_classes(self):
        return [cls for cls, kind in self._kinds.items() if kind == LAYER]

    def is_block_class(self, cls):
        return cls in self._names and cls is not type(self.loaded.module) and self.kind_of_class(cls) == BLOCK

    def kind_of_class(self, cls):
        return self._kinds.get(cls)

    def _path_of(self, module):
        for name, candidate in self.loaded.module.named_modules():
            if candidate is module:
                return name or "(the model)"
        return "?"


class Mismatch(Exception):
    """An expression the port wrote does not build what the model holds."""


class _TranslationContext:
    """What symbolic.InitTranslator asks the plan while translating `java`'s __init__."""

    def __init__(self, plan, java):
        self.plan = plan
        self.java = java

    def known_node(self, value):
        import builtins
        if callable(value) and getattr(builtins, getattr(value, "__name__", ""), None) is value:
            return ast.Name(value.__name__, ast.Load())  # int, len, isinstance: the DSL's built-ins too
        if isinstance(value, nn.Module):
            return self.plan.render(value)
        if inspect.isclass(value) and issubclass(value, nn.Module):
            return pyexpr.dotted(self.plan.constructor_name(value))
        if isinstance(value, functools.partial) or pyexpr.is_record(value):
            # norm_layer=partial(nn.BatchNorm2d, eps=0.001, momentum=0.01), cnf: as a constructor argument is written
            return self.plan.value_node(value)
        return pyexpr.literal(value)

    def evaluation_scope(self):
        """The names an expression the port wrote may use, as PyTorch objects, to evaluate a test."""
        import collections
        import torch
        scope = {"nn": nn, "torch": torch, "F": torch.nn.functional, "OrderedDict": collections.OrderedDict,
                 "partial": functools.partial}
        scope.update({name: cls for cls, name in self.plan._names.items()})
        return scope

    def is_module_attribute(self, cls, name):
        return any(name in m._modules for m in self.plan._instances.get(cls, []))

    def is_block_class(self, cls):
        return self.plan.is_block_class(cls)

    def java_name(self, cls):
        return self.plan._names[cls]

    def declare_constant(self, cls, name, value):
        java = self.plan._generic.get(cls) or (self.java if cls is self.java.pytorch_class else None)
        for target in ([java] if java else []) + self.plan._variants.get(cls, []):
            target.constants[name] = value

    def constructor_name(self, cls):
        try:
            return self.plan.constructor_name(cls)
        except pyexpr.Unrenderable as e:
            raise symbolic.TranslationError(str(e)) from e

    def block_arguments(self, cls, args, keywords, node, source):
        """The arguments of a block constructed in an __init__, without those its Java class leaves out."""
        callee = self.plan._generic.get(cls)
        if callee is None:
            if cls in self.plan._variants and len(self.plan._variants[cls]) == 1:
                return [], []
            if cls in self.plan._variants:
                raise symbolic.TranslationError("it builds %s, which is written in several variants" % cls.__name__,
                                                node, source)
            return args, keywords
        kept = {p.name for p in callee.params}
        names = list(inspect.signature(_init_function(cls)).parameters)[1:]
        kept_args, kept_keywords, positional = [], [], True
        for name, arg in zip(names, args):
            if name not in kept:
                positional = False
            elif positional:
                kept_args.append(arg)
            else:
                kept_keywords.append(ast.keyword(name, arg))
        kept_keywords += [k for k in keywords if k.arg in kept]
        return kept_args, kept_keywords


def _attribute_policy(plan, java, state, arguments, symbolic_params):
    """How a generic block's forward reads `self.name` when `name` is not one of its modules."""
    instances = java.instances

    def resolve(name):
        values = [getattr(m, name) for m in instances] if all(hasattr(m, name) for m in instances) else None
        if name in symbolic_params and values is not None and all(
                _same_argument(v, plan.loaded.construction(m).arguments[name]) for m, v in zip(instances, values)):
            return forward_translation.Attribute.parameter(name)
        value = state.attributes.get(name)
        if isinstance(value, symbolic.Expr) and not _constructs_module(value.node):
            return forward_translation.Attribute.expression(_as_self_attributes(value.node, symbolic_params))
        if values is not None and all(_same_argument(values[0], v) for v in values[1:]) \
                and pyexpr.is_literal_value(values[0]):
            return forward_translation.Attribute.literal(values[0])
        return None

    return resolve


def _concrete_policy(plan, java, is_model):
    """A concrete class's forward reads its attributes as this model's values: literals in the model, parameters
    with those values as defaults in a block."""
    module = java.instances[0]

    def resolve(name):
        if not hasattr(module, name):
            return None
        value = getattr(module, name)
        if not pyexpr.is_literal_value(value):
            return None
        return forward_translation.Attribute.literal(value, keep_name=not is_model)

    return resolve


def _constructs_module(node):
    return any(isinstance(n, ast.Call) for n in ast.walk(node))


def _as_self_attributes(node, names):
    """`stride == 1 and inp == oup` → `self.stride == 1 and self.inp == self.oup`: a forward reads the block's
    arguments through self."""
    class Rewrite(ast.NodeTransformer):
        def visit_Name(self, name):
            if name.id in names:
                return ast.Attribute(ast.Name("self", ast.Load()), name.id, ast.Load())
            return name
    return Rewrite().visit(ast.parse(ast.unparse(node), mode="eval").body)


def _names_in(nodes):
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for node in nodes for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"}


def _written_parameters(function):
    """The parameters of `function` as its source writes them: name → (annotation text, default text)."""
    try:
        definition = symbolic.FunctionSource(function).definition
    except (OSError, TypeError, symbolic.TranslationError):
        return {}
    arguments = definition.args
    positional = arguments.args
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    written = {}
    for argument, default in list(zip(positional, defaults)) + list(zip(arguments.kwonlyargs,
                                                                         arguments.kw_defaults)):
        written[argument.arg] = (ast.unparse(argument.annotation) if argument.annotation is not None else None,
                                 ast.unparse(default) if default is not None else None)
    return written


def _java_param(parameter, written):
    """A block parameter as PyTorch writes it; an annotation the DSL cannot read (`Callable[..., nn.Module]`) is
    simplified, since annotations are kept for the reader only."""
    annotation, default_source = written or (None, None)
    if annotation is not None:
        annotation = _without_callable_signatures(annotation)
        if "..." in annotation or "'" in annotation or '"' in annotation:
            annotation = None
    if parameter.default is inspect.Parameter.empty:
        return JavaParam(parameter.name, annotation)
    if default_source is not None:
        try:
            ast.literal_eval(default_source)
        except ValueError:
            default_source = None  # a name of PyTorch's module (DEFAULT_RATE): written as its value
    if default_source is None or not pyexpr.is_literal_value(parameter.default):
        default_source = _default_text(parameter.default)
    return JavaParam(parameter.name, annotation, default_source, parameter.default, True)


def _default_text(default):
    """A default the DSL can hold: a literal, or one of PyTorch's layer classes (Conv2dNormActivation's
    `activation_layer=nn.ReLU`), which calls that leave it out rely on; anything else is written None."""
    if pyexpr.is_literal_value(default):
        return ast.unparse(pyexpr.literal(default))
    if inspect.isclass(default) and issubclass(default, nn.Module) and _is_torch_class(default):
        return _library_name(default)
    return "None"


def _without_callable_signatures(annotation):
    """`Optional[Callable[..., nn.Module]]` → `Optional[Callable]`: each Callable's brackets, matched."""
    result, start = [], 0
    for match in re.finditer(r"\bCallable\[", annotation):
        if match.start() < start:
            continue  # inside a Callable already dropped
        result.append(annotation[start:match.end() - 1])
        depth, end = 0, match.end() - 1
        while end < len(annotation):
            depth += {"[": 1, "]": -1}.get(annotation[end], 0)
            end += 1
            if depth == 0:
                break
        start = end
    return "".join(result) + annotation[start:]


def _same_argument(a, b):
    if isinstance(a, nn.Module) or isinstance(b, nn.Module):
        return a is b
    return structure.equal(a, b) if not (inspect.isclass(a) or inspect.isclass(b)) else a is b


def _same_class_text(a, b):
    dump = lambda java: ([(f.name, ast.dump(f.node)) for f in java.fields],  # noqa: E731
                         ast.dump(java.children) if java.children is not None else None,
                         java.forward.text if java.forward else None,
                         [(p.name, p.default_source) for p in java.params])
    return dump(a) == dump(b)


def _live_order(instances):
    order = []
    for module in sorted(instances, key=lambda m: -len(m._modules)):
        for name in module._modules:
            if name not in order:
                order.append(name)
    return order


# Calls a named local may make: arithmetic on the arguments, never a module (which naming would share)
ARITHMETIC_CALLS = {"int", "float", "round", "max", "min", "abs", "len", "sum"}


def _name_repeated_locals(java, parameters):
    """A local of `__init__` that the fields use several times (MobileNetV2's `hidden_dim`, the `_make_divisible`
    inside EfficientNet's `adjust_channels`) becomes an assignment of the block's init text, as in PyTorch, instead
    of being written out at every use. The largest repeated one is named first; its own repeated parts after it."""
    # copies: the forward's attribute expressions may share these nodes, and must keep reading the arguments
    trees = copy.deepcopy([f.node for f in java.fields] + ([java.children] if java.children is not None else []))
    taken = set(parameters)
    definitions = []
    while True:
        repeated = _repeated_locals(trees + [node for _, node in definitions])
        if not repeated:
            break
        dump, node = max(repeated.items(), key=lambda kv: len(kv[0]))
        name, number = node.local_name, 2
        while name in taken:
            name, number = "%s%d" % (node.local_name, number), number + 1
        taken.add(name)
        definition = _replaced(copy.deepcopy(node), dump, name, top=True)
        trees = [_replaced(tree, dump, name) for tree in trees]
        definitions = [(n, _replaced(d, dump, name)) for n, d in definitions] + [(name, definition)]
    if not definitions:
        return
    count = len(java.fields)
    java.fields = [dataclasses.replace(f, node=tree) for f, tree in zip(java.fields, trees[:count])]
    if java.children is not None:
        java.children = trees[count]
    java.init = list(reversed(definitions))  # each after the names it reads


def _repeated_locals(trees):
    """dump → node of the named locals (arithmetic only) that occur at least twice in `trees`."""
    counts, nodes = {}, {}
    for tree in trees:
        for node in ast.walk(tree):
            if getattr(node, "local_name", None) is None or isinstance(node, (ast.Name, ast.Constant)):
                continue
            if any(isinstance(n, ast.Call) and not (isinstance(n.func, ast.Name) and n.func.id in ARITHMETIC_CALLS)
                   for n in ast.walk(node)):
                continue
            dump = ast.dump(node)
            counts[dump] = counts.get(dump, 0) + 1
            nodes.setdefault(dump, node)
    return {d: nodes[d] for d, c in counts.items() if c >= 2}


def _replaced(tree, dump, name, top=False):
    """`tree` with every subtree equal to `dump` (but `tree` itself where top) read as the local `name`."""
    class Replace(ast.NodeTransformer):
        def visit(self, node):
            if ast.dump(node) == dump and not (top and node is tree):
                return ast.Name(name, ast.Load())
            return self.generic_visit(node)
    if not top and ast.dump(tree) == dump:
        return ast.Name(name, ast.Load())
    return Replace().visit(tree)


def _is_parameter_call(node):
    return isinstance(node, ast.Call) and ast.unparse(node.func) in ("nn.Parameter", "torch.nn.Parameter")


def _parameter_of_shape(parameter):
    """A concrete class's parameter: a tensor of its shape, ones or zeros where it holds only those at construction
    (LayerNorm2d's weight and bias); the values a port runs with are the weight file's."""
    shape = [ast.Constant(int(n)) for n in parameter.shape]
    factory = "torch.ones" if bool((parameter == 1).all()) else "torch.zeros"
    return pyexpr.call("nn.Parameter", [pyexpr.call(factory, shape)])


def _own_buffers(module):
    return [n for n, b in module._buffers.items() if b is not None]


def own_parameters(module):
    """The module's own parameters (ViT's class_token, ConvNeXt's layer_scale), which a Java class holds as
    Parameter fields."""
    return [n for n, p in module._parameters.items() if p is not None]


def _is_torch_class(cls):
    return cls.__module__ == "torch" or cls.__module__.startswith("torch.")


def _is_library_class(cls):
    """PyTorch's and torchvision.ops's classes: layers where the processor has one of their name."""
    return _is_torch_class(cls) or cls.__module__.startswith("torchvision.ops")


def _library_name(cls):
    return ("nn." if cls.__module__.startswith("torch.nn") else "") + cls.__name__


def _base_name(cls):
    for base in cls.__mro__:
        if base in CONTAINER_CLASSES:
            return CONTAINER_CLASSES[base]
    return "NnModule"


def _init_function(cls):
    for base in cls.__mro__:
        if "__init__" in base.__dict__:
            return base.__dict__["__init__"]
    return None


def _defining_class(cls, name):
    for base in cls.__mro__:
        if name in base.__dict__:
            return base
    return object


def _java_identifier(name):
    name = re.sub(r"\W", "_", name).lstrip("_") or "Block"
    name = name[0].upper() + name[1:]
    return name + "Block" if name in RESERVED_JAVA_NAMES else name


def _is_java_field_name(name):
    return re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", name) is not None and name not in JAVA_KEYWORDS


JAVA_KEYWORDS = {"abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
                 "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
                 "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
                 "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super",
                 "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
                 "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits"}


def _source_file(cls):
    try:
        return inspect.getsourcefile(cls)
    except (TypeError, OSError):
        return None


def _source_line(cls):
    try:
        return inspect.getsourcelines(cls)[1]
    except (TypeError, OSError):
        return None


def _init_line(cls, node):
    function = _init_function(cls)
    if node is None or function is None:
        return None
    try:
        return inspect.getsourcelines(function)[1] + node.lineno - 1
    except (TypeError, OSError, AttributeError):
        return None


def _code_line(construction):
    if construction is None or not construction.file or not construction.line:
        return None
    import linecache
    return linecache.getline(construction.file, construction.line).strip() or None


def _unique(items):
    seen, result = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result
