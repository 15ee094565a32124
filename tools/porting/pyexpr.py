"""Python expressions as the generated Java holds them: values written as literals, and long expressions broken
over lines the way a person would lay them out in an @Init text block."""
import ast
import inspect
import math
import re

WIDTH = 112  # columns an expression may use inside a Java text block indented by 8


class Unrenderable(Exception):
    """A value that has no Python literal ShapeProof's expression language reads (a function, an object)."""


def literal(value):
    """`value` as an expression: numbers, strings, None, booleans, and tuples, lists and dicts of them."""
    if value is None or isinstance(value, (bool, int, str)):
        return ast.Constant(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise Unrenderable("the float %r" % value)
        return ast.Constant(value)
    if isinstance(value, tuple):
        return ast.Tuple([literal(v) for v in value], ast.Load())
    if isinstance(value, list):
        return ast.List([literal(v) for v in value], ast.Load())
    if isinstance(value, dict):
        return ast.Dict([literal(k) for k in value], [literal(v) for v in value.values()])
    raise Unrenderable("a %s (%r)" % (type(value).__name__, value))


def is_record(value):
    """A plain object holding only literals and classes, such as torchvision's InvertedResidualConfig: the port passes
    it as the dict of its attributes, since the DSL has no classes of its own."""
    if inspect.isclass(value) or callable(value) or isinstance(value, (list, tuple, dict, str, int, float, bool)) \
            or value is None or not hasattr(value, "__dict__") or not vars(value):
        return False
    return all(is_literal_value(v) or inspect.isclass(v) for v in vars(value).values())


def record(value):
    """The dict a record is passed as: its attributes in the order its constructor set them."""
    return dict(vars(value))


def is_literal_value(value):
    try:
        literal(value)
        return True
    except Unrenderable:
        return False


def source(node):
    """`node` as Python source, strings in double quotes as PyTorch's own code writes them."""
    return double_quoted(ast.unparse(node))


SINGLE_QUOTED = re.compile(r"'([^'\"\\\n]*)'")
DOUBLE_QUOTED = re.compile(r'"([^\'"\\\n]*)"')


def double_quoted(text):
    """ast.unparse writes 'conv0'; PyTorch's sources (black) write "conv0"."""
    return SINGLE_QUOTED.sub(r'"\1"', text)


def single_quoted(text):
    """Python strings in single quotes, for code inside a one-line Java string literal."""
    return DOUBLE_QUOTED.sub(r"'\1'", text)


def call(callee, args=(), keywords=()):
    """`callee(args..., name=value...)`; `callee` is a dotted name or an expression."""
    func = dotted(callee) if isinstance(callee, str) else callee
    return ast.Call(func, list(args), [ast.keyword(name, value) for name, value in keywords])


def dotted(name):
    parts = name.split(".")
    node = ast.Name(parts[0], ast.Load())
    for part in parts[1:]:
        node = ast.Attribute(node, part, ast.Load())
    return node


def same_value(a, b):
    """Python equality that tells True from 1 and a list from a tuple only by their items (as PyTorch's
    constructors do: kernel_size=3 and (3, 3) differ, but [12, 24] and (12, 24) do not)."""
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same_value(a[k], b[k]) for k in a)
    try:
        return type(a) is type(b) and a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                                 and not isinstance(a, bool) and a == b)
    except Exception:  # noqa: BLE001 - objects whose == is not a bool (tensors)
        return a is b


# ------------------------------------------------------------------------------------------------------ layout

def layout(node, width=WIDTH):
    """`node` as lines of at most `width` columns where it can be broken, as a person would: a call's arguments
    continue under its first one; a container of blocks, an OrderedDict's pairs and long lists put one item on each
    line, indented by four; `+` chains break before the `+`."""
    lines = [double_quoted(line) for line in _layout(node, 0, width)]
    if not _same_code("\n".join(lines), node):
        return [source(node)]  # a layout that would change the meaning is never written: one line instead
    return lines


def _same_code(text, node):
    try:
        return ast.dump(ast.parse("(" + text + "\n)", mode="eval").body) == ast.dump(
            ast.parse(ast.unparse(node), mode="eval").body)
    except SyntaxError:
        return False


