"""A module's `forward`, as the text of a Java @Model or @Block: PyTorch's own source, changed only where ShapeProof's
forward DSL needs it, each change for a reason the report can give.

  * Lines that need no change are copied with their comments; changed ones are printed from the syntax tree.
  * `self.helper(x)` methods (ResNet's `_forward_impl`, DenseNet's `bn_function`) and helper functions are inlined.
  * `self.name` that is not a module: an argument of the block stays `self.name`; a value computed from the arguments
    in `__init__` (`self.use_res_connect`) becomes that expression; a value the same in every instance becomes a
    literal. `torch.jit.is_scripting()` and its kin are False. Tests that then are constant are decided (an `if` on
    `self.memory_efficient` disappears with its branch).
  * A block that returns a dict of one tensor (torchvision's IntermediateLayerGetter) returns that tensor in
    ShapeProof, so its callers' `features["out"]` read `features`.

Then every call is checked against the processor's op table (catalog.py) and every statement against the DSL's
grammar; each miss is a Problem with the PyTorch source line. A torch.fx trace of the module, with all its children as
leaves, adds what the source does not show: operators between tensors (`x * y`) and indexing of tensors.
"""
import ast
import copy
import dataclasses
import inspect
import linecache
import re
import types

import torch
from torch import nn

from . import catalog as catalog_module
from . import pyexpr
from .symbolic import FunctionSource

NOQA = re.compile(r"\s+#\s*(noqa|type:|pragma).*$")
FALSE_CALLS = {"torch.jit.is_scripting", "torch.jit.is_tracing", "torch.onnx.is_in_onnx_export",
               "torch._C._get_tracing_state", "is_scripting", "is_tracing"}
DROPPED_CALLS = {"torch._assert", "_assert", "_log_api_usage_once"}
MAX_INLINE_DEPTH = 8
OPERATOR_SYMBOLS = {"add": "+", "iadd": "+", "sub": "-", "isub": "-", "mul": "*", "imul": "*", "truediv": "/",
                    "itruediv": "/", "floordiv": "//", "matmul": "@", "pow": "**", "neg": "neg", "mod": "%",
                    "and_": "&", "or_": "|", "invert": "~", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "eq": "==",
                    "ne": "!="}


@dataclasses.dataclass
class Attribute:
    """How a forward reads `self.name` for a name that is not a module."""
    kind: str                  # "parameter", "expression", "literal"
    node: ast.AST = None
    value: object = None
    keep_name: bool = False    # a literal written as a parameter default: `self.name` stays

    @staticmethod
    def parameter(name):
        return Attribute("parameter", ast.Attribute(ast.Name("self", ast.Load()), name, ast.Load()))

    @staticmethod
    def expression(node):
        return Attribute("expression", node)

    @staticmethod
    def literal(value, keep_name=False):
        return Attribute("literal", value=value, keep_name=keep_name)


@dataclasses.dataclass
class ForwardText:
    text: str
    origins: list               # (file, line) of each line of `text`, or None
    parameters_read: set        # the block's arguments the text reads through self
    defaults: dict              # name → value: parameters with this model's value as default (concrete blocks)
    notes: list

    def input_name(self):
        """The model's input: `x`, or the first parameter of a `def forward(self, input)` line."""
        match = re.match(r"def forward\(self, (\w+)", self.text or "")
        return match.group(1) if match else "x"

    def parameter_nodes(self):
        return [ast.Name(name, ast.Load()) for name in sorted(self.parameters_read)]

    def default_params(self):
        from .plan import JavaParam
        return [JavaParam(name, None, ast.unparse(pyexpr.literal(value)), value, True)
                for name, value in self.defaults.items()]


