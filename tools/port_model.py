#!/usr/bin/env python3
"""Ports a PyTorch model to ShapeProof in one command: the Java source (one file per module class and one for the
model), the weight file, a report, and a check that the port computes what PyTorch does.

    /usr/bin/python3 tools/port_model.py package.module:ClassName [--args "64, num_classes=10"] --input 3,224,224 \\
        --java-package com.acme.models --out src/main/java [--weights model.safetensors] [--name Net]
    /usr/bin/python3 tools/port_model.py resnet18 --input 3,64,64 --java-package demo --out /tmp/port/java
    /usr/bin/python3 tools/port_model.py "torchvision.models.resnet18(num_classes=10)" --input 3,64,64 ...
    /usr/bin/python3 tools/port_model.py model.pth --allow-code-execution ...   # a whole pickled nn.Module
    /usr/bin/python3 tools/port_model.py --self-test

The model is imported (or, for a pickled file, unpickled: that runs code from the file, so it needs
--allow-code-execution, as tools/convert_checkpoint.py does) and built; --state-dict FILE loads a checkpoint's weights
into it first (safely, with the converter's loader). tools/README.md documents the tool: what it writes, how it
reads the model, the check, and what it cannot port yet.

Needs this repository built (mvn -B install -DskipTests): the port is compiled with the processor in
processor/target/classes and run on runtime/target/classes, their dependencies from Maven's local repository
(--maven, default `mvn` or $SHAPEPROOF_MAVEN, is asked for the class paths once; they are kept in target/port-model/).

Exit status: 0 when the model is ported and the check passes; 1 when it cannot be ported (the report lists each
construct ShapeProof cannot express, with its PyTorch source line, and no Java is written) or the check fails; 2 for
bad arguments.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.getcwd())  # package.module:ClassName resolves from where the command runs, as `python -m` does

from porting import javaenv, loading, port, weights  # noqa: E402


def parser():
    p = argparse.ArgumentParser(
        prog="port_model.py",
        description="Port a PyTorch model to ShapeProof: Java source, weights, a report, and a check against "
                    "PyTorch.")
    p.add_argument("model", nargs="?", help="package.module:ClassName (or :factory), a call such as "
                                            "'torchvision.models.resnet18(num_classes=10)', a torchvision builder "
                                            "name (resnet18), or a file with a whole pickled nn.Module")
    p.add_argument("--args", help="the constructor's arguments, Python literals: \"64, stride=2\"")
    p.add_argument("--input", type=parse_shape, help="one sample's shape, C,H,W or F: 3,224,224")
    p.add_argument("--java-package", help="the Java package of the generated classes: com.acme.models")
    p.add_argument("--out", help="the source root to write into: src/main/java")
    p.add_argument("--name", help="the model's Java class (default: the PyTorch class's name)")
    p.add_argument("--weights", help="write the weights here: *.safetensors or *.npz")
    p.add_argument("--state-dict", help="load these weights (a state_dict or training checkpoint) into the model "
                                        "before porting")
    p.add_argument("--report", help="the report's path without extension (default: <Name>-port in the current "
                                    "directory); writes .md and .json")
    p.add_argument("--no-check", action="store_true", help="write the port without compiling and checking it")
    p.add_argument("--check-only", action="store_true", help="check the Java already in --out against the "
                                                             "model, writing nothing but the report")
    p.add_argument("--allow-code-execution", action="store_true",
                   help="allow unpickling a model file, which can run any code the file contains")
    p.add_argument("--maven", help="the Maven command that lists class paths (default: mvn, or $SHAPEPROOF_MAVEN)")
    p.add_argument("--seed", type=int, default=0, help="the seed of the model's construction and the check's input")
    p.add_argument("--self-test", action="store_true", help="port the reference models and a model ShapeProof "
                                                           "cannot express, check the results, and exit")
    return p


def parse_shape(text):
    try:
        shape = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("%r: expected sizes separated by commas, e.g. 3,224,224" % text)
    if len(shape) not in (1, 3) or any(n <= 0 for n in shape):
        raise argparse.ArgumentTypeError("%r: one sample's shape is C,H,W or F, every size positive" % text)
    return shape


def main(argv=None):
    args = parser().parse_args(argv)
    if args.self_test:
        from porting import selftest
        return selftest.main(args.maven)
    missing = [flag for flag, value in (("MODEL", args.model), ("--input", args.input),
                                        ("--java-package", args.java_package), ("--out", args.out)) if not value]
    if missing:
        parser().error("missing " + ", ".join(missing))
    if not all(part.isidentifier() for part in args.java_package.split(".")):
        parser().error("--java-package %r is not a Java package name" % args.java_package)
    if args.name is not None and not args.name.isidentifier():
        parser().error("--name %r is not a Java class name" % args.name)
    if args.no_check and args.check_only:
        parser().error("--no-check and --check-only contradict each other")
    options = port.Options(args.model, args.input, args.java_package, args.out, args.args, args.name, args.weights,
                           args.state_dict, args.report, not args.no_check, args.check_only,
                           args.allow_code_execution, args.maven, args.seed)
    try:
        outcome = port.run(options)
    except (loading.ModelSpecError, javaenv.JavaError, weights.WeightsError, port.PortError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    print(summary_line(outcome))
    relative = os.path.relpath(outcome.report[0])
    print("report: %s" % (outcome.report[0] if relative.startswith("..") else relative))
    return 0 if outcome.succeeded else 1


def summary_line(outcome):
    if not outcome.ported:
        lines = ["not ported: %d construct%s ShapeProof cannot express:" % (
            len(outcome.problems), "" if len(outcome.problems) == 1 else "s")]
        for problem in outcome.problems:
            lines.append("  %s: %s (%s%s)" % (problem.what, problem.reason, problem.location(),
                                              ": " + problem.code if problem.code else ""))
        return "\n".join(lines)
    if outcome.check_only:
        written = "checked the %d Java files in %s" % (len(outcome.files), os.path.dirname(outcome.files[0]))
    else:
        written = "wrote %d Java files to %s" % (len(outcome.files), os.path.dirname(outcome.files[0]))
        if outcome.weights:
            written += " and the weights to %s" % outcome.weights
    check = outcome.check
    if check is None:
        return written + "; not checked"
    if check.passed:
        return "%s; check passed: max error %.3g, state_dict equal, summary %s (%.0f s)" % (
            written, check.max_error, check.summary, outcome.seconds["total"])
    return "%s; check FAILED: %s" % (written, (check.error or "see the report").splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
