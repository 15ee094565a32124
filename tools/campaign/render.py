"""Renders a spec (gen.py) as the forward DSL text and as the Java source of a @Model class."""

NAMESPACE_PREFIX = {"": "", "F": "F.", "torch": "torch.", "nn.functional": "nn.functional.",
                    "torch.nn.functional": "torch.nn.functional."}


def expr(e):
    kind = e[0]
    if kind == "var":
        return e[1]
    if kind == "lit":
        return e[1]
    if kind == "mod":
        _, field, arg, self_style = e
        args = arg if isinstance(arg, list) else [arg]
        return ("self." if self_style else "") + field + "(" + ", ".join(expr(a) for a in args) + ")"
    if kind == "fn":
        _, name, ns, args, kwargs = e
        parts = [expr(a) for a in args] + ["%s=%s" % (k, expr(v)) for k, v in kwargs]
        return NAMESPACE_PREFIX[ns] + name + "(" + ", ".join(parts) + ")"
    if kind == "add":
        left = expr(e[1])
        right = expr(e[2])
        if e[2][0] == "add":
            right = "(" + right + ")"
        return left + " + " + right
    if kind == "bin":
        _, op, a, b = e
        return " ".join([paren(a), op, paren(b)])
    if kind == "neg":
        inner = expr(e[1])
        return "-" + ("(" + inner + ")" if e[1][0] in ("add", "bin") else inner)
    if kind == "meth":
        _, obj, method, args = e
        target = expr(obj)
        if obj[0] in ("add", "neg", "bin"):
            target = "(" + target + ")"
        return target + "." + method + "(" + ", ".join(expr(a) for a in args) + ")"
    if kind == "list":
        return "[" + ", ".join(expr(x) for x in e[1]) + "]"
    raise ValueError("unknown expression " + repr(e))


def paren(e):
    """An operand of a binary operator: compound ones in parentheses, so the text needs no precedence rules."""
    return "(" + expr(e) + ")" if e[0] in ("add", "bin", "neg") else expr(e)


def statement(s):
    if s[0] == "assign":
        return "%s = %s" % (s[1], expr(s[2]))
    if s[0] == "assign_list":
        return "%s = %s" % (", ".join(s[1]), expr(s[2]))
    if s[0] == "augadd":
        return "%s += %s" % (s[1], expr(s[2]))
    if s[0] == "return":
        return "return " + ", ".join(expr(v) for v in s[1])
    raise ValueError("unknown statement " + repr(s))


def dsl_text(stmts):
    return "\n".join(statement(s) for s in stmts) + "\n"


def java_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        text = repr(v)
        return text if ("." in text or "e" in text or "inf" in text) else text + ".0"
    if isinstance(v, list):
        return "{" + ", ".join(java_value(x) for x in v) + "}"
    if isinstance(v, str):
        return v if v.startswith("Padding.") else '"' + v + '"'
    raise ValueError("no Java literal for " + repr(v))


def java_source(spec, package, class_name="Net"):
    lines = ["package %s;" % package, "", "import dev.shapeproof.*;", "import dev.shapeproof.nn.*;", ""]
    if spec.get("suppress"):
        lines.append("@SuppressWarnings({%s})" % ", ".join('"%s"' % s for s in spec["suppress"]))
    inputs = spec["inputs"]
    if len(inputs) == 1 and inputs[0][0] == "x":
        head = "@Model(input = %s" % java_value(inputs[0][1])
    else:
        head = "@Model(inputs = {%s}" % ", ".join(
            '@Input(name = "%s", shape = %s)' % (name, java_value(shape)) for name, shape in inputs)
    if spec["kind"] == "graph":
        text = dsl_text(spec["stmts"])
        lines.append(head + ', forward = """')
        for line in text.splitlines():
            lines.append("        " + line.replace("\\", "\\\\"))
        lines.append('        """)')
    else:
        lines.append(head + ")")
    lines.append("public abstract class %s {" % class_name)
    for f in spec["fields"]:
        attrs = ", ".join("%s = %s" % (k, java_value(v)) for k, v in f["attrs"].items())
        annotation = f.get("annotation", f["type"])
        lines.append("    @%s%s %sLayer %s;" % (annotation, "(" + attrs + ")" if attrs else "", f["type"], f["name"]))
    lines.append("}")
    return "\n".join(lines) + "\n"