def translate(plan, java, resolve_attribute):
    """The forward text of `java` (a plan.JavaClass), or None where its PyTorch base class's forward runs (a
    Sequential that does not override it)."""
    cls = java.pytorch_class
    owner = _defining_class(cls, "forward")
    if owner in (nn.Sequential, nn.ModuleList, nn.ModuleDict) or owner is None:
        if owner in (nn.ModuleList, nn.ModuleDict):
            plan.problems.append(_problem(plan, java, "construct", "%s without a forward" % owner.__name__,
                                          "PyTorch's %s has no forward to run" % owner.__name__))
        return ForwardText(None, [], set(), {}, [])
    if owner is nn.Module:
        plan.problems.append(_problem(plan, java, "construct", "a module without forward", "nothing to port"))
        return ForwardText(None, [], set(), {}, [])
    if owner.__module__.startswith("torch.") and java.kind == "block":
        plan.problems.append(_problem(plan, java, "construct", "%s.forward" % owner.__name__,
                                      "a block whose forward is PyTorch's own %s's" % owner.__name__))
        return ForwardText(None, [], set(), {}, [])
    if java.kind == "block":
        _check_single_result(plan, java)
    return _Translator(plan, java, resolve_attribute).run(owner.__dict__["forward"])


def _check_single_result(plan, java):
    """A block's forward returns one tensor in ShapeProof (a dict of one is read as that tensor); PyTorch's may return
    several (an IntermediateLayerGetter with two return_layers), which only a model can."""
    for module in java.instances:
        result = plan.outputs.get(id(module))
        if isinstance(result, (dict, tuple, list)) and len(result) > 1:
            plan.problems.append(_problem(plan, java, "construct", "%s returning %d values" % (
                java.pytorch_name, len(result)), "ShapeProof's blocks return one tensor; only a model returns several"))
            return


