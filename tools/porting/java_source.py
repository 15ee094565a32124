"""The Java files of a port: one per block class and one for the model, laid out as the hand-written ports are
(examples/src/main/java/dev/shapeproof/examples/torchvision/): fields aligned on one line each where they fit,
long module expressions in text blocks broken the way a person breaks Python, the forward text as PyTorch wrote it."""
import ast
import functools
import os

from . import pyexpr

MAX_LINE = 120
ANNOTATIONS = "dev.shapeproof"
RUNTIME = "dev.shapeproof.nn"


def write(plan, package, out_directory, input_shape, command):
    """Writes every class of `plan` under `out_directory`; returns the paths written, in order."""
    directory = os.path.join(out_directory, *package.split("."))
    os.makedirs(directory, exist_ok=True)
    written = []
    for java in plan.java_classes():
        text = class_source(java, package, input_shape, command, plan)
        path = os.path.join(directory, java.java_name + ".java")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        written.append(path)
    return written


def class_source(java, package, input_shape, command, plan):
    body = _fields(java)
    constants = ["    static final %s %s = %s;" % (_java_type(v), k, _java_literal(v)) for k, v in
                 sorted(java.constants.items())]
    if constants and body:
        constants.append("")
    annotation = _model_annotation(java, input_shape) if java.kind == "model" else _block_annotation(java)
    imports = _imports(java, plan)
    extends = "" if java.kind == "model" else " extends " + java.base
    lines = ["package %s;" % package, ""]
    lines += ["import %s;" % i for i in imports] + [""]
    lines += _javadoc(java, command, plan)
    lines += annotation
    lines.append("public abstract class %s%s {" % (java.java_name, extends) if body or constants else
                 "public abstract class %s%s {}" % (java.java_name, extends))
    if body or constants:
        lines += constants + body + ["}"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------- annotations

def _model_annotation(java, input_shape):
    shape = ", ".join(str(n) for n in input_shape)
    if _input_name(java) == "x":
        head = "@Model(input = {%s}" % shape
    else:  # `def forward(self, input)`: the input keeps PyTorch's name, which `input` alone cannot give it
        head = '@Model(inputs = @Input(name = "%s", shape = {%s})' % (_input_name(java), shape)
    if java.forward is None or java.forward.text is None:
        return [head + ")"]
    return _flow(head + ", ", [("forward", java.forward.text)])


def _input_name(java):
    return java.forward.input_name() if java.forward is not None else "x"


def _block_annotation(java):
    attributes = []
    if java.params:
        attributes.append(("params", _params_text(java.params)))
    if java.pytorch_name != java.java_name:
        attributes.append(("pytorchName", java.pytorch_name))
    if java.init:
        attributes.append(("init", "".join(line + "\n" for name, node in java.init
                                           for line in _assignment(name, node))))
    if java.children is not None:
        attributes.append(("children", "\n".join(_children_layout(java.children))))
    if java.forward is not None and java.forward.text is not None:
        attributes.append(("forward", java.forward.text))
    if not attributes:
        return ["@Block"]
    return _flow("@Block(", attributes)


def _assignment(name, node):
    """`name = value` of an init text, in parentheses where the value takes several lines."""
    prefix = name + " = "
    lines = pyexpr.layout(node, MAX_LINE - 8 - len(prefix) - 2)
    if len(lines) == 1:
        return [prefix + lines[0]]
    pad = " " * (len(prefix) + 1)
    return [prefix + "(" + lines[0]] + [pad + line for line in lines[1:-1]] + [pad + lines[-1] + ")"]


def _children_layout(children):
    """The children's lines, indented by 8 in the text block; the last one is followed by the text block's end and
    a parenthesis or comma, so it must leave room for those four characters."""
    lines = pyexpr.layout(children, MAX_LINE - 8)
    if 8 + len(lines[-1]) + 4 > MAX_LINE:
        lines = pyexpr.layout(children, MAX_LINE - 12)
    return lines


def _flow(opening, attributes):
    """`opening name = value, name = value)`: attributes flow on as few lines as fit; a value with several lines
    (or the forward) is a text block."""
    lines, line = [], opening
    for index, (name, value) in enumerate(attributes):
        ending = ")" if index == len(attributes) - 1 else ", "
        block = "\n" in value or name == "forward" or len(name) + len(_string(value)) + 12 > MAX_LINE
        token = name + " = " + ('"""' if block else _string(pyexpr.single_quoted(value)))
        if line.strip() and len(line) + len(token) + len(ending.rstrip()) > MAX_LINE:
            lines.append(line.rstrip())
            line = " " * 8
        line += token
        if block:
            lines.append(line)
            content = _text_block_lines(value.rstrip("\n").split("\n"), 8)
            if value.endswith("\n"):
                lines += content
                line = " " * 8 + '"""'
            else:
                lines += content[:-1]
                line = content[-1] + '"""'
        line += ending
    lines.append(line.rstrip())
    return lines


def _params_text(params):
    parts = []
    for param in params:
        text = param.name
        if param.annotation:
            text += ": " + param.annotation
        if param.has_default:
            text += " = " + param.default_source
        parts.append(text)
    text = ", ".join(parts)
    if len(text) <= MAX_LINE - 30:
        return text
    lines, line = [], ""
    for part in parts:
        candidate = part if not line else line + ", " + part
        if len(candidate) > MAX_LINE - 10 and line:
            lines.append(line + ",")
            line = part
        else:
            line = candidate
    return "\n".join(lines + [line])


# -------------------------------------------------------------------------------------------------------- fields

def _fields(java):
    """One line per field, annotations aligned, where it fits in MAX_LINE; a field that does not fit has its
    annotation on a line of its own (a text block where the expression needs several lines)."""
    singles = {}
    for field in java.fields:
        lines = pyexpr.layout(field.node, MAX_LINE - 16)
        if len(lines) == 1:
            singles[field.name] = '@Init(%s)' % _string(pyexpr.single_quoted(lines[0]))
    aligned = dict(singles)
    while aligned:
        width = max(len(a) for a in aligned.values())
        too_long = [f.name for f in java.fields if f.name in aligned
                    and 4 + width + len(f.java_type) + len(f.name) + 3 > MAX_LINE]
        if not too_long:
            break
        longest = max(aligned, key=lambda name: len(aligned[name]))
        del aligned[longest]
    width = max((len(a) for a in aligned.values()), default=0)
    lines = []
    for field in java.fields:
        if field.name in aligned:
            lines.append("    %s %s %s;" % (aligned[field.name].ljust(width), field.java_type, field.name))
            continue
        if field.name in singles and 4 + len(singles[field.name]) <= MAX_LINE:
            lines.append("    " + singles[field.name])
        else:
            lines.append('    @Init("""')
            lines += _text_block_lines(pyexpr.layout(field.node, MAX_LINE - 12), 12)
            lines[-1] += '""")'
        lines.append("    %s %s;" % (field.java_type, field.name))
    return lines


# -------------------------------------------------------------------------------------------------------- javadoc

def _javadoc(java, command, plan):
    if java.kind == "model":
        text = ["PyTorch's {@code %s}, built as {@code %s}, ported by tools/port_model.py; its state_dict keys and "
                "torchsummary rows are PyTorch's." % (java.qualified_name, _escape_javadoc(plan.loaded.description))]
        if command:
            text.append("<p>Regenerate and check with {@code %s}." % _escape_javadoc(command))
    else:
        text = ["PyTorch's {@code %s}%s." % (java.qualified_name, _where(java))]
        if java.mode == "concrete":
            text.append("<p>Written with this model's modules rather than from {@code __init__}: %s."
                        % _escape_javadoc(java.concrete_reason or "").rstrip("."))
        else:
            if java.dropped:
                shown = ", ".join("{@code %s=%s}" % (k, _escape_javadoc(_describe_value(v)))
                                  for k, v in java.dropped.items())
                text.append("<p>Written in, being the same in every use in this model: %s." % shown)
            if java.unused:
                text.append("<p>Left out, as no module needs %s: %s." % (
                    "it" if len(java.unused) == 1 else "them", ", ".join("{@code %s}" % n for n in java.unused)))
    return _comment(" ".join(text))


def _where(java):
    import inspect
    try:
        file = inspect.getsourcefile(java.pytorch_class)
        line = inspect.getsourcelines(java.pytorch_class)[1]
    except (TypeError, OSError):
        return ""
    return " ({@code %s:%d})" % (_short_path(file), line)


def _short_path(path):
    parts = path.replace("\\", "/").split("/")
    for anchor in ("site-packages", "dist-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1:])
    return os.path.basename(path)


def _describe_value(value):
    """A written-in argument as a reader knows it: nn.BatchNorm2d, partial(nn.LayerNorm, eps=1e-06), 0.2."""
    if isinstance(value, type):
        return ("nn." if value.__module__.startswith("torch.nn") else "") + value.__name__
    if isinstance(value, functools.partial):
        return "partial(%s)" % ", ".join([_describe_value(value.func)] + [_describe_value(a) for a in value.args]
                                         + ["%s=%s" % (k, _describe_value(v)) for k, v in value.keywords.items()])
    try:
        return ast.unparse(pyexpr.literal(value))
    except pyexpr.Unrenderable:
        return type(value).__name__


def _comment(text):
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if word.startswith("<p>") and line:
            lines.append(line)
            lines.append("")
            line = word
            continue
        candidate = word if not line else line + " " + word
        if len(candidate) > MAX_LINE - 3 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    if len(lines) == 1 and len(lines[0]) <= MAX_LINE - 7:
        return ["/** %s */" % lines[0]]
    return ["/**"] + [(" * " + l).rstrip() for l in lines] + [" */"]


def _escape_javadoc(text):
    return text.replace("*/", "*&#47;").replace("@", "&#64;").replace("{", "&#123;").replace("}", "&#125;")


# --------------------------------------------------------------------------------------------------------- pieces

def _imports(java, plan):
    names = set()
    if java.kind == "model":
        names.add(ANNOTATIONS + ".Model")
        if _input_name(java) != "x":
            names.add(ANNOTATIONS + ".Input")
    else:
        names.add(ANNOTATIONS + ".Block")
        names.add(RUNTIME + "." + java.base)
    if java.fields:
        names.add(ANNOTATIONS + ".Init")
    own = {j.java_name for j in plan.java_classes()}
    for field in java.fields:
        if field.java_type not in own:
            names.add(RUNTIME + "." + field.java_type)
    return sorted(names)


def _string(text):
    """A Java string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text_block_lines(lines, indent):
    """Lines of a text block's content, indented, escaped where Java needs it."""
    result = []
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace('"""', '\\"""')
        result.append((" " * indent + escaped) if escaped.strip() else "")
    return result


def _java_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    return "String"


def _java_literal(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return _string(str(value))
