"""Runs a module class's `__init__` symbolically, to write each of its modules as an @Init expression of the
class's constructor arguments (PyTorch's `self.conv1 = conv3x3(inplanes, planes, stride)` becomes
`nn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False)`).

Values are symbolic: `Known` for what is the same in every instance of the class in this model (literals, module
globals, classes, and the arguments that never vary and are not numbers: norm_layer, memory_efficient), `Expr` for
an expression of the arguments that vary or are numbers, `SymList`/`SymDict` for the lists and dicts an `__init__`
builds up. Statements run in order: assignments bind names, `self.x = module` declares a field, `if`s whose test is
known take their branch, other `if`s become conditional expressions, loops that append to a list become
comprehensions, helper functions (`conv3x3`) and methods are inlined. A branch that only raises is a check the port
leaves out (noted). Anything else raises TranslationError with the line, and the class is then written with this
model's own modules instead (see plan.py).
"""
import ast
import builtins
import copy
import functools
import inspect
import operator
import textwrap
import types

from torch import nn

from . import pyexpr

MAX_INLINE_DEPTH = 16

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
          ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
           ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
           ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}
# Built-ins the DSL evaluates too, folded here when their arguments are known.
FOLDABLE_BUILTINS = {"int", "float", "bool", "str", "len", "min", "max", "abs", "sum", "round", "range", "tuple",
                     "list", "isinstance", "enumerate", "zip", "sorted", "dict"}
SKIPPED_CALLS = ("_log_api_usage_once", "warn")  # statements with no effect on the modules


class TranslationError(Exception):
    def __init__(self, message, node=None, source=None):
        super().__init__(message)
        self.line = source.line_of(node) if source is not None and node is not None else None
        self.file = source.file if source is not None else None
        self.code = source.text_of(node) if source is not None and node is not None else None


# ---------------------------------------------------------------------------------------------- symbolic values

class Sym:
    def copy(self):
        return self