class _Translator:
    def __init__(self, plan, java, resolve_attribute):
        self.plan = plan
        self.java = java
        self.resolve_attribute = resolve_attribute
        self.catalog = plan.catalog
        self.instance = java.instances[0]
        self.children = set()
        for module in java.instances:
            self.children |= set(module._modules)
        self.parameters_read = set()
        self.defaults = {}
        self.notes = []
        self.depth = 0
        self.local_names = set()
        self.dict_outputs = self._dict_outputs()

    # ---------------------------------------------------------------------------------------------------- run

    def run(self, function):
        try:
            source = FunctionSource(function)
        except (OSError, TypeError) as e:
            self.problem("construct", "forward", "its source is not available (%s)" % e)
            return ForwardText(None, [], set(), {}, [])
        definition = source.definition
        _mark(definition, source)
        arguments = definition.args
        if arguments.vararg or arguments.kwarg or arguments.kwonlyargs:
            self.problem("construct", "forward(*args, **kwargs)", "a forward with *args, **kwargs or keyword-only "
                         "arguments", source, definition)
        self.local_names = {n.id for n in ast.walk(definition) if isinstance(n, ast.Name)}
        self.assigned_names = {n.id for n in ast.walk(definition) if isinstance(n, ast.Name)
                               and isinstance(n.ctx, ast.Store)} | {a.arg for a in arguments.args}
        self.dict_sources = {s.targets[0].id: _self_child(s.value.func) for s in ast.walk(definition)
                             if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
                             and isinstance(s.value, ast.Call) and _self_child(s.value.func) in self.dict_outputs}
        body = self.block(definition.body, source)
        inputs = [a.arg for a in arguments.args[1:]]
        lines, origins = [], []
        if inputs != ["x"]:
            header = _copy(definition)
            header.body, header.decorator_list, header.returns = [ast.Pass()], [], None
            for argument in header.args.args:
                argument.annotation = None
            lines.append(ast.unparse(header).splitlines()[0])
            origins.append((source.file, source.line_of(definition)))
            indent = "    "
        else:
            indent = ""
        printer = _Printer(lines, origins)
        printer.block(body, indent)
        self.check(body, source)
        self.trace()
        text = "\n".join(lines) + "\n"
        defaults = {k: v for k, v in self.defaults.items() if re.search(r"\bself\.%s\b" % re.escape(k), text)}
        return ForwardText(text, origins, self.parameters_read, defaults, self.notes)

    # ---------------------------------------------------------------------------------------------- statements

    def block(self, statements, source):
        return [new for statement in statements for new in self.statement(statement, source)]

    def statement(self, node, source):
        """`node` as the statements that replace it: itself where nothing changes, none where it goes."""
        source = getattr(node, "_source", source)
        if _is_docstring(node):
            return []
        if isinstance(node, ast.Assert) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                                            and _dotted(node.value.func) in DROPPED_CALLS):
            what = "assert %s" % ast.unparse(node.test) if isinstance(node, ast.Assert) else ast.unparse(node.value)
            self.note("left out a check: %s" % what, node)
            return []
        if isinstance(node, ast.If):
            return self.conditional(node, source)
        if isinstance(node, ast.For):
            return self.loop(node, source)
        inlined = self.inline_statement(node, source)
        if inlined is not None:
            return inlined
        return self.simple(node, source)

    def conditional(self, node, source):
        """An if: decided where its test is now constant, else with its branches rewritten."""
        test, changed = self.expression(node.test, source)
        decided = _constant(test)
        if decided is not None:
            if not isinstance(node.test, ast.Constant):
                self.note("decided `if %s` (%s in this model)" % (ast.unparse(node.test), decided), node)
            return self.block(node.body if decided else node.orelse, source)
        body = self.block(node.body, source)
        orelse = self.block(node.orelse, source)
        if not changed and _same_list(body, node.body) and _same_list(orelse, node.orelse):
            return [node]
        return [_changed(ast.If(test, body or [ast.Pass()], orelse), node, header=changed)]

    def loop(self, node, source):
        iterable, changed = self.expression(node.iter, source)
        body = self.block(node.body, source)
        if not changed and _same_list(body, node.body) and not node.orelse:
            return [node]
        return [_changed(ast.For(node.target, iterable, body, node.orelse, None), node, header=changed)]

    def simple(self, node, source):
        """Any other statement, its expressions rewritten; `x = x` (left by an inlined helper) goes."""
        if isinstance(node, ast.AnnAssign):
            if node.value is None:
                return []
            value, _ = self.expression(node.value, source)
            return [_changed(ast.Assign([node.target], value, None), node)]
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                ast.unparse(node.targets[0]).strip("()") == ast.unparse(node.value).strip("()"):
            return []
        rewritten = copy.copy(node)
        changed = False
        for name, value in ast.iter_fields(node):
            if isinstance(value, ast.expr):
                new, was = self.expression(value, source)
                setattr(rewritten, name, new)
                changed |= was
            elif isinstance(value, list) and value and all(isinstance(v, ast.expr) for v in value):
                news = [self.expression(v, source) for v in value]
                setattr(rewritten, name, [n for n, _ in news])
                changed |= any(w for _, w in news)
        return [_changed(rewritten, node)] if changed else [node]

    # ---------------------------------------------------------------------------------------------- inlining

    def inline_statement(self, node, source):
        """`return self.helper(x)` and `y = self.helper(x)`: the helper's body in place of the call."""
        call, target = None, None
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            call = node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call) and \
                all(isinstance(n, ast.Name) for n in _target_nodes(node.targets[0])):
            call, target = node.value, node.targets[0]
        if call is None:
            return None
        function, bound_self = self.helper(call.func, source)
        if function is None:
            return None
        if self.depth >= MAX_INLINE_DEPTH:
            self.problem("construct", ast.unparse(call.func), "helpers nested too deep", source, node)
            return []
        try:
            inner = FunctionSource(function)
        except (OSError, TypeError):
            self.problem("construct", ast.unparse(call.func), "its source is not available", source, node)
            return []
        _mark(inner.definition, inner)
        body = self.bind(inner, call, target, bound_self, source, node)
        if body is None:
            return []
        self.note("inlined %s (%s:%d)" % (ast.unparse(call.func), inner.file, inner.start), node)
        self.depth += 1
        try:
            return self.block(body, inner)
        finally:
            self.depth -= 1

    def helper(self, func, source):
        """The function `func` names when it is a method of the class or a helper of the model's own code."""
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            if func.attr in self.children or func.attr == "forward":
                return None, False
            method = inspect.getattr_static(self.java.pytorch_class, func.attr, None)
            if isinstance(method, types.FunctionType):
                return method, True
            return None, False
        if isinstance(func, ast.Name) and func.id not in self.assigned_names:
            value = source.globals.get(func.id)
            if isinstance(value, types.FunctionType) and not _is_torch(value):
                return value, False
        return None, False

    def bind(self, inner, call, target, bound_self, source, node):
        """The helper's body with its parameters bound to the call's arguments, its locals renamed where they
        would clash with the caller's, and its last `return v` made `target = v` (or kept as a return)."""
        definition = inner.definition
        parameters = [a.arg for a in definition.args.args[(1 if bound_self else 0):]]
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords) or \
                len(call.args) > len(parameters):
            self.problem("construct", ast.unparse(call), "a call with *args or **kwargs", source, node)
            return None
        arguments = dict(zip(parameters, call.args))
        arguments.update({k.arg: k.value for k in call.keywords})
        defaults = definition.args.defaults
        for name, default in zip(parameters[len(parameters) - len(defaults):], defaults):
            arguments.setdefault(name, default)
        body = [_copy(s) for s in definition.body if not _is_docstring(s)]
        returns = [i for i, s in enumerate(body) if isinstance(s, ast.Return)]
        nested_returns = [n for s in body for n in ast.walk(s) if isinstance(n, ast.Return)
                          and not isinstance(s, ast.Return)]
        if target is not None and (returns != [len(body) - 1] or nested_returns):
            self.problem("construct", ast.unparse(call.func), "a helper whose value is not one `return` at its end",
                         source, node)
            return None
        assigned = {n.id for s in body for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx,
                                                                                                      ast.Store)}
        renames, prologue = {}, []
        for name in parameters:
            argument = arguments.get(name)
            if argument is None:
                self.problem("construct", ast.unparse(call), "%s needs %s" % (ast.unparse(call.func), name), source,
                             node)
                return None
            if isinstance(argument, ast.Name) and (name not in assigned or argument.id == name):
                renames[name] = argument.id
            else:
                fresh = self.fresh(name)
                renames[name] = fresh
                prologue.append(ast.copy_location(ast.Assign([ast.Name(fresh, ast.Store())], argument, None), node))
        targets = {n.id for n in _target_nodes(target)} if target is not None else set()
        for name in assigned - set(parameters):
            if name in self.local_names and name not in targets:
                renames[name] = self.fresh(name)
        body = [_rename(s, renames) for s in body]
        if target is not None:
            last = body[-1]
            body[-1] = ast.copy_location(ast.Assign([copy.deepcopy(target)], last.value, None), last)
            body[-1]._source = last._source
            body[-1]._changed = True
        for statement in prologue:
            statement._source = getattr(node, "_source", None)
            statement._changed = True
        return prologue + body

    def fresh(self, name):
        number = 2
        while "%s%d" % (name, number) in self.local_names:
            number += 1
        self.local_names.add("%s%d" % (name, number))
        return "%s%d" % (name, number)

    # --------------------------------------------------------------------------------------------- expressions

    def expression(self, node, source):
        """`node` rewritten for the DSL, and whether anything changed. Attributes a concrete block keeps as
        parameters are read as their values only to decide tests; where nothing is decided, `self.name` stays."""
        rewriter = _ExpressionRewriter(self, source)
        new = rewriter.visit(copy.deepcopy(node))
        folded = _fold(new)
        if folded is not new:
            return folded, True
        if not rewriter.changed:
            return node, False
        return folded, True

    def attribute(self, name, node, source):
        """`self.name` for a name that is not a module: the node to write, or None to keep `self.name`."""
        if name == "training":
            return None
        if name in self.java.instances[0]._parameters:
            return None  # a Parameter field: the DSL reads self.class_token as the tensor
        how = self.resolve_attribute(name)
        if how is None:
            self.problem("construct", "self.%s" % name, "an attribute that differs between instances and is not "
                         "computed from the constructor's arguments", source, node)
            return None
        if how.kind == "parameter":
            self.parameters_read.add(name)
            return None
        if how.kind == "expression":
            self.parameters_read |= {n.attr for n in ast.walk(how.node) if isinstance(n, ast.Attribute)
                                     and isinstance(n.value, ast.Name) and n.value.id == "self"}
            return copy.deepcopy(how.node)
        literal = pyexpr.literal(how.value)
        if how.keep_name:
            literal._keep_name = name
            self.defaults[name] = how.value
            return literal, False
        return literal

    def is_method(self, name):
        """`self.items`, `self.bn_function`: methods, which calls inline or the DSL knows, not attributes."""
        return name in catalog_module.MODULE_METHODS or callable(inspect.getattr_static(
            self.java.pytorch_class, name, None))

    def _dict_outputs(self):
        """Children whose first call returned a dict of one tensor: name → its key."""
        outputs = {}
        for name, child in self.instance._modules.items():
            result = self.plan.outputs.get(id(child)) if child is not None else None
            if isinstance(result, dict) and len(result) == 1:
                outputs[name] = next(iter(result))
        return outputs

    # ---------------------------------------------------------------------------------------------- the check

    def check(self, statements, source):
        for statement in statements:
            origin = getattr(statement, "_source", source)
            if isinstance(statement, (ast.If, ast.For)):
                self.check_expression(statement.test if isinstance(statement, ast.If) else statement.iter, origin,
                                      statement)
                self.check(statement.body + statement.orelse, origin)
                continue
            if not isinstance(statement, (ast.Assign, ast.AugAssign, ast.Return, ast.Expr, ast.Pass)):
                self.problem("statement", _statement_name(statement), "the forward DSL has no %s statement"
                             % _statement_name(statement), origin, statement)
                continue
            if isinstance(statement, ast.AugAssign) and not isinstance(statement.op, ast.Add):
                self.problem("operator", "%s=" % _operator(statement.op), "an in-place %s" % _operator(statement.op),
                             origin, statement)
            for value in ast.iter_child_nodes(statement):
                if isinstance(value, ast.expr):
                    self.check_expression(value, origin, statement)

    def check_expression(self, node, source, statement):
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom, ast.JoinedStr)):
                self.problem("construct", type(sub).__name__.lower(), "the forward DSL has no %s"
                             % type(sub).__name__, source, statement)
            if isinstance(sub, ast.Call):
                self.check_call(sub, source, statement)

    def check_call(self, call, source, statement):
        func = call.func
        name = _dotted(func)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            if func.attr in self.children or func.attr in catalog_module.MODULE_METHODS:
                return
            self.problem("construct", "self.%s(...)" % func.attr, "a call of a method that is not a module",
                         source, statement)
            return
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) and \
                isinstance(func.value.value, ast.Name) and func.value.value.id == "self":
            if func.attr in catalog_module.MODULE_METHODS:
                return
        if isinstance(func, ast.Name):
            if func.id in catalog_module.BUILTINS or self.catalog.has_function(func.id) or \
                    func.id in self.assigned_names:
                return
            self.problem("function", func.id, "neither a ShapeProof function nor a module", source, statement)
            return
        namespace, _, function = (name or "").rpartition(".")
        if namespace in catalog_module.FUNCTION_NAMESPACES:
            if not self.catalog.has_function(function):
                self.problem("function", name, "ShapeProof has no function %s" % function, source, statement)
            return
        if isinstance(func, ast.Attribute):
            method = func.attr
            if self.catalog.has_method(method) or method in catalog_module.LIST_METHODS or \
                    method in catalog_module.MODULE_METHODS:
                return
            self.problem("method", "." + method + "()", "ShapeProof has no tensor method %s" % method, source,
                         statement)
            return
        self.problem("construct", ast.unparse(func), "a call of a computed function", source, statement)

    def trace(self):
        """torch.fx on one instance, its children as leaves: operators between tensors, and tensor indexing."""
        example = self.plan.inputs.get(id(self.instance)) if hasattr(self.plan, "inputs") else None
        if example is None:
            return
        try:
            graph = _trace(self.instance, example)
        except Exception as e:  # noqa: BLE001 - a forward torch.fx cannot trace: the source check stands alone
            self.notes.append("not traced with torch.fx (%s: %s); checked from its source" % (
                type(e).__name__, str(e).splitlines()[0][:120] if str(e) else ""))
            return
        for node in graph.nodes:
            if node.op != "call_function" or getattr(node.target, "__module__", None) not in ("_operator",
                                                                                                 "operator"):
                continue
            tensors = [a for a in node.args if isinstance(a, torch.fx.Node) and a.meta.get("is_tensor")]
            if not tensors:
                continue
            symbol = OPERATOR_SYMBOLS.get(node.target.__name__)
            file, line, code = _stack_location(node)
            if node.target.__name__ == "getitem":
                if not self.catalog.indexing:
                    self.plan.problems.append(self.make_problem("operator", "tensor[...]", "ShapeProof does not "
                                                                "index tensors", file, line, code))
            elif symbol is not None and not self.catalog.has_operator(symbol):
                self.plan.problems.append(self.make_problem("operator", "tensor %s ..." % symbol, "ShapeProof has "
                                                            "no operator %s between tensors" % symbol, file, line,
                                                            code))

    # ---------------------------------------------------------------------------------------------- reporting

    def problem(self, kind, what, reason, source=None, node=None):
        file = source.file if source is not None else None
        line = source.line_of(node) if source is not None and node is not None and hasattr(node, "lineno") \
            else None
        code = linecache.getline(file, line).strip() if file and line else None
        self.plan.problems.append(self.make_problem(kind, what, reason, file, line, code))

    def make_problem(self, kind, what, reason, file, line, code):
        from .plan import Problem
        return Problem(kind, what, reason, self.java.qualified_name if self.java.kind == "block" else "the model",
                       file, line, code)

    def note(self, text, node):
        source = getattr(node, "_source", None)
        where = " (%s:%d)" % (source.file, source.line_of(node)) if source is not None and hasattr(node, "lineno") \
            else ""
        self.notes.append(text + where)


