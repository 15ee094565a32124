"""The report of a port, as JSON (for tools) and Markdown (for people): what was ported and how each class was
written, what could not be ported with the PyTorch line that uses it, the check's figures, and the command that
checks the port again."""
import functools
import json
import os


def as_dict(outcome):
    plan = outcome.plan
    classes = []
    for java in (plan.java_classes() if plan is not None else []):
        classes.append({
            "java": java.java_name, "pytorch": java.qualified_name, "kind": java.kind, "mode": java.mode,
            "instances": len(java.instances), "params": [p.name for p in java.params],
            "written_in": {k: _plain(v) for k, v in java.dropped.items()},
            "unused": java.unused,
            "written_with_model_modules_because": java.concrete_reason,
            "notes": java.notes + (java.forward.notes if java.forward is not None else [])})
    check = outcome.check
    return {
        "model": outcome.description,
        "pytorch_class": outcome.qualified_name,
        "ported": outcome.ported,
        "verified": bool(check is not None and check.passed),
        "command": outcome.command,
        "check_command": outcome.check_command,
        "input": list(outcome.input_shape),
        "java_package": outcome.package,
        "java_files": [os.path.relpath(f) for f in outcome.files],
        "weights": outcome.weights,
        "classes": classes,
        "problems": [{"kind": p.kind, "what": p.what, "reason": p.reason, "where": p.where, "file": p.file,
                      "line": p.line, "code": p.code} for p in outcome.problems],
        "notes": plan.notes if plan is not None else [],
        "check": None if check is None else {
            "passed": check.passed, "compiled": check.compiled, "error": check.error,
            "max_error": check.max_error, "outputs": check.outputs, "state_dict": check.state_dict,
            "summary": check.summary, "diagnostics": check.diagnostics, "seconds": check.seconds},
        "seconds": outcome.seconds,
    }