def _layout(node, indent, width):
    if isinstance(node, _Parenthesized):
        if isinstance(node.value, ast.BinOp) and not isinstance(node.value.op, ast.Add):
            return ["(" + ast.unparse(node.value) + ")"]
        inner = _layout(node.value, indent + 1, width - 1)
        return ["(" + inner[0]] + [" " + line for line in inner[1:-1]] + (
            [" " + inner[-1] + ")"] if len(inner) > 1 else []) if len(inner) > 1 else ["(" + inner[0] + ")"]
    text = ast.unparse(node)
    if indent + len(text) <= width or "\n" in text:
        return [text]
    if isinstance(node, ast.Call) and (node.args or node.keywords):
        head = ast.unparse(node.func) + "("
        items = [("*" if isinstance(a, ast.Starred) else "", _parenthesized(a.value) if isinstance(a, ast.Starred)
                  else a) for a in node.args] + [((k.arg + "=") if k.arg else "**", k.value) for k in node.keywords]
        pairs = _ordered_dict_pairs(node)
        if pairs is not None:
            return _pairs(head + "OrderedDict([", pairs, "]))", indent, width)
        if not _holds_blocks(node):
            hanging = _hanging(head, items, ")", indent, width)
            if hanging is not None:
                return hanging
        return _bracketed(head, [_prefixed(p, v, indent + 4, width - 2) for p, v in items], ")", indent, width)
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        opening, closing = ("[", "]") if isinstance(node, ast.List) else ("(", ",)" if len(node.elts) == 1 else ")")
        hanging = _hanging(opening, [("", e) for e in node.elts], closing, indent, width)
        if hanging is not None:
            return hanging
        items = [_prefixed("", e, indent + 4, width - 2) for e in node.elts]
        return _bracketed(opening, items, closing, indent, width)
    if isinstance(node, ast.Dict) and node.keys:
        hanging = _hanging("{", [(ast.unparse(k) + ": ", v) for k, v in zip(node.keys, node.values)], "}", indent,
                           width)
        if hanging is not None:
            return hanging
        items = [_prefixed(ast.unparse(k) + ": ", v, indent + 4, width - 2) for k, v in zip(node.keys, node.values)]
        return _bracketed("{", items, "}", indent, width)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        operands = [_parenthesized(o) for o in _flatten_sum(node)]
        lines = _layout(operands[0], indent, width)
        for operand in operands[1:]:
            part = _layout(operand, indent + 2, width)
            lines += ["+ " + part[0]] + ["  " + line for line in part[1:]]
        return lines
    if isinstance(node, ast.Compare):
        # arithmetic binds tighter than a comparison: only weaker operands need parentheses
        operand = lambda o: o if isinstance(o, (ast.BinOp, ast.UnaryOp)) else _parenthesized(o)  # noqa: E731
        lines = _layout(operand(node.left), indent, width)
        for op, comparator in zip(node.ops, node.comparators):
            operator = ast.unparse(ast.Compare(ast.Name("a"), [op], [ast.Name("b")]))[2:-2]
            lines += _prefixed(operator + " ", operand(comparator), indent, width)
        return lines
    if isinstance(node, ast.IfExp):
        body = _layout(_parenthesized(node.body) if isinstance(node.body, ast.IfExp) else node.body, indent, width)
        orelse = _parenthesized(node.orelse) if isinstance(node.orelse, ast.Lambda) else node.orelse
        tail = "if %s else %s" % (ast.unparse(node.test), ast.unparse(orelse))
        if indent + len(tail) <= width:
            return body + [tail]
        return body + _prefixed("if ", node.test, indent, width) + _prefixed("else ", orelse, indent, width)
    if isinstance(node, (ast.ListComp, ast.DictComp)):
        opening, closing = ("{", "}") if isinstance(node, ast.DictComp) else ("[", "]")
        if isinstance(node, ast.DictComp):
            key = ast.unparse(node.key) + ": "
            element = _prefixed(key, node.value, indent + 1, width)
        else:
            element = _layout(node.elt, indent + 1, width)
        clauses = [ast.unparse(ast.ListComp(ast.Name("_"), [g])).strip("[]")[2:] for g in node.generators]
        lines = [opening + element[0]] + [" " + line for line in element[1:]]
        return lines + [" " + clause for clause in clauses[:-1]] + [" " + clauses[-1] + closing]
    return [text]