class _ExpressionRewriter(ast.NodeTransformer):
    def __init__(self, translator, source):
        self.translator = translator
        self.source = source
        self.changed = False

    def visit_Attribute(self, node):
        if isinstance(node.value, ast.Name) and node.value.id == "self" and isinstance(node.ctx, ast.Load) \
                and node.attr not in self.translator.children and not self.translator.is_method(node.attr):
            replacement = self.translator.attribute(node.attr, node, self.source)
            if isinstance(replacement, tuple):  # a value that stays `self.name` unless it decides a test
                return ast.copy_location(replacement[0], node)
            if replacement is not None:
                self.changed = True
                return ast.copy_location(replacement, node)
            return node
        self.generic_visit(node)
        return node

    def visit_Call(self, node):
        name = _dotted(node.func)
        if name in FALSE_CALLS:
            self.changed = True
            return ast.copy_location(ast.Constant(False), node)
        normalized = self.normalize_namespace(node.func)
        if normalized is not None:
            node.func = normalized
            self.changed = True
        self.generic_visit(node)
        return node

    def normalize_namespace(self, func):
        """`Fn.relu` where `Fn` is torch.nn.functional under another name → `F.relu`."""
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return None
        value = self.source.globals.get(func.value.id)
        if value is torch.nn.functional and func.value.id not in ("F", "functional"):
            return ast.Attribute(ast.Name("F", ast.Load()), func.attr, ast.Load())
        if value is torch and func.value.id != "torch":
            return ast.Attribute(ast.Name("torch", ast.Load()), func.attr, ast.Load())
        return None

    def visit_Subscript(self, node):
        self.generic_visit(node)
        target = node.value
        if isinstance(target, ast.Name) and isinstance(node.slice, ast.Constant):
            child = self.translator_dict_source(target.id)
            if child is not None and self.translator.dict_outputs.get(child) == node.slice.value:
                self.changed = True
                return target
        if isinstance(target, ast.Call) and isinstance(node.slice, ast.Constant):
            child = _self_child(target.func)
            if child is not None and self.translator.dict_outputs.get(child) == node.slice.value:
                self.changed = True
                return target
        return node

    def translator_dict_source(self, name):
        return self.translator.dict_sources.get(name)