class Known(Sym):
    """A value every instance shares."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "Known(%r)" % (self.value,)


class Expr(Sym):
    """An expression of the arguments that vary."""

    def __init__(self, node):
        self.node = node

    def __repr__(self):
        return "Expr(%s)" % ast.unparse(self.node)


class RecordExpr(Expr):
    """A parameter whose values are records (pyexpr.is_record): `cnf.stride` reads `cnf["stride"]` of the dict the
    record is passed as."""

    def __init__(self, node, record_class):
        super().__init__(node)
        self.record_class = record_class

    def attribute(self, name):
        method = inspect.getattr_static(self.record_class, name, None)
        if isinstance(method, staticmethod):
            return Known(method.__func__)  # MBConvConfig.adjust_channels: inlined where it is called
        return Expr(ast.Subscript(self.node, ast.Constant(name), ast.Load()))


class SymList(Sym):
    """A list built up by appends: the concatenation of its parts (list displays, comprehensions, expressions)."""

    def __init__(self, parts=None):
        self.parts = list(parts or [])

    def copy(self):
        return SymList(copy.deepcopy(self.parts))

    def append(self, node):
        if self.parts and isinstance(self.parts[-1], ast.List):
            self.parts[-1].elts.append(node)
        else:
            self.parts.append(ast.List([node], ast.Load()))

    def extend_with(self, node):
        if isinstance(node, ast.List) and self.parts and isinstance(self.parts[-1], ast.List):
            self.parts[-1].elts.extend(node.elts)
        elif not (isinstance(node, ast.List) and not node.elts):
            self.parts.append(node)

    def node(self):
        if not self.parts:
            return ast.List([], ast.Load())
        result = self.parts[0]
        for part in self.parts[1:]:
            result = ast.BinOp(result, ast.Add(), part)
        return result


class SymDict(Sym):
    """An OrderedDict or dict built up by item assignments, or a dict comprehension."""

    def __init__(self, keys=None, values=None, comprehension=None, ordered=False):
        self.keys = list(keys or [])
        self.values = list(values or [])
        self.comprehension = comprehension
        self.ordered = ordered

    def copy(self):
        return SymDict(copy.deepcopy(self.keys), copy.deepcopy(self.values), copy.deepcopy(self.comprehension),
                       self.ordered)

    def set(self, key, value, where):
        if self.comprehension is not None:
            raise TranslationError("an item added to a dict built by a comprehension", where)
        self.keys.append(key)
        self.values.append(value)

    def node(self):
        if self.comprehension is not None:
            return self.comprehension
        return ast.Dict(self.keys, self.values)


def same_node(a, b):
    return ast.dump(a) == ast.dump(b)


# ----------------------------------------------------------------------------------------------------- sources

class FunctionSource:
    """A function's parsed source and where it is, for errors that name the line."""

    def __init__(self, function):
        self.function = function
        lines, start = inspect.getsourcelines(function)
        self.file = inspect.getsourcefile(function)
        self.start = start
        self.lines = textwrap.dedent("".join(lines)).splitlines(keepends=True)
        self.tree = ast.parse("".join(self.lines))
        self.definition = self.tree.body[0]
        if not isinstance(self.definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
            raise TranslationError("%s is not a plain function" % function.__qualname__)
        self.globals = getattr(function, "__globals__", {})

    def line_of(self, node):
        return self.start + getattr(node, "lineno", 1) - 1

    def text_of(self, node):
        line = getattr(node, "lineno", None)
        return self.lines[line - 1].strip() if line and line <= len(self.lines) else None


# --------------------------------------------------------------------------------------------------- the state

class State:
    """What `__init__` has built so far: local names, the fields (in assignment order), the container's entries,
    the plain attributes (self.stride = stride), and whether this path raised."""

    def __init__(self):
        self.env = {}
        self.fields = {}       # name → (Sym, ast node of the assignment)
        self.attributes = {}   # name → Sym
        self.children = None   # SymList or SymDict: the entries of a container class
        self.raised = None     # the raise statement, on a path that raises
        self.returned = None   # Sym, in an inlined function

    def copy(self):
        other = State()
        other.env = {k: v.copy() for k, v in self.env.items()}
        other.fields = {k: (v.copy(), n) for k, (v, n) in self.fields.items()}
        other.attributes = {k: v.copy() for k, v in self.attributes.items()}
        other.children = self.children.copy() if self.children is not None else None
        other.raised = self.raised
        other.returned = self.returned
        return other


class Capture:
    """Inside a loop: the comprehension clauses so far, and what the body appends, to which list."""

    def __init__(self, generators, outer_names):
        self.generators = generators
        self.outer_names = outer_names  # names bound before the loop, which the body must not rebind
        self.appends = []               # (where the list lives, element node, clauses)
        self.entries = []               # (key node, value node, clauses): add_module with a computed name


# --------------------------------------------------------------------------------------------- the translator

class InitTranslator:
    """Translates one class's `__init__`. `context` renders known values (classes, modules) as expressions and says
    which parameters other blocks keep (plan.Plan)."""

    def __init__(self, cls, self_name, context, instances=()):
        self.cls = cls
        self.context = context
        self.notes = []
        self.self_name = self_name
        self.depth = 0
        self.owners = []             # the classes whose __init__ is running: super() goes on from the last
        self.instances = instances   # each instance's arguments, name → value, to decide tests they all share

    # --- entry point -------------------------------------------------------------------------------------------

    def run(self, function, arguments):
        """Runs `function` (the class's __init__) with `arguments`: parameter name → Sym."""
        source = FunctionSource(function)
        self.owners.append(_owner_of(self.cls, function))
        state = State()
        parameters = source.definition.args
        names = [a.arg for a in parameters.args[1:] + parameters.kwonlyargs]
        for name in names:
            state.env[name] = arguments[name]
        for special in (parameters.vararg, parameters.kwarg):
            if special is not None:
                state.env[special.arg] = arguments.get(special.arg, Known(() if special is parameters.vararg
                                                                           else {}))
        self.execute(source.definition.body, state, source, None)
        if state.raised is not None:
            raise TranslationError("__init__ always raises here", state.raised, source)
        return state

    # --- statements --------------------------------------------------------------------------------------------

    def execute(self, statements, state, source, capture):
        for statement in statements:
            if state.raised is not None or state.returned is not None:
                return
            self.statement(statement, state, source, capture)

    def statement(self, node, state, source, capture):
        if isinstance(node, ast.Expr):
            self.expression_statement(node, state, source, capture)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            if isinstance(node, ast.AnnAssign) and node.value is None:
                return
            value = self.sym(node.value, state, source)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                self.assign(target, value, node, state, source, capture)
        elif isinstance(node, ast.AugAssign):
            self.augmented(node, state, source, capture)
        elif isinstance(node, ast.If):
            self.branch(node, state, source, capture)
        elif isinstance(node, ast.For):
            self.loop(node, state, source, capture)
        elif isinstance(node, ast.Return):
            if capture is not None:
                raise TranslationError("a return inside a loop", node, source)
            state.returned = self.sym(node.value, state, source) if node.value is not None else Known(None)
        elif isinstance(node, ast.Raise):
            state.raised = node
        elif isinstance(node, (ast.Assert, ast.Pass, ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.Assert):
                self.note("left out a check: assert %s" % ast.unparse(node.test), node, source)
        else:
            raise TranslationError("a %s statement" % _statement_name(node), node, source)

    def expression_statement(self, node, state, source, capture):
        value = node.value
        if isinstance(value, ast.Constant):
            return  # a docstring
        if not isinstance(value, ast.Call):
            raise TranslationError("an expression statement that is not a call", node, source)
        func = value.func
        if _is_super_init(func, self.self_name):
            self.base_init(value, state, source)
            return
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            receiver = func.value.id
            if receiver == self.self_name:
                self.self_call(func.attr, value, state, source, capture)
                return
            target = state.env.get(receiver)
            if isinstance(target, Known) and isinstance(target.value, list) and func.attr in ("append", "extend"):
                target = state.env[receiver] = SymList([pyexpr.literal(target.value)] if target.value else [])
            if isinstance(target, SymList) and func.attr in ("append", "extend"):
                self.list_mutation(("env", receiver), target, func.attr, value, state, source, capture)
                return
        name = _callee_name(func)
        if name in SKIPPED_CALLS or self.is_weight_init(func, state, source):
            return
        raise TranslationError("a call whose effect on the modules the port cannot follow: %s" % ast.unparse(value),
                               node, source)

    def is_weight_init(self, func, state, source):
        try:
            callee = self.sym(func, state, source)
        except TranslationError:
            return False
        if isinstance(callee, Known) and getattr(callee.value, "__module__", "") == "torch.nn.init":
            self.notes.append("weight initialisation left out: the port loads the weights")
            return True
        return False

    def base_init(self, call, state, source):
        """`super().__init__(...)`: a base class's own __init__ runs on (ConvNormActivation's, for
        Conv2dNormActivation's); PyTorch's containers take their entries."""
        base = _next_init(self.cls, self.owners[-1] if self.owners else self.cls)
        if base is not None and not _is_torch(base.__dict__["__init__"]):
            self.owners.append(base)
            try:
                self.inline(base.__dict__["__init__"], _without_self(call, self.self_name), state, source,
                            bound_self=True, discard=True)
            finally:
                self.owners.pop()
            return
        args = [a for a in call.args if not (isinstance(a, ast.Name) and a.id == self.self_name)]
        if not args and not call.keywords:
            return
        base = _container_base(self.cls)
        if base is None:
            return  # nn.Module.__init__ takes nothing that matters
        if base is nn.Sequential:
            if len(args) == 1 and not isinstance(args[0], ast.Starred):
                single = self.sym(args[0], state, source)
                if isinstance(single, SymDict) or (isinstance(single, Known) and isinstance(single.value, dict)):
                    state.children = single if isinstance(single, SymDict) else self.known_dict(single, call,
                                                                                                 source)
                    return
            entries = SymList()
            for arg in args:
                if isinstance(arg, ast.Starred):
                    entries.extend_with(self.list_node(self.sym(arg.value, state, source), arg, source))
                else:
                    entries.append(self.node(self.sym(arg, state, source), arg, source))
            state.children = entries
        else:
            value = self.sym(args[0], state, source)
            state.children = value if isinstance(value, (SymList, SymDict)) else \
                SymList([self.node(value, args[0], source)])

    def known_dict(self, known, where, source):
        result = SymDict(ordered=True)
        for key, value in known.value.items():
            result.set(pyexpr.literal(key), self.node(Known(value), where, source), where)
        return result

    def self_call(self, method, call, state, source, capture):
        if method in ("add_module", "register_module"):
            name = self.sym(call.args[0] if call.args else call.keywords[0].value, state, source)
            module = self.sym(call.args[1] if len(call.args) > 1 else call.keywords[-1].value, state, source)
            if isinstance(name, Known):
                self.set_field(name.value, module, call, state, source, capture)
            elif capture is not None:
                capture.entries.append((self.node(name, call, source), self.node(module, call, source),
                                        list(capture.generators)))
            else:
                raise TranslationError("add_module with a computed name outside a loop", call, source)
        elif method in ("append", "extend") and _container_base(self.cls) in (nn.Sequential, nn.ModuleList):
            if state.children is None:
                state.children = SymList()
            self.list_mutation(("children",), state.children, method, call, state, source, capture)
        elif method in ("register_buffer", "register_parameter"):
            raise TranslationError("a parameter or buffer of the block's own (%s)" % method, call, source)
        else:
            function = getattr(self.cls, method, None)
            if not isinstance(function, types.FunctionType):
                raise TranslationError("self.%s(...)" % method, call, source)
            self.inline(function, call, state, source, bound_self=True, discard=True)

    def list_mutation(self, key, target, method, call, state, source, capture):
        """`target.append(...)` or `.extend(...)`; `key` says where the list lives, (\"env\", name) or
        (\"children\",), so that a loop's appends reach the list outside the loop's own scope."""
        value = self.sym(call.args[0], state, source)
        if capture is not None:
            if method == "extend":
                raise TranslationError("a list extended inside a loop", call, source)
            capture.appends.append((key, self.node(value, call, source), list(capture.generators)))
        elif method == "append":
            target.append(self.node(value, call, source))
        else:
            target.extend_with(self.list_node(value, call, source))

    def assign(self, target, value, node, state, source, capture):
        if isinstance(target, ast.Name):
            if capture is not None and target.id in capture.outer_names:
                raise TranslationError("a loop that carries %s from one pass to the next" % target.id, node, source)
            if isinstance(value, Expr) and not hasattr(value.node, "local_name"):
                value.node.local_name = target.id  # where it is used several times, the port names it again
            state.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = self.unpack(value, len(target.elts), node, source)
            for element, item in zip(target.elts, items):
                self.assign(element, item, node, state, source, capture)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and target.value.id == self.self_name:
            if self.context.is_module_attribute(self.cls, target.attr):
                self.set_field(target.attr, value, node, state, source, capture)
            else:
                if capture is not None:
                    raise TranslationError("self.%s set inside a loop" % target.attr, node, source)
                state.attributes[target.attr] = value
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            container = state.env.get(target.value.id)
            if not isinstance(container, SymDict):
                raise TranslationError("an item assignment to something other than a dict", node, source)
            key = self.node(self.sym(target.slice, state, source), node, source)
            if capture is not None:
                raise TranslationError("a dict filled inside a loop", node, source)
            container.set(key, self.node(value, node, source), node)
        else:
            raise TranslationError("an assignment to %s" % ast.unparse(target), node, source)

    def set_field(self, name, value, node, state, source, capture):
        if capture is not None:
            raise TranslationError("the module self.%s assigned inside a loop" % name, node, source)
        state.fields[name] = (value, node)

    def unpack(self, value, count, node, source):
        if isinstance(value, Known):
            items = list(value.value)
            if len(items) != count:
                raise TranslationError("unpacking %d values into %d names" % (len(items), count), node, source)
            return [Known(v) for v in items]
        if isinstance(value, Expr) and isinstance(value.node, (ast.Tuple, ast.List)) \
                and len(value.node.elts) == count:
            return [self.wrap(e) for e in value.node.elts]
        if isinstance(value, Expr):
            return [Expr(ast.Subscript(value.node, ast.Constant(i), ast.Load())) for i in range(count)]
        raise TranslationError("unpacking a value the port cannot split", node, source)

    def augmented(self, node, state, source, capture):
        if not isinstance(node.target, ast.Name):
            if isinstance(node.target, ast.Attribute) and isinstance(node.target.value, ast.Name) \
                    and node.target.value.id == self.self_name and node.target.attr in state.attributes:
                current = state.attributes[node.target.attr]
                state.attributes[node.target.attr] = self.binary(node.op, current, self.sym(node.value, state,
                                                                                             source), node, source)
                return
            raise TranslationError("an augmented assignment to %s" % ast.unparse(node.target), node, source)
        name = node.target.id
        if capture is not None and name in capture.outer_names:
            raise TranslationError("a loop that carries %s from one pass to the next" % name, node, source)
        current = self.lookup(name, node, state, source)
        value = self.sym(node.value, state, source)
        if isinstance(current, SymList) and isinstance(node.op, ast.Add):
            current.extend_with(self.list_node(value, node, source))
            return
        state.env[name] = self.binary(node.op, current, value, node, source)

    def branch(self, node, state, source, capture):
        test = self.sym(node.test, state, source)
        if isinstance(test, Known):
            self.execute(node.body if test.value else node.orelse, state, source, capture)
            return
        if capture is not None:
            if node.orelse:
                raise TranslationError("an if/else inside a loop", node, source)
            inner = Capture(capture.generators[:-1] + [_with_condition(capture.generators[-1], test.node)],
                            capture.outer_names)
            self.execute(node.body, state, source, inner)
            capture.appends += inner.appends
            capture.entries += inner.entries
            return
        taken, other = state.copy(), state.copy()
        failures = []
        for branch, path in ((node.body, taken), (node.orelse, other)):
            try:
                self.execute(branch, path, source, None)
            except TranslationError as e:
                failures.append((path, e))
        if failures:
            decided = self.shared_truth(test.node)
            if decided is None or len(failures) == 2 or failures[0][0] is (taken if decided else other):
                raise failures[0][1]
            self.note("decided `if %s` (%s in every use in this model; the other branch cannot be written: %s)"
                      % (ast.unparse(node.test), decided, failures[0][1]), node, source)
            _replace(state, taken if decided else other)
            return
        if taken.raised is not None and other.raised is not None:
            state.raised = node
            return
        for path, check in ((other, taken), (taken, other)):
            if check.raised is not None:
                self.note("left out a check: %s raises when %s" % (
                    _raised(check.raised), ast.unparse(node.test) if check is taken else "not (%s)"
                    % ast.unparse(node.test)), node, source)
                _replace(state, path)
                return
        if taken.returned is not None or other.returned is not None:
            if taken.returned is None or other.returned is None:
                raise TranslationError("a return in one branch only", node, source)
            state.returned = self.conditional(test.node, taken.returned, other.returned, node, source)
            return
        _replace(state, self.merge(test.node, taken, other, node, source))

    def merge(self, test, taken, other, node, source):
        merged = taken.copy()
        for name in set(taken.env) | set(other.env):
            a, b = taken.env.get(name), other.env.get(name)
            if a is b or (a is not None and b is not None and _same_sym(a, b)):
                continue
            merged.env[name] = self.conditional(test, a, b, node, source) if a is not None and b is not None \
                else _Poisoned(name)
        for name in set(taken.attributes) | set(other.attributes):
            a, b = taken.attributes.get(name), other.attributes.get(name)
            if a is not None and b is not None and _same_sym(a, b):
                continue
            merged.attributes[name] = self.conditional(test, a or Known(None), b or Known(None), node, source)
        fields = {}
        for name in list(taken.fields) + [n for n in other.fields if n not in taken.fields]:
            a, b = taken.fields.get(name), other.fields.get(name)
            if a is not None and b is not None and _same_sym(a[0], b[0]):
                fields[name] = a
            else:
                fields[name] = (self.conditional(test, a[0] if a else Known(None), b[0] if b else Known(None),
                                                 node, source), (a or b)[1])
        merged.fields = fields
        if not (taken.children is other.children or (taken.children is not None and other.children is not None
                                                     and _same_sym(taken.children, other.children))):
            merged.children = self.conditional(test, taken.children or SymList(), other.children or SymList(),
                                               node, source)
        return merged

    def shared_truth(self, test):
        """The value of `test` when every instance gives the same one, else None."""
        values = set()
        for arguments in self.instances:
            scope = dict(self.context.evaluation_scope())
            scope.update(arguments)
            try:
                values.add(bool(eval(compile(ast.fix_missing_locations(ast.Expression(test)), "<test>", "eval"),
                                     scope)))  # noqa: S307 - a test of the module's own source
            except Exception:  # noqa: BLE001 - a test that cannot be evaluated is not shared
                return None
        return values.pop() if len(values) == 1 else None

    def conditional(self, test, a, b, node, source):
        """`a if test else b`, sharing what both start with when they are lists."""
        if isinstance(a, SymList) != isinstance(b, SymList):
            a, b = (_as_list(v) for v in (a, b))
        if isinstance(a, SymList) and isinstance(b, SymList):
            shared = 0
            while shared < min(len(a.parts), len(b.parts)) and same_node(a.parts[shared], b.parts[shared]):
                shared += 1
            rest_a, rest_b = SymList(a.parts[shared:]).node(), SymList(b.parts[shared:]).node()
            result = SymList(a.parts[:shared])
            result.parts.append(ast.IfExp(test, rest_a, rest_b))
            return result
        return Expr(ast.IfExp(test, self.node(a, node, source), self.node(b, node, source)))

    def loop(self, node, state, source, capture):
        if node.orelse:
            raise TranslationError("a for/else", node, source)
        iterable = self.node(self.sym(node.iter, state, source), node, source)
        generator = ast.comprehension(node.target, iterable, [], 0)
        outer = set(state.env) - _names_assigned_before_read(node.body)
        inner = Capture((capture.generators if capture else []) + [generator], outer)
        body = state.copy()
        for name in _target_names(node.target):
            body.env[name] = Expr(ast.Name(name, ast.Load()))
        self.execute(node.body, body, source, inner)
        if body.raised is not None or body.returned is not None:
            raise TranslationError("a loop that raises or returns", node, source)
        if capture is not None:
            capture.appends += inner.appends
            capture.entries += inner.entries
            return
        self.comprehensions(inner, state, node, source)

    def comprehensions(self, capture, state, node, source):
        """Turns what a loop appended into comprehensions on the lists (and entries of the container)."""
        lists = {}
        for key, element, generators in capture.appends:
            lists.setdefault(key, []).append((element, generators))
        for key, elements in lists.items():
            live = state.children if key == ("children",) else state.env.get(key[1])
            if not isinstance(live, SymList):
                raise TranslationError("a loop that appends to a list it cannot see", node, source)
            if len({ast.dump(ast.Module(g, [])) for _, g in elements}) == 1 and len(elements) == 1:
                element, generators = elements[0]
                live.extend_with(ast.ListComp(element, generators))
            else:
                item = ast.Name("_module", ast.Load())
                generators = elements[0][1] + [ast.comprehension(ast.Name("_module", ast.Store()), ast.Tuple(
                    [e for e, _ in elements], ast.Load()), [], 0)]
                if len({ast.dump(ast.Module(g, [])) for _, g in elements}) != 1:
                    raise TranslationError("a loop that appends under different conditions", node, source)
                live.extend_with(ast.ListComp(item, generators))
        if capture.entries:
            if state.children is not None or len(capture.entries) != 1:
                raise TranslationError("a loop that adds modules beside others", node, source)
            key, value, generators = capture.entries[0]
            state.children = SymDict(comprehension=ast.DictComp(key, value, generators))

    # --- inlining ----------------------------------------------------------------------------------------------

    def inline(self, function, call, state, source, bound_self=False, discard=False):
        """Runs a helper function (or a method of the class) with the call's arguments; its return value."""
        if self.depth >= MAX_INLINE_DEPTH:
            raise TranslationError("helpers nested too deep", call, source)
        try:
            inner = FunctionSource(function)
        except (OSError, TypeError) as e:
            raise TranslationError("%s has no Python source (%s)" % (function.__qualname__, e), call, source) \
                from e
        args = [self.sym(a, state, source) for a in call.args if not isinstance(a, ast.Starred)]
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise TranslationError("*args or **kwargs passed to %s" % function.__name__, call, source)
        keywords = {k.arg: self.sym(k.value, state, source) for k in call.keywords}
        signature = inspect.signature(function)
        parameters = list(signature.parameters.values())
        if bound_self:
            parameters = parameters[1:]
        bound = {}
        for parameter, value in zip(parameters, args):
            bound[parameter.name] = value
        for parameter in parameters:
            if parameter.name in keywords:
                bound[parameter.name] = keywords[parameter.name]
            elif parameter.name not in bound:
                if parameter.default is inspect.Parameter.empty:
                    raise TranslationError("%s needs %s" % (function.__name__, parameter.name), call, source)
                bound[parameter.name] = Known(parameter.default)
        nested = State()
        nested.env = bound
        nested.fields, nested.attributes, nested.children = state.fields, state.attributes, state.children
        saved_self = self.self_name
        if bound_self:
            self.self_name = inner.definition.args.args[0].arg
        self.depth += 1
        try:
            self.execute(inner.definition.body, nested, inner, None)
        finally:
            self.depth -= 1
            self.self_name = saved_self
        if nested.raised is not None:
            raise TranslationError("%s raises here" % function.__name__, call, source)
        state.children = nested.children
        if discard:
            return None
        return nested.returned if nested.returned is not None else Known(None)

    # --- expressions -------------------------------------------------------------------------------------------

    def sym(self, node, state, source):
        method = getattr(self, "sym_" + type(node).__name__, None)
        if method is None:
            raise TranslationError("the expression %s" % ast.unparse(node), node, source)
        return method(node, state, source)

    def sym_Constant(self, node, state, source):
        return Known(node.value)

    def sym_Name(self, node, state, source):
        return self.lookup(node.id, node, state, source)

    def lookup(self, name, node, state, source):
        if name in state.env:
            value = state.env[name]
            if isinstance(value, _Poisoned):
                raise TranslationError("%s, set in one branch of an if only" % name, node, source)
            return value
        if name == self.self_name:
            raise TranslationError("self used as a value", node, source)
        if name in source.globals:
            return Known(source.globals[name])
        if hasattr(builtins, name):
            return Known(getattr(builtins, name))
        raise TranslationError("the name %s" % name, node, source)

    def sym_Attribute(self, node, state, source):
        if isinstance(node.value, ast.Name) and node.value.id == self.self_name:
            if node.attr in state.attributes:
                return state.attributes[node.attr]
            if node.attr in state.fields:
                return state.fields[node.attr][0]
            if node.attr == "__class__":
                return Known(self.cls)
            value = inspect.getattr_static(self.cls, node.attr, None)
            if value is not None and pyexpr.is_literal_value(value):
                return self.class_constant(self.cls, node.attr, value)
            raise TranslationError("self.%s before it is set" % node.attr, node, source)
        target = self.sym(node.value, state, source)
        if isinstance(target, Known):
            value = target.value
            if inspect.isclass(value) and issubclass(value, nn.Module) and self.context.is_block_class(value):
                constant = inspect.getattr_static(value, node.attr, None)
                if constant is not None and pyexpr.is_literal_value(constant):
                    return self.class_constant(value, node.attr, constant)
            try:
                return Known(getattr(value, node.attr))
            except AttributeError as e:
                raise TranslationError("%s has no attribute %s" % (ast.unparse(node.value), node.attr), node,
                                       source) from e
        if isinstance(target, RecordExpr):
            return target.attribute(node.attr)
        return Expr(ast.Attribute(self.node(target, node, source), node.attr, ast.Load()))

    def class_constant(self, cls, name, value):
        """A class attribute such as Bottleneck.expansion: a static constant of the Java block class."""
        if not self.context.is_block_class(cls):
            return Known(value)
        self.context.declare_constant(cls, name, value)
        return Expr(ast.Attribute(ast.Name(self.context.java_name(cls), ast.Load()), name, ast.Load()))

    def sym_Call(self, node, state, source):
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == self.self_name:
            function = getattr(self.cls, func.attr, None)
            if isinstance(function, types.FunctionType):
                static = isinstance(inspect.getattr_static(self.cls, func.attr, None), staticmethod)
                return self.inline(function, node, state, source, bound_self=not static)
            raise TranslationError("self.%s(...)" % func.attr, node, source)
        callee = self.sym(func, state, source)
        if isinstance(callee, Known):
            return self.call_known(callee.value, node, state, source)
        args, keywords = self.arguments(node, state, source)
        return Expr(ast.Call(self.node(callee, node, source), args, keywords))

    def arguments(self, node, state, source):
        args = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                args.append(ast.Starred(self.list_node(self.sym(arg.value, state, source), arg, source),
                                        ast.Load()))
            else:
                args.append(self.node(self.sym(arg, state, source), arg, source))
        keywords = []
        for keyword in node.keywords:
            if keyword.arg is None:
                spread = self.sym(keyword.value, state, source)
                if isinstance(spread, Known) and isinstance(spread.value, dict):
                    keywords += [ast.keyword(k, self.node(Known(v), node, source)) for k, v in spread.value.items()]
                    continue
                raise TranslationError("**kwargs in a call", node, source)
            keywords.append(ast.keyword(keyword.arg, self.node(self.sym(keyword.value, state, source), keyword,
                                                                source)))
        return args, keywords

    def call_known(self, value, node, state, source):
        if isinstance(value, functools.partial):
            merged = ast.Call(node.func, node.args, node.keywords)
            # the partial's own arguments are values (nn.Hardsigmoid, 0.001): written as the port writes any value
            merged.args = [self.node(Known(a), node, source) for a in value.args] + list(node.args)
            merged.keywords = [ast.keyword(k, self.node(Known(v), node, source)) for k, v in value.keywords.items()
                               if k not in {kw.arg for kw in node.keywords}] + list(node.keywords)
            return self.call_known(value.func, merged, state, source)
        if value is functools.partial:
            return self.partial(node, state, source)
        if value is nn.Parameter or value in tensor_factories():
            return self.tensor_expression(value, node, state, source)
        if inspect.isclass(value) and issubclass(value, nn.Module):
            return self.construct(value, node, state, source)
        if value is collections_ordered_dict():
            return self.ordered_dict(node, state, source)
        if isinstance(value, types.BuiltinFunctionType) or value in (int, float, bool, str, tuple, list, range,
                                                                     dict, enumerate, zip):
            return self.builtin(value, node, state, source)
        if isinstance(value, types.FunctionType) and not _is_torch(value):
            return self.inline(value, node, state, source)
        raise TranslationError("a call of %s" % getattr(value, "__qualname__", value), node, source)

    def tensor_expression(self, function, node, state, source):
        """nn.Parameter(torch.ones(dim, 1, 1) * layer_scale): written as the DSL's parameter init reads it."""
        name = "nn.Parameter" if function is nn.Parameter else "torch." + function.__name__
        args, keywords = self.arguments(node, state, source)
        return Expr(ast.Call(pyexpr.dotted(name), args, keywords))

    def partial(self, node, state, source):
        """functools.partial(nn.SiLU, inplace=True): a value where its arguments are known, else the DSL's partial."""
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise TranslationError("a partial of * or ** arguments", node, source)
        args = [self.sym(a, state, source) for a in node.args]
        keywords = {k.arg: self.sym(k.value, state, source) for k in node.keywords}
        if all(isinstance(v, Known) for v in args + list(keywords.values())):
            return Known(functools.partial(*[a.value for a in args], **{k: v.value for k, v in keywords.items()}))
        return Expr(pyexpr.call("partial", [self.node(a, node, source) for a in args],
                                [(k, self.node(v, node, source)) for k, v in keywords.items()]))

    def builtin(self, function, node, state, source):
        name = getattr(function, "__name__", "")
        values = [self.sym(a, state, source) for a in node.args]
        if function is len and len(values) == 1 and not isinstance(values[0], Known):
            return self.length(self.node(values[0], node, source), node, source)
        keywords = {k.arg: self.sym(k.value, state, source) for k in node.keywords}
        if all(isinstance(v, Known) for v in values + list(keywords.values())) and (
                name in FOLDABLE_BUILTINS or getattr(function, "__module__", None) == "math"):
            try:
                return Known(function(*[v.value for v in values], **{k: v.value for k, v in keywords.items()}))
            except Exception as e:  # noqa: BLE001 - the same call fails in PyTorch
                raise TranslationError("%s fails: %s" % (ast.unparse(node), e), node, source) from e
        if name not in FOLDABLE_BUILTINS or getattr(builtins, name, None) is not function:
            raise TranslationError("%s of values that vary between instances" % name, node, source)
        args, keywords_nodes = self.arguments(node, state, source)
        return Expr(ast.Call(ast.Name(name, ast.Load()), args, keywords_nodes))

    def length(self, node, where, source):
        """len() of a list or container built here, from its parts: `len(atrous_rates) + 2`, not len(<modules>)."""
        constant, terms = 0, []

        def add(part):
            nonlocal constant
            if isinstance(part, ast.List) and not any(isinstance(e, ast.Starred) for e in part.elts):
                constant += len(part.elts)
            elif isinstance(part, ast.BinOp) and isinstance(part.op, ast.Add):
                add(part.left)
                add(part.right)
            elif isinstance(part, ast.ListComp) and len(part.generators) == 1 and not part.generators[0].ifs:
                add(ast.Call(ast.Name("len", ast.Load()), [part.generators[0].iter], []))
            elif isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute) and part.func.attr in (
                    "ModuleList", "ModuleDict") and len(part.args) == 1:
                add(part.args[0])
            elif isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute) and part.func.attr == \
                    "Sequential":
                for arg in part.args:
                    add(arg.value if isinstance(arg, ast.Starred) else ast.List([arg], ast.Load()))
            else:
                terms.append(part if isinstance(part, ast.Call) and isinstance(part.func, ast.Name)
                             and part.func.id == "len" else ast.Call(ast.Name("len", ast.Load()), [part], []))

        add(node)
        if not terms:
            return Known(constant)
        result = terms[0]
        for term in terms[1:]:
            result = ast.BinOp(result, ast.Add(), term)
        return Expr(ast.BinOp(result, ast.Add(), ast.Constant(constant)) if constant else result)

    def construct(self, cls, node, state, source):
        """A module constructor: a layer, a container or a block, written as the processor names it."""
        args, keywords = self.arguments(node, state, source)
        if self.context.is_block_class(cls):
            args, keywords = self.context.block_arguments(cls, args, keywords, node, source)
        elif cls not in (nn.Sequential, nn.ModuleList, nn.ModuleDict):
            args, keywords = _without_defaults(cls, args, keywords)
        callee = self.context.constructor_name(cls)
        return Expr(ast.Call(pyexpr.dotted(callee), args, keywords))

    def ordered_dict(self, node, state, source):
        result = SymDict(ordered=True)
        if node.args:
            items = self.sym(node.args[0], state, source)
            pairs = items.node.elts if isinstance(items, Expr) and isinstance(items.node, ast.List) else \
                items.parts[0].elts if isinstance(items, SymList) and len(items.parts) == 1 \
                and isinstance(items.parts[0], ast.List) else None
            if isinstance(items, Known):
                pairs = [pyexpr.literal(tuple(p)) for p in items.value]
            if pairs is None:
                raise TranslationError("an OrderedDict of computed items", node, source)
            for pair in pairs:
                if not isinstance(pair, ast.Tuple) or len(pair.elts) != 2:
                    raise TranslationError("an OrderedDict item that is not a (name, module) pair", node, source)
                result.set(pair.elts[0], pair.elts[1], node)
        for keyword in node.keywords:
            result.set(ast.Constant(keyword.arg), self.node(self.sym(keyword.value, state, source), node, source),
                       node)
        return result

    def sym_BinOp(self, node, state, source):
        return self.binary(node.op, self.sym(node.left, state, source), self.sym(node.right, state, source), node,
                           source)

    def binary(self, op, left, right, node, source):
        if isinstance(left, Known) and isinstance(right, Known) and type(op) in BINARY:
            try:
                return Known(BINARY[type(op)](left.value, right.value))
            except Exception as e:  # noqa: BLE001
                raise TranslationError("%s fails: %s" % (ast.unparse(node), e), node, source) from e
        if isinstance(op, ast.Add) and (isinstance(left, SymList) or isinstance(right, SymList)):
            result = SymList()
            result.extend_with(self.list_node(left, node, source))
            result.extend_with(self.list_node(right, node, source))
            return result
        return Expr(ast.BinOp(self.node(left, node, source), op, self.node(right, node, source)))

    def sym_UnaryOp(self, node, state, source):
        operand = self.sym(node.operand, state, source)
        if isinstance(operand, Known) and type(node.op) in UNARY:
            return Known(UNARY[type(node.op)](operand.value))
        if isinstance(node.op, ast.Not) and isinstance(operand, SymList):
            raise TranslationError("the truth of a list built at run time", node, source)
        return Expr(ast.UnaryOp(node.op, self.node(operand, node, source)))

    def sym_Compare(self, node, state, source):
        values = [self.sym(node.left, state, source)] + [self.sym(c, state, source) for c in node.comparators]
        if all(isinstance(v, Known) for v in values):
            result = True
            for op, a, b in zip(node.ops, values, values[1:]):
                result = result and COMPARE[type(op)](a.value, b.value)
            return Known(bool(result))
        nodes = [self.node(v, node, source) for v in values]
        return Expr(ast.Compare(nodes[0], node.ops, nodes[1:]))

    def sym_BoolOp(self, node, state, source):
        is_and = isinstance(node.op, ast.And)
        remaining = []
        for operand in node.values:
            value = self.sym(operand, state, source)
            if isinstance(value, Known):
                if bool(value.value) != is_and:  # decides the whole expression
                    return value if not remaining else Expr(ast.BoolOp(node.op, remaining + [self.node(
                        value, node, source)]))
                continue  # neutral: drop it
            remaining.append(self.node(value, node, source))
        if not remaining:
            return Known(is_and)
        return Expr(remaining[0]) if len(remaining) == 1 else Expr(ast.BoolOp(node.op, remaining))

    def sym_IfExp(self, node, state, source):
        test = self.sym(node.test, state, source)
        if isinstance(test, Known):
            return self.sym(node.body if test.value else node.orelse, state, source)
        return self.conditional(test.node, self.sym(node.body, state, source), self.sym(node.orelse, state, source),
                                node, source)

    def sym_Subscript(self, node, state, source):
        target = self.sym(node.value, state, source)
        index = self.sym(node.slice, state, source)
        if isinstance(target, Known) and isinstance(index, Known):
            try:
                return Known(target.value[index.value])
            except Exception as e:  # noqa: BLE001
                raise TranslationError("%s fails: %s" % (ast.unparse(node), e), node, source) from e
        return Expr(ast.Subscript(self.node(target, node, source), self.node(index, node, source), ast.Load()))

    def sym_Slice(self, node, state, source):
        parts = [self.sym(p, state, source) if p is not None else Known(None) for p in (node.lower, node.upper,
                                                                                         node.step)]
        if all(isinstance(p, Known) for p in parts):
            return Known(slice(*[p.value for p in parts]))
        return Expr(ast.Slice(*[None if p is None else self.node(self.sym(p, state, source), node, source)
                                for p in (node.lower, node.upper, node.step)]))

    def sym_Tuple(self, node, state, source):
        return self.display(node, state, source, tuple)

    def sym_List(self, node, state, source):
        value = self.display(node, state, source, list)
        if isinstance(value, Expr):
            return SymList([value.node])
        return value

    def display(self, node, state, source, kind):
        items = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                items.append(("star", self.sym(element.value, state, source)))
            else:
                items.append(("item", self.sym(element, state, source)))
        if all(isinstance(v, Known) for _, v in items):
            values = []
            for how, v in items:
                values.extend(v.value if how == "star" else [v.value])
            return Known(kind(values))
        nodes = [ast.Starred(self.node(v, node, source), ast.Load()) if how == "star" else self.node(v, node, source)
                 for how, v in items]
        return Expr(ast.Tuple(nodes, ast.Load()) if kind is tuple else ast.List(nodes, ast.Load()))

    def sym_Dict(self, node, state, source):
        if any(k is None for k in node.keys):
            raise TranslationError("a dict display with **", node, source)
        keys = [self.sym(k, state, source) for k in node.keys]
        values = [self.sym(v, state, source) for v in node.values]
        if all(isinstance(v, Known) for v in keys + values):
            return Known({k.value: v.value for k, v in zip(keys, values)})
        return SymDict([self.node(k, node, source) for k in keys], [self.node(v, node, source) for v in values])

    def sym_ListComp(self, node, state, source):
        return SymList([self.comprehension(node, state, source)])

    def sym_GeneratorExp(self, node, state, source):
        return Expr(self.comprehension(node, state, source, ast.ListComp))

    def sym_DictComp(self, node, state, source):
        inner = state.copy()
        generators = self.generators(node.generators, inner, source)
        return SymDict(comprehension=ast.DictComp(self.node(self.sym(node.key, inner, source), node, source),
                                                  self.node(self.sym(node.value, inner, source), node, source),
                                                  generators))

    def comprehension(self, node, state, source, kind=None):
        inner = state.copy()
        generators = self.generators(node.generators, inner, source)
        element = self.node(self.sym(node.elt, inner, source), node, source)
        return (kind or type(node))(element, generators)

    def generators(self, generators, inner, source):
        result = []
        for generator in generators:
            iterable = self.node(self.sym(generator.iter, inner, source), generator, source)
            for name in _target_names(generator.target):
                inner.env[name] = Expr(ast.Name(name, ast.Load()))
            conditions = [self.node(self.sym(c, inner, source), generator, source) for c in generator.ifs]
            result.append(ast.comprehension(generator.target, iterable, conditions, 0))
        return result

    def sym_JoinedStr(self, node, state, source):
        """An f-string, as `"layer" + str(i)` (the DSL has no f-strings)."""
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(Known(value.value))
            elif isinstance(value, ast.FormattedValue) and value.format_spec is None and value.conversion == -1:
                inner = self.sym(value.value, state, source)
                parts.append(Known(str(inner.value)) if isinstance(inner, Known) else Expr(ast.Call(
                    ast.Name("str", ast.Load()), [self.node(inner, node, source)], [])))
            else:
                raise TranslationError("an f-string with a format", node, source)
        result = parts[0] if parts else Known("")
        for part in parts[1:]:
            result = self.binary(ast.Add(), result, part, node, source)
        return result

    # --- values as expressions ---------------------------------------------------------------------------------

    def node(self, value, where, source):
        """A symbolic value as an expression of the parameters."""
        if isinstance(value, Expr):
            return value.node
        if isinstance(value, (SymList, SymDict)):
            return value.node()
        if isinstance(value, _Poisoned):
            raise TranslationError("%s, set in one branch of an if only" % value.name, where, source)
        try:
            return self.context.known_node(value.value)
        except pyexpr.Unrenderable as e:
            raise TranslationError("a value with no expression: %s" % e, where, source) from e

    def list_node(self, value, where, source):
        if isinstance(value, Known) and not isinstance(value.value, (list, tuple)):
            raise TranslationError("* of a %s" % type(value.value).__name__, where, source)
        return self.node(value, where, source)

    def wrap(self, node):
        return Expr(node)

    def note(self, text, node, source):
        self.notes.append("%s (%s:%d)" % (text, source.file, source.line_of(node)))