class _Parenthesized(ast.expr):
    """An operand printed in parentheses where its precedence needs them (`*(a + b)`, `(x if c else []) + y`)."""
    _fields = ("value",)


def _parenthesized(node):
    if isinstance(node, (ast.IfExp, ast.BoolOp, ast.Compare, ast.Lambda, ast.NamedExpr, ast.BinOp)) or (
            isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
        return _Parenthesized(node)
    return node


def _holds_blocks(node):
    """A container call of blocks or other containers, which reads best one entry per line."""
    if ast.unparse(node.func).split(".")[-1] not in ("Sequential", "ModuleList", "ModuleDict"):
        return False
    return any(isinstance(a, ast.Call) and not _is_layer_call(a) for a in node.args)


def _is_layer_call(node):
    func = node.func
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "nn" and \
        func.attr not in ("Sequential", "ModuleList", "ModuleDict")


def _ordered_dict_pairs(node):
    """The (name, module) pairs of `nn.Sequential(OrderedDict([...]))`, or None."""
    if ast.unparse(node.func).split(".")[-1] != "Sequential" or len(node.args) != 1 or node.keywords:
        return None
    inner = node.args[0]
    if not (isinstance(inner, ast.Call) and ast.unparse(inner.func) == "OrderedDict" and len(inner.args) == 1
            and isinstance(inner.args[0], ast.List)):
        return None
    pairs = inner.args[0].elts
    if not all(isinstance(p, ast.Tuple) and len(p.elts) == 2 for p in pairs):
        return None
    return [(p.elts[0], p.elts[1]) for p in pairs]


def _pairs(opening, pairs, closing, indent, width):
    lines = [opening]
    for key, value in pairs:
        part = _prefixed("(" + ast.unparse(key) + ", ", value, indent + 4, width - 2)
        lines += ["    " + line for line in part]
        lines[-1] += "),"
    lines.append(closing)
    return lines


def _prefixed(prefix, value, indent, width):
    """`prefix` then `value` laid out after it; lines are relative to the column where `prefix` starts."""
    lines = _layout(value, indent + len(prefix), width)
    pad = " " * len(prefix)
    return [prefix + lines[0]] + [pad + line for line in lines[1:]]


def _hanging(head, items, closing, indent, width):
    """`head(a, b,` then the rest aligned under `a`, as long as every line fits; None when it does not."""
    column = indent + len(head)
    if column > width // 2:
        return None
    pad = " " * len(head)
    lines, current = [], head
    for index, (prefix, value) in enumerate(items):
        ending = closing if index == len(items) - 1 else ","
        part = _prefixed(prefix, value, column, width - len(ending))
        if len(part) == 1:
            fits = indent + len(current) + (0 if current == head else 1) + len(part[0]) + len(ending) <= width
            if fits:
                current += ("" if current == head else " ") + part[0] + ending
                continue
            if current == head:
                return None
            lines.append(current)
            current = pad + part[0] + ending
            if indent + len(current) > width:
                return None
            continue
        if current != head:
            lines.append(current)
            current = pad
        lines.append(current + part[0])
        lines += [pad + line for line in part[1:-1]]
        current = pad + part[-1] + ending
    lines.append(current)
    return lines if all(indent + len(line) <= width for line in lines) else None


def _bracketed(opening, items, closing, indent, width):
    """`opening` item, item closing: each item on its own lines, indented by four."""
    lines = [opening]
    for i, item in enumerate(items):
        last = i == len(items) - 1
        item = list(item)
        item[-1] += closing if last else ","
        lines += ["    " + line for line in item]
    return lines


def _flatten_sum(node):
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _flatten_sum(node.left) + [node.right]
    return [node]