# ------------------------------------------------------------------------------------------------------ printing

class _Printer:
    """Writes statements as lines: the source's own lines where a statement is unchanged, ast.unparse elsewhere."""

    def __init__(self, lines, origins):
        self.lines = lines
        self.origins = origins

    def block(self, statements, indent):
        previous = None
        for statement in statements:
            self.gap(previous, statement, indent)
            self.statement(statement, indent)
            previous = statement

    def gap(self, previous, statement, indent):
        """The blank and comment lines between two statements copied from the same source."""
        source = getattr(statement, "_source", None)
        if previous is None or source is None or getattr(previous, "_source", None) is not source or \
                not hasattr(previous, "end_lineno") or previous.end_lineno >= statement.lineno:
            return
        between = source.lines[previous.end_lineno:statement.lineno - 1]
        blank = False
        for line in between:
            text = line.strip()
            if not text:
                blank = True
            elif text.startswith("#") and not text.startswith("# type:") and "noqa" not in text:
                if blank and self.lines and self.lines[-1].strip():
                    self.emit("", None)
                blank = False
                self.emit(indent + text, None)
        if blank and self.lines and self.lines[-1].strip():
            self.emit("", None)

    def statement(self, node, indent):
        source = getattr(node, "_source", None)
        if source is not None and not _is_changed(node):
            column = node.col_offset
            for number in range(node.lineno, node.end_lineno + 1):
                line = source.lines[number - 1].rstrip("\n")
                strip = min(column, len(line) - len(line.lstrip()))
                self.emit(indent + NOQA.sub("", line[strip:]).rstrip(), (source.file, source.line_of_number(
                    number)))
            return
        origin = (source.file, source.line_of(node)) if source is not None and hasattr(node, "lineno") else None
        if isinstance(node, ast.If):
            self.conditional(node, indent, "if", origin)
            return
        if isinstance(node, ast.For):
            header = self.header(node, node.iter) or "for %s in %s:" % (_unparse(node.target).strip("()"),
                                                                          _unparse(node.iter))
            self.emit(indent + header, origin)
            self.block(node.body, indent + "    ")
            return
        for line in _unparse(node).splitlines():
            self.emit(indent + line, origin)

    def header(self, node, last):
        """An if's or for's first line as its source writes it, where the statement kept its test or iterable."""
        source = getattr(node, "_source", None)
        if source is None or getattr(node, "_header_changed", True) or last.end_lineno != node.lineno:
            return None
        return NOQA.sub("", source.lines[node.lineno - 1].strip())

    def conditional(self, node, indent, keyword, origin):
        header = self.header(node, node.test)
        if header is not None and header.startswith(keyword + " "):
            self.emit(indent + header, origin)
        else:
            self.emit("%s%s %s:" % (indent, keyword, _unparse(node.test)), origin)
        self.block(node.body, indent + "    ")
        if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If) and _is_elif(node.orelse[0]):
            inner = node.orelse[0]
            source = getattr(inner, "_source", None)
            self.conditional(inner, indent, "elif", (source.file, source.line_of(inner)) if source else origin)
        elif node.orelse:
            self.emit(indent + "else:", origin)
            self.block(node.orelse, indent + "    ")

    def emit(self, line, origin):
        self.lines.append(line)
        self.origins.append(origin)


