"""Checking a port: javac with ShapeProof's processor on the written sources, the generated model run on ND4J
(java/PortCheck.java) with the written weights on the reference input, and its outputs, state_dict and summary
compared with PyTorch's."""
import dataclasses
import os
import re
import shutil
import sys
import time

import numpy as np

from . import javaenv

sys.path.insert(0, os.path.join(javaenv.ROOT, "tools", "summary"))
import torchsummary151  # noqa: E402

RELATIVE_TOLERANCE = 1e-5  # the golden tests' bound: 1e-5 · max(1, max |expected|)


@dataclasses.dataclass
class Check:
    compiled: bool = False
    diagnostics: list = dataclasses.field(default_factory=list)  # javac's messages, each with its PyTorch line
    outputs: list = dataclasses.field(default_factory=list)      # per output: name, shape, max error, bound
    state_dict: str = None
    summary: str = None
    summary_matches: bool = False
    seconds: dict = dataclasses.field(default_factory=dict)
    error: str = None

    @property
    def max_error(self):
        errors = [o["max_error"] for o in self.outputs if o.get("max_error") is not None]
        return max(errors) if errors else None

    @property
    def passed(self):
        return self.compiled and self.error is None and bool(self.outputs) and all(
            o["within"] for o in self.outputs) and self.state_dict == "equal" and self.summary_matches


def check(java, plan, sources, package, weights, reference, input_shape, work):
    """Compiles `sources`, runs the model named `package`.`plan.model_name`Model, and compares. Never raises for a
    port that fails: the Check says how."""
    result = Check()
    if os.path.exists(work):
        shutil.rmtree(work)
    classes, generated = os.path.join(work, "classes"), os.path.join(work, "generated")
    os.makedirs(classes)
    os.makedirs(generated)
    started = time.time()
    try:
        java.javac(sources, classes, generated=generated)
        result.compiled = True
    except javaenv.CompileError as e:
        result.diagnostics = _diagnostics(e.output, plan)
        result.error = "javac rejected the port (%d error%s)" % (
            len([d for d in result.diagnostics if d["kind"] == "error"]),
            "" if len([d for d in result.diagnostics if d["kind"] == "error"]) == 1 else "s")
        return result
    finally:
        result.seconds["javac"] = round(time.time() - started, 1)

    inputs = os.path.join(work, "inputs.npz")
    np.savez(inputs, **{plan.root.forward.input_name(): reference.input})
    files = {name: os.path.join(work, name) for name in ("outputs.npz", "state_dict.txt", "summary.txt")}
    started = time.time()
    try:
        java.java("PortCheck", ["%s.%sModel" % (package, plan.model_name), os.path.abspath(weights), inputs,
                                files["outputs.npz"], files["state_dict.txt"], files["summary.txt"]],
                  [classes, java.helpers()] + java.classpath, timeout=1800)
    except javaenv.JavaError as e:
        result.error = str(e)
        return result
    finally:
        result.seconds["java"] = round(time.time() - started, 1)

    _compare_outputs(result, np.load(files["outputs.npz"]), reference)
    _compare_state_dict(result, files["state_dict.txt"], plan.loaded.module)
    _compare_summary(result, files["summary.txt"], plan.loaded.module, input_shape)
    return result


def _compare_outputs(result, actual, reference):
    names = list(actual.files)
    if len(names) != len(reference.outputs):
        result.error = "the Java model returns %d outputs, PyTorch's %d" % (len(names), len(reference.outputs))
        return
    for name, (expected_name, expected) in zip(names, reference.outputs):
        output = actual[name]
        entry = {"name": expected_name, "java_name": name, "shape": list(expected.shape)}
        if output.shape != expected.shape:
            entry.update(max_error=None, within=False, problem="shape %s, PyTorch's %s" % (list(output.shape),
                                                                                           list(expected.shape)))
        else:
            largest = float(np.abs(expected).max()) if expected.size else 0.0
            error = float(np.abs(output.astype(np.float64) - expected.astype(np.float64)).max()) \
                if expected.size else 0.0
            bound = RELATIVE_TOLERANCE * max(1.0, largest)
            entry.update(max_error=error, max_abs_expected=largest, bound=bound, within=error <= bound)
        result.outputs.append(entry)


def _compare_state_dict(result, path, module):
    with open(path) as f:
        java_keys = [line.strip() for line in f if line.strip()]
    torch_keys = [("%s %s" % (k, ",".join(str(d) for d in v.shape))).rstrip() for k, v in
                  module.state_dict().items()]
    if java_keys == torch_keys:
        result.state_dict = "equal"
        return
    missing = [k for k in torch_keys if k not in java_keys]
    extra = [k for k in java_keys if k not in torch_keys]
    result.state_dict = "differs: %d keys only in PyTorch's (%s), %d only in the port's (%s)%s" % (
        len(missing), ", ".join(missing[:3]), len(extra), ", ".join(extra[:3]),
        "" if missing or extra else "; the order differs")


def _compare_summary(result, path, module, input_shape):
    with open(path, encoding="utf-8") as f:
        java_text = f.read()
    rows, reason = torchsummary151.summary_rows(module, tuple(input_shape))
    if reason is None:
        expected = torchsummary151.summary_text(module, tuple(input_shape))
        result.summary_matches = java_text == expected
        result.summary = "torchsummary's table byte for byte" if result.summary_matches else \
            "differs from torchsummary's at line %d" % _first_difference(java_text, expected)
        return
    expected_rows = [torchsummary151.row_line(key, shape, params) for key, shape, params, _ in rows]
    ours = java_text.split("\n")[3:3 + len(expected_rows)]
    result.summary_matches = ours == expected_rows
    result.summary = ("the %d rows torchsummary prints before it stops (%s)" % (len(expected_rows), reason)
                      if result.summary_matches else "differs from the rows torchsummary prints before it stops "
                      "(%s), at row %d" % (reason, _first_difference("\n".join(ours), "\n".join(expected_rows))))


def _first_difference(a, b):
    for number, (x, y) in enumerate(zip(a.split("\n"), b.split("\n")), 1):
        if x != y:
            return number
    return min(len(a.split("\n")), len(b.split("\n"))) + 1


DIAGNOSTIC = re.compile(r"^(?P<file>[^:\n]+\.java):(?P<line>\d+): (?P<kind>error|warning): (?P<message>.*)$")
FORWARD_LINE = re.compile(r"at forward line (\d+), column \d+")


def _diagnostics(output, plan):
    """javac's diagnostics, each with the PyTorch source line of the forward line it names."""
    by_file = {java.java_name + ".java": java for java in plan.java_classes()}
    diagnostics, current = [], None
    for line in output.splitlines():
        match = DIAGNOSTIC.match(line)
        if match:
            current = {"kind": match.group("kind"), "file": os.path.basename(match.group("file")),
                       "line": int(match.group("line")), "message": match.group("message"), "detail": [],
                       "pytorch": None}
            diagnostics.append(current)
            continue
        if current is None:
            continue
        current["detail"].append(line)
        forward_line = FORWARD_LINE.search(line)
        java = by_file.get(current["file"])
        if forward_line and java is not None and java.forward is not None:
            number = int(forward_line.group(1))
            origins = java.forward.origins
            if 0 < number <= len(origins) and origins[number - 1]:
                current["pytorch"] = "%s:%d" % origins[number - 1]
    return diagnostics
