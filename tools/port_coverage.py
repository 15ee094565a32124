#!/usr/bin/env python3
"""Runs tools/port_model.py over every classification and segmentation model of the installed torchvision and writes
docs/torchvision-coverage.md: for each, whether it ports and the port checks (its max error), or what stops it (the
first construct ShapeProof cannot express, with its PyTorch source line, and how many others).

    /usr/bin/python3 tools/port_coverage.py                       # every model; about an hour on two busy cores
    /usr/bin/python3 tools/port_coverage.py --models resnet18,vgg11 --markdown /tmp/coverage.md

Each model is built with weights=None and ported at 3×64×64 (the few that need larger inputs at their smallest size,
listed in INPUTS); the Java goes to target/port-model/coverage/. Ports of more than --check-limit million parameters
are written but not compiled and run, which would take minutes and gigabytes each. Results are kept in
target/port-model/coverage/results.json, so an interrupted run goes on where it stopped (--fresh starts over).
"""
import argparse
import contextlib
import importlib
import inspect
import io
import json
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from porting import javaenv, loading, port  # noqa: E402

NAMESPACES = ("torchvision.models", "torchvision.models.segmentation")
DEFAULT_INPUT = (3, 64, 64)
# Models that refuse 64×64: ViT and MaxViT check for their training size, Inception v3 needs 75×75 or more.
INPUTS = {"inception_v3": (3, 96, 96), "maxvit_t": (3, 224, 224), "vit_b_16": (3, 224, 224),
          "vit_b_32": (3, 224, 224), "vit_l_16": (3, 224, 224), "vit_l_32": (3, 224, 224),
          "vit_h_14": (3, 224, 224)}
WORK = os.path.join(javaenv.CACHE, "coverage")
MARKDOWN = os.path.join(javaenv.ROOT, "docs", "torchvision-coverage.md")
COMMAND = "/usr/bin/python3 tools/port_coverage.py"
BLOCKERS_SHOWN = 20
RESULTS = ("ported and checked", "ported, not checked", "check failed", "not ported", "tool error")


def model_names():
    """Every builder of torchvision's classification and segmentation models (list_models where torchvision has
    it, else the public functions of the two namespaces that take `weights`)."""
    import torchvision

    names = []
    for namespace in NAMESPACES:
        module = importlib.import_module(namespace)
        if hasattr(torchvision.models, "list_models"):
            found = torchvision.models.list_models(module=module)
        else:
            found = [n for n, f in vars(module).items() if inspect.isfunction(f) and not n.startswith("_")
                     and "weights" in inspect.signature(f).parameters]
        names += [n for n in sorted(found) if n not in names]
    return names