def _unparse(node):
    """ast.unparse, with literals a concrete block keeps as parameters written back as `self.name`."""
    class Restore(ast.NodeTransformer):
        def visit(self, sub):
            name = getattr(sub, "_keep_name", None)
            if name:
                return ast.Attribute(ast.Name("self", ast.Load()), name, ast.Load())
            return super().visit(sub)
    return pyexpr.double_quoted(ast.unparse(Restore().visit(_copy(node))))


# ------------------------------------------------------------------------------------------------------ helpers

def _copy(node):
    """A deep copy of a syntax tree that shares the sources its statements remember."""
    memo = {}
    for sub in ast.walk(node):
        source = getattr(sub, "_source", None)
        if source is not None:
            memo[id(source)] = source
    return copy.deepcopy(node, memo)


def _mark(definition, source):
    """Every statement of a function remembers its source; FunctionSource learns to map numbers to lines."""
    source.line_of_number = lambda number: source.start + number - 1
    for node in ast.walk(definition):
        if isinstance(node, ast.stmt):
            node._source = source


def _changed(new, old, header=True):
    """`new` replaces `old`: printed from its syntax tree (an if or for keeps its bodies' own lines)."""
    ast.copy_location(new, old)
    if hasattr(old, "end_lineno"):
        new.end_lineno = old.end_lineno
    new._source = getattr(old, "_source", None)
    new._changed = True
    new._header_changed = header
    return new