class _Poisoned(Sym):
    """A name bound on one path of an if only: reading it later is an error."""

    def __init__(self, name):
        self.name = name


def tensor_factories():
    """The torch functions that make a parameter's initial tensor."""
    import torch
    return (torch.zeros, torch.ones, torch.empty, torch.randn, torch.rand, torch.full)


def collections_ordered_dict():
    import collections
    return collections.OrderedDict


def _replace(state, other):
    state.env, state.fields, state.attributes = other.env, other.fields, other.attributes
    state.children, state.raised, state.returned = other.children, other.raised, other.returned


def _same_sym(a, b):
    if isinstance(a, Known) and isinstance(b, Known):
        return a.value is b.value or pyexpr.same_value(a.value, b.value)
    if isinstance(a, Expr) and isinstance(b, Expr):
        return same_node(a.node, b.node)
    if isinstance(a, SymList) and isinstance(b, SymList):
        return same_node(a.node(), b.node())
    if isinstance(a, SymDict) and isinstance(b, SymDict):
        return same_node(a.node(), b.node())
    return False


def _with_condition(generator, test):
    return ast.comprehension(generator.target, generator.iter, list(generator.ifs) + [test], 0)


def _target_names(target):
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _names_assigned_before_read(body):
    """Names a loop body assigns before reading them: its own locals, which may shadow outer names."""
    assigned = set()
    for statement in body:
        if isinstance(statement, ast.Assign) and all(isinstance(t, ast.Name) for t in statement.targets):
            read = {n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name)}
            assigned |= {t.id for t in statement.targets} - read
    return assigned