def cover(name, java, check_limit):
    """One model's row: its parameters, and what the port did."""
    started = time.time()
    row = {"model": name, "input": list(INPUTS.get(name, DEFAULT_INPUT))}
    try:
        loaded = loading.load_model(name)
        row["params"] = sum(p.numel() for p in loaded.module.parameters())
        check = row["params"] <= check_limit * 1e6
        options = port.Options(name, tuple(row["input"]), "coverage." + name, os.path.join(WORK, "java"),
                               check=check, report=os.path.join(WORK, "reports", name))
        with contextlib.redirect_stdout(io.StringIO()):
            outcome = port.run(options, loaded=loaded, java=java)
        row["java_classes"] = len(outcome.plan.java_classes()) if outcome.plan else 0
        row["generic_classes"] = sum(1 for c in outcome.plan.java_classes() if c.mode == "generic") \
            if outcome.plan else 0
        if not outcome.ported:
            row["result"] = "not ported"
            row["problems"] = [{"what": p.what, "reason": p.reason, "file": _short(p.file), "line": p.line,
                                "code": p.code} for p in outcome.problems]
        elif outcome.check is None:
            row["result"] = "ported, not checked"
        elif outcome.check.passed:
            row["result"] = "ported and checked"
            row["max_error"] = outcome.check.max_error
            row["bound"] = max(o["bound"] for o in outcome.check.outputs)
            row["summary"] = outcome.check.summary
        else:
            row["result"] = "check failed"
            row["error"] = outcome.check.error or "outputs %s, state_dict %s, summary %s" % (
                outcome.check.outputs, outcome.check.state_dict, outcome.check.summary)
            row["diagnostics"] = [_diagnostic(d) for d in outcome.check.diagnostics][:3]
    except Exception as e:  # noqa: BLE001 - one model's failure is its row; the run goes on
        row["result"] = "tool error"
        row["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        row["trace"] = traceback.format_exc().splitlines()[-6:]
    row["seconds"] = round(time.time() - started, 1)
    return row


def _head_commit():
    """The checkout's commit, recorded with each row: rows kept from an earlier run say which processor they saw."""
    import subprocess
    try:
        return subprocess.run(["git", "-C", javaenv.ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _diagnostic(diagnostic):
    """javac's message, with the exception where the processor failed (its Internal error names only itself)."""
    thrown = next((line.strip() for line in diagnostic["detail"] if "Exception:" in line), None)
    return diagnostic["message"] + (" (%s)" % thrown if thrown and "Internal" in diagnostic["message"] else "")


def markdown(rows, check_limit):
    counts = {}
    for row in rows:
        counts[row["result"]] = counts.get(row["result"], 0) + 1
    blockers = {}
    for row in rows:
        for problem in _distinct(row.get("problems", [])):
            blockers[problem] = blockers.get(problem, 0) + 1
    lines = [
        "# torchvision models through tools/port_model.py",
        "",
        "Every classification and segmentation model of torchvision 0.14 (%d), ported with weights=None at "
        "3×64×64 (Inception v3 at 3×96×96, ViT and MaxViT at 3×224×224) against the processor of this checkout, "
        "and checked where its row says so (this run checked ports of up to %d million parameters; a row kept from "
        "another run says what that run did): compiled with the processor, run on ND4J with PyTorch's "
        "weights and compared with PyTorch's output (bound 1e-5·max(1, max|expected|)), state_dict and "
        "torchsummary. The weights are torchvision's initialisation, so the deepest ResNets' outputs reach 10⁴ to "
        "10⁷ and their errors are large in absolute terms; the bound is relative. \"Java classes\" counts the classes "
        "a port writes (or would write), and in brackets those written from `__init__` rather than with the model's "
        "own modules." % (len(rows), check_limit),
        "",
        "Regenerate with `%s` (about an hour on two busy cores; `--models a,b` for some, `--again \"not "
        "ported,check failed\"` to run only the models that did not pass again)." % COMMAND,
        "",
    ] + _runs(rows) + [
        "| result | models |",
        "| --- | ---: |",
    ]
    for result in RESULTS:
        if result in counts:
            lines.append("| %s | %d |" % (result, counts[result]))
    lines += ["", "What stops the others, by how many models it stops (each model counted once per construct):", "",
              "| construct | models |", "| --- | ---: |"]
    ranked = sorted(blockers.items(), key=lambda kv: (-kv[1], kv[0]))
    for what, count in ranked[:BLOCKERS_SHOWN]:
        lines.append("| `%s` | %d |" % (what, count))
    if len(ranked) > BLOCKERS_SHOWN:
        lines.append("| %d others, each in %d model%s or fewer | |" % (
            len(ranked) - BLOCKERS_SHOWN, ranked[BLOCKERS_SHOWN][1], "" if ranked[BLOCKERS_SHOWN][1] == 1 else "s"))
    lines += ["", "## Every model", "",
              "| model | parameters | result | Java classes | details | run at |",
              "| --- | ---: | --- | ---: | --- | --- |"]
    for row in rows:
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            row["model"], "%.1f M" % (row["params"] / 1e6) if "params" in row else "—", row["result"],
            "%s (%s)" % (row["java_classes"], row["generic_classes"]) if "java_classes" in row else "—",
            _details(row).replace("|", "\\|"), "`%s`" % row["commit"] if row.get("commit") else "earlier"))
    lines.append("")
    return "\n".join(lines)


def _runs(rows):
    """Which commit each row was run at, where they differ: a partial run keeps the rows it did not repeat."""
    commits = {}
    for row in rows:
        commits.setdefault(row.get("commit") or "an earlier commit", []).append(row["model"])
    if len(commits) < 2:
        return []
    parts = ["%d at %s" % (len(models), commit if commit == "an earlier commit" else "`%s`" % commit)
             for commit, models in sorted(commits.items(), key=lambda kv: -len(kv[1]))]
    return ["The rows come from more than one run: %s (the \"run at\" column)." % ", ".join(parts), ""]


def _details(row):
    if row["result"] == "ported and checked":
        return "max error %.2g (bound %.2g); summary: %s" % (row["max_error"], row["bound"], row["summary"])
    if row["result"] == "ported, not checked":
        return "%.0f M parameters: not compiled and run" % (row["params"] / 1e6)
    if row["result"] == "not ported":
        problems = row["problems"]
        first = problems[0]
        where = "%s:%s" % (first["file"], first["line"]) if first["file"] else "source unknown"
        text = "`%s`: %s (%s%s)" % (first["what"], first["reason"], where,
                                    ": `%s`" % first["code"] if first.get("code") else "")
        others = [w for w in _distinct(problems) if w != first["what"]]
        if others:
            text += "; also %s" % ", ".join("`%s`" % w for w in others[:5]) + (
                " and %d more" % (len(others) - 5) if len(others) > 5 else "")
        return text
    details = row.get("error", "")
    if row.get("diagnostics"):
        details += ": " + row["diagnostics"][0]
    return details


def _distinct(problems):
    seen = []
    for problem in problems:
        if problem["what"] not in seen:
            seen.append(problem["what"])
    return seen


def _short(path):
    if not path:
        return None
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[parts.index("torchvision"):]) if "torchvision" in parts else os.path.basename(path)