def _is_changed(node):
    return getattr(node, "_changed", False)


def _same_list(new, old):
    return len(new) == len(old) and all(a is b for a, b in zip(new, old))


def _is_docstring(node):
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _is_elif(node):
    source = getattr(node, "_source", None)
    if source is None:
        return True
    line = source.lines[node.lineno - 1].strip() if node.lineno <= len(source.lines) else ""
    return line.startswith("elif")


def _constant(node):
    if isinstance(node, ast.Constant):
        return bool(node.value)
    return None


def _fold(node):
    """Constant folding of tests: `False and x` → False, `not True` → False, `None is not None` → False."""
    class Fold(ast.NodeTransformer):
        def visit_BoolOp(self, bool_op):
            self.generic_visit(bool_op)
            is_and = isinstance(bool_op.op, ast.And)
            kept = []
            for value in bool_op.values:
                if isinstance(value, ast.Constant):
                    if bool(value.value) != is_and:
                        return ast.Constant(value.value) if not kept else ast.BoolOp(bool_op.op, kept + [value])
                    continue
                kept.append(value)
            if not kept:
                return ast.Constant(is_and)
            return kept[0] if len(kept) == 1 else ast.BoolOp(bool_op.op, kept)

        def visit_UnaryOp(self, unary):
            self.generic_visit(unary)
            if isinstance(unary.op, ast.Not) and isinstance(unary.operand, ast.Constant):
                return ast.Constant(not unary.operand.value)
            return unary

        def visit_Compare(self, compare):
            self.generic_visit(compare)
            values = [compare.left] + compare.comparators
            if all(isinstance(v, ast.Constant) for v in values):
                from .symbolic import COMPARE
                result = all(COMPARE[type(op)](a.value, b.value) for op, a, b in zip(compare.ops, values,
                                                                                     values[1:]))
                return ast.Constant(bool(result))
            return compare

        def visit_IfExp(self, if_exp):
            self.generic_visit(if_exp)
            if isinstance(if_exp.test, ast.Constant):
                return if_exp.body if if_exp.test.value else if_exp.orelse
            return if_exp

    before = ast.dump(node)
    result = Fold().visit(copy.deepcopy(node))
    return node if ast.dump(result) == before else result