def _is_super_init(func, self_name):
    if not (isinstance(func, ast.Attribute) and func.attr == "__init__"):
        return False
    owner = func.value
    return (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super") or \
        isinstance(owner, (ast.Attribute, ast.Name))


def _container_base(cls):
    for base in cls.__mro__:
        if base in (nn.Sequential, nn.ModuleList, nn.ModuleDict):
            return base
    return None


def _callee_name(func):
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _statement_name(node):
    return {"While": "while", "With": "with", "Try": "try", "Delete": "del", "Global": "global",
            "FunctionDef": "nested def", "ClassDef": "nested class"}.get(type(node).__name__, type(node).__name__)


def _raised(node):
    if node.exc is None:
        return "raise"
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return ast.unparse(exc)


def _as_list(value):
    if isinstance(value, Known) and isinstance(value.value, (list, tuple)):
        return SymList([pyexpr.literal(list(value.value))] if value.value else [])
    return value


def _owner_of(cls, function):
    for base in cls.__mro__:
        if base.__dict__.get("__init__") is function:
            return base
    return cls


def _next_init(cls, owner):
    """The class whose __init__ `super().__init__` in `owner`'s __init__ runs."""
    mro = cls.__mro__
    start = mro.index(owner) + 1 if owner in mro else 1
    for base in mro[start:]:
        if "__init__" in base.__dict__:
            return base
    return None


def _without_self(call, self_name):
    args = [a for a in call.args if not (isinstance(a, ast.Name) and a.id == self_name)]
    return ast.Call(call.func, args, call.keywords)


def _without_defaults(cls, args, keywords):
    """A layer's arguments without those that are literally its defaults (conv3x3's `groups=1, dilation=1`)."""
    try:
        parameters = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        return args, keywords

    def is_default(parameter, node):
        if parameter.default is inspect.Parameter.empty:
            return False
        try:
            value = ast.literal_eval(node)
        except ValueError:
            return False
        return pyexpr.same_value(value, parameter.default)

    by_name = {p.name: p for p in parameters}
    keywords = [k for k in keywords if not (k.arg in by_name and is_default(by_name[k.arg], k.value))]
    args = list(args)
    while args and len(args) <= len(parameters) and not isinstance(args[-1], ast.Starred) \
            and is_default(parameters[len(args) - 1], args[-1]):
        args.pop()
    return args, keywords


def _is_torch(function):
    """Whether `function` is PyTorch's own (torch.*), which the port never inlines; torchvision's helpers are code
    like the user's."""
    module = getattr(function, "__module__", "") or ""
    return module == "torch" or module.startswith("torch.")