def main(argv=None):
    p = argparse.ArgumentParser(prog="port_coverage.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--models", help="comma-separated builder names (default: all)")
    p.add_argument("--check-limit", type=float, default=150, help="check ports of at most this many million "
                                                                   "parameters (default 150)")
    p.add_argument("--markdown", default=MARKDOWN, help="where to write the table (default docs/"
                                                        "torchvision-coverage.md)")
    p.add_argument("--fresh", action="store_true", help="forget the results of earlier runs")
    p.add_argument("--again", help="comma-separated results (e.g. \"not ported,check failed\") whose models run "
                                   "again; the others keep their earlier rows")
    p.add_argument("--maven", help="the Maven command (see tools/port_model.py)")
    args = p.parse_args(argv)
    names = args.models.split(",") if args.models else model_names()
    results_path = os.path.join(WORK, "results.json")
    os.makedirs(WORK, exist_ok=True)
    results = {}
    if os.path.exists(results_path) and not args.fresh:
        with open(results_path) as f:
            results = json.load(f)
    java = javaenv.JavaEnvironment(args.maven)
    again = {r for r in RESULTS if r in (args.again or "")}  # "ported, not checked" has a comma of its own
    commit = _head_commit()
    for name in sorted(names, key=lambda n: results.get(n, {}).get("params", 0)):  # the quick ones first
        if name in results and results[name]["result"] != "tool error" and results[name]["result"] not in again:
            continue
        results[name] = cover(name, java, args.check_limit)
        results[name]["commit"] = commit
        print("%-28s %-22s %6.1f s  %s" % (name, results[name]["result"], results[name]["seconds"],
                                          _details(results[name])[:100]), flush=True)
        with open(results_path + ".tmp", "w") as f:
            json.dump(results, f, indent=1)
        os.replace(results_path + ".tmp", results_path)
    rows = [results[n] for n in (model_names() if not args.models else names) if n in results]
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(markdown(rows, args.check_limit))
    print("wrote %s" % args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