def write(outcome, path_without_extension):
    data = as_dict(outcome)
    directory = os.path.dirname(os.path.abspath(path_without_extension))
    os.makedirs(directory, exist_ok=True)
    with open(path_without_extension + ".json", "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    with open(path_without_extension + ".md", "w", encoding="utf-8") as f:
        f.write(markdown(data))
    return path_without_extension + ".md", path_without_extension + ".json"


def markdown(data):
    lines = ["# Port of `%s`" % data["model"], ""]
    if not data["ported"]:
        lines += ["**Not ported**: %d construct%s ShapeProof cannot express yet; no Java was written." % (
            len(data["problems"]), "" if len(data["problems"]) == 1 else "s"), ""]
    elif data["check"] is None:
        lines += ["**Ported**, not checked (`--no-check`).", ""]
    elif data["verified"]:
        lines += ["**Ported and checked**: the generated forward matches PyTorch's within %s (max error %s)." % (
            _bound(data["check"]), _number(data["check"]["max_error"])), ""]
    else:
        lines += ["**Ported, but the check failed**: %s." % (data["check"]["error"] or _failure(data["check"])), ""]
    lines += ["| | |", "| --- | --- |",
              "| PyTorch class | `%s` |" % data["pytorch_class"],
              "| input | %s |" % " × ".join(str(n) for n in data["input"]),
              "| Java package | `%s` |" % data["java_package"]]
    if data["weights"]:
        lines.append("| weights | `%s` |" % data["weights"])
    lines.append("| command | `%s` |" % data["command"])
    if data["ported"]:
        lines.append("| check again | `%s` |" % data["check_command"])
    lines.append("")
    if data["problems"]:
        lines += ["## What could not be ported", "", "| what | why | where | PyTorch source |",
                  "| --- | --- | --- | --- |"]
        for p in data["problems"]:
            where = "%s:%s" % (p["file"], p["line"]) if p["file"] and p["line"] else "(unknown)"
            lines.append("| `%s` | %s | %s, %s | `%s` |" % (p["what"], p["reason"], p["where"], where,
                                                          (p["code"] or "").replace("|", "\\|")))
        lines.append("")
    if data["classes"]:
        lines += ["## Java classes" if data["ported"] else "## The Java classes it would write", "",
                  "| Java | PyTorch | instances | written | parameters |",
                  "| --- | --- | ---: | --- | --- |"]
        for c in data["classes"]:
            how = "from `__init__`" if c["mode"] == "generic" else "with this model's modules"
            lines.append("| `%s` | `%s` | %d | %s | %s |" % (c["java"], c["pytorch"], c["instances"], how,
                                                            ", ".join(c["params"]) or "—"))
        lines.append("")
        details = [c for c in data["classes"] if c["notes"] or c["written_in"] or c["unused"] or
                   c["written_with_model_modules_because"]]
        if details:
            lines += ["### How each class was written", ""]
            for c in details:
                lines.append("- `%s`:" % c["java"])
                if c["written_with_model_modules_because"]:
                    lines.append("  - written with this model's modules: %s" % c["written_with_model_modules_because"])
                if c["written_in"]:
                    lines.append("  - arguments the same in every use, written in: " + ", ".join(
                        "`%s=%s`" % kv for kv in c["written_in"].items()))
                if c["unused"]:
                    lines.append("  - arguments no module needs, left out: " + ", ".join(
                        "`%s`" % n for n in c["unused"]))
                for note in c["notes"]:
                    lines.append("  - " + note)
            lines.append("")
    check = data["check"]
    if check is not None:
        lines += ["## Check", ""]
        if not check["compiled"]:
            lines += ["javac with ShapeProof's processor rejected the port:", "", "```"]
            for d in check["diagnostics"]:
                lines.append("%s:%d: %s: %s" % (d["file"], d["line"], d["kind"], d["message"]))
                lines += d["detail"]
                if d["pytorch"]:
                    lines.append("    PyTorch source: " + d["pytorch"])
            lines += ["```", ""]
        else:
            lines += ["| output | shape | max error | bound | within |", "| --- | --- | ---: | ---: | --- |"]
            for o in check["outputs"]:
                lines.append("| %s | %s | %s | %s | %s |" % (o["name"], "×".join(str(n) for n in o["shape"]),
                                                            _number(o.get("max_error")), _number(o.get("bound")),
                                                            "yes" if o["within"] else "**no**"))
            lines += ["", "- state_dict: %s" % check["state_dict"], "- summary: %s" % check["summary"]]
            if check["error"]:
                lines.append("- error: %s" % check["error"])
            lines.append("")
        lines.append("Times (s): " + ", ".join("%s %s" % kv for kv in check["seconds"].items()))
        lines.append("")
    if data["seconds"]:
        lines += ["Tool run time (s): " + ", ".join("%s %s" % kv for kv in data["seconds"].items()), ""]
    return "\n".join(lines)


def _bound(check):
    bounds = [o.get("bound") for o in check["outputs"] if o.get("bound") is not None]
    return "1e-5 · max(1, max |expected|) = %s" % _number(max(bounds)) if bounds else "the bound"


def _failure(check):
    if check["state_dict"] != "equal":
        return "state_dict " + str(check["state_dict"])
    failed = [o for o in check["outputs"] if not o["within"]]
    if failed:
        return "output %s: max error %s over the bound %s" % (failed[0]["name"], _number(failed[0].get(
            "max_error")), _number(failed[0].get("bound")))
    return "summary " + str(check["summary"])


def _number(value):
    return "—" if value is None else "%.3g" % value


def _plain(value):
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    if isinstance(value, type):
        return ("nn." if value.__module__.startswith("torch.nn") else value.__module__ + ".") + value.__qualname__
    if isinstance(value, functools.partial):
        shown = lambda v: _plain(v) if isinstance(v, (type, functools.partial)) else repr(v)  # noqa: E731
        return "partial(%s)" % ", ".join([_plain(value.func)] + [shown(a) for a in value.args]
                                         + ["%s=%s" % (k, shown(v)) for k, v in value.keywords.items()])
    return repr(value)