def _rename(node, renames):
    class Rename(ast.NodeTransformer):
        def visit_Name(self, name):
            if name.id in renames:
                name.id = renames[name.id]
                _mark_changed(name)
            return name

    renamed = Rename().visit(node)
    if any(getattr(n, "_renamed", False) for n in ast.walk(renamed)):
        for sub in ast.walk(renamed):
            if isinstance(sub, ast.stmt):
                sub._changed = True
    return renamed


def _mark_changed(node):
    node._renamed = True


def _target_nodes(target):
    """The names an assignment target binds: `x`, or each of `x, aux1, aux2`."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _target_nodes(element)]
    return [target]


def _self_child(func):
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        return func.attr
    return None


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else base + "." + node.attr
    return None


def _defining_class(cls, name):
    for base in cls.__mro__:
        if name in base.__dict__:
            return base
    return None


def _statement_name(node):
    return {"While": "while", "With": "with", "Try": "try", "Raise": "raise", "Delete": "del", "Global": "global",
            "Nonlocal": "nonlocal", "FunctionDef": "nested def", "ClassDef": "class", "Import": "import",
            "ImportFrom": "import"}.get(type(node).__name__, type(node).__name__)


def _operator(op):
    return {ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
            ast.MatMult: "@"}.get(type(op), type(op).__name__)


def _problem(plan, java, kind, what, reason):
    from .plan import Problem
    cls = java.pytorch_class
    try:
        file, line = inspect.getsourcefile(cls), inspect.getsourcelines(cls)[1]
    except (TypeError, OSError):
        file, line = None, None
    return Problem(kind, what, reason, java.qualified_name, file, line, None)


def _trace(module, example):
    """A torch.fx graph of `module`'s forward with every child a leaf, each node marked is_tensor when it computed
    a tensor on `example` (the inputs of the module's first call in the reference run)."""
    class Leaves(torch.fx.Tracer):
        def is_leaf_module(self, m, qualified_name):
            return m is not module

    tracer = Leaves()
    tracer.record_stack_traces = True
    graph = tracer.trace(module)
    graph_module = torch.fx.GraphModule(module, graph)

    class Marker(torch.fx.Interpreter):
        def run_node(self, node):
            result = super().run_node(node)
            node.meta["is_tensor"] = isinstance(result, torch.Tensor)
            return result

    with torch.no_grad():
        Marker(graph_module).run(*example)
    return graph


def _stack_location(node):
    trace = node.stack_trace or ""
    frames = re.findall(r'File "([^"]+)", line (\d+), in [^\n]+\n\s*(.*)', trace)
    own = [f for f in frames if "/torch/" not in f[0].replace("\\", "/")]
    if not own:
        return None, None, None
    file, line, code = own[0]  # the innermost frame of the model's own code
    return file, int(line), code.strip()


def _is_torch(function):
    module = getattr(function, "__module__", "") or ""
    return module == "torch" or module.startswith("torch.")
