"""tools/port_model.py --self-test: ports the reference models and checks everything the tool promises.

  * resnet18, resnet50, densenet121, deeplabv3_resnet50, mobilenet_v2, mobilenet_v3_large, efficientnet_b0,
    shufflenet_v2_x1_0, convnext_tiny and vit_b_16 (image_size=64) at 3×64×64, every BatchNorm's statistics and
    affine parameters and every constant parameter randomised first (randomise_constants): each
    must port, compile, match PyTorch within 1e-5·max(1, max|expected|), keep PyTorch's state_dict and print
    torchsummary's table (or the rows it prints before it fails); no line of the Java may pass 120 columns.
  * The ports committed in examples/src/main/java/dev/shapeproof/examples/ported/ must be exactly what the tool
    writes today, so that the Java tests that check them (PortedModelsTest) test the tool's output, unedited.
  * samples.SmallNet, a user's model with constructor arguments, ports with a weight file that reads back;
    samples.TwoHeads, whose blocks' `__init__` branch on their arguments, loop and call a helper, ports with both its
    blocks written from `__init__`, and checks with its two outputs.
  * samples.SuperResolution, whose PixelShuffle, logsumexp, matrix product and cumsum ShapeProof lacks, is not
    ported: exit status 1, each of the four in the report with its source line, and no Java file written.
  * Bad input gets one clear error: an unknown model, arguments that are not literals, a pickled module without
    --allow-code-execution.
"""
import contextlib
import io
import json
import os
import tempfile
import time
import traceback

import numpy as np
import torch
from torch import nn

from . import javaenv
from . import loading
from . import port
from . import samples

# (builder, Java name, builder arguments): the models the hand-written ports in examples/ answer to
REFERENCE_MODELS = (("resnet18", "ResNet18", None), ("resnet50", "ResNet50", None),
                    ("densenet121", "DenseNet121", None), ("deeplabv3_resnet50", "DeepLabV3ResNet50", None),
                    ("mobilenet_v2", "MobileNetV2", None), ("mobilenet_v3_large", "MobileNetV3Large", None),
                    ("efficientnet_b0", "EfficientNetB0", None), ("shufflenet_v2_x1_0", "ShuffleNetV2X10", None),
                    ("convnext_tiny", "ConvNeXtTiny", None), ("vit_b_16", "VitB16", "image_size=64"))
COMMITTED_PACKAGE = "dev.shapeproof.examples.ported"
COMMITTED_OUT = "examples/src/main/java"
INPUT = (3, 64, 64)


def main(maven=None):
    java = javaenv.JavaEnvironment(maven)
    failures, rows = [], []
    with tempfile.TemporaryDirectory(prefix="port-self-test-") as work:
        for model, name, args in REFERENCE_MODELS:
            _run(failures, "port %s" % model, lambda: rows.append(_reference_port(java, model, name, args, work)))
        for model, name, args in REFERENCE_MODELS:
            _run(failures, "committed port of %s is the tool's output" % model,
                 lambda: _committed_is_current(java, model, name, args, work))
        _run(failures, "a user's model with arguments and a weight file", lambda: _user_model(java, work))
        _run(failures, "blocks whose __init__ branches, loops and calls a helper",
             lambda: _branching_blocks(java, work))
        _run(failures, "a model with ops ShapeProof lacks", lambda: _unsupported(java, work))
        _run(failures, "bad input", lambda: _bad_input(work))
    print()
    print("%-20s %8s %12s %10s  %s" % ("model", "classes", "max error", "time (s)", "summary"))
    for row in rows:
        print("%-20s %8d %12.3g %10.1f  %s" % row)
    if failures:
        print("\nself-test FAILED: %d check%s" % (len(failures), "" if len(failures) == 1 else "s"))
        for what, error in failures:
            print("  %s: %s" % (what, error))
        return 1
    print("\nself-test passed")
    return 0


def _run(failures, what, check):
    started = time.time()
    try:
        check()
        print("ok    %-60s %5.1f s" % (what, time.time() - started))
    except Exception as e:  # noqa: BLE001 - every check reports, then the next one runs
        print("FAIL  %-60s %5.1f s" % (what, time.time() - started))
        failures.append((what, "%s: %s" % (type(e).__name__, e)))
        if not isinstance(e, AssertionError):
            traceback.print_exc()


def _reference_port(java, model, name, args, work):
    loaded = loading.load_model(model, args)
    randomise_constants(loaded.module)
    options = port.Options(model, INPUT, "selftest." + model, os.path.join(work, "java"), args=args, name=name,
                           report=os.path.join(work, "reports", model))
    outcome = _quietly(lambda: port.run(options, loaded=loaded, java=java))
    check = outcome.check
    assert outcome.ported, "not ported: %s" % [p.what for p in outcome.problems]
    assert check.compiled, "javac rejected it: %s" % check.diagnostics[:1]
    assert check.passed, "the check failed: %s" % (check.error or check.outputs or check.summary)
    assert check.state_dict == "equal"
    for path in outcome.files:
        with open(path, encoding="utf-8") as f:
            long_lines = [n for n, line in enumerate(f, 1) if len(line.rstrip("\n")) > 120]
        assert not long_lines, "%s: lines over 120 columns: %s" % (path, long_lines)
    return model, len(outcome.files), check.max_error, outcome.seconds["total"], check.summary[:60]


def _committed_is_current(java, model, name, args, work):
    package = COMMITTED_PACKAGE + "." + model
    options = port.Options(model, INPUT, package, COMMITTED_OUT, args=args, name=name, check=False,
                           report=os.path.join(work, "reports", "committed-" + model))
    options.command = port.command_line(options)
    fresh = os.path.join(work, "committed")
    written = _quietly(lambda: port.run(port.Options(model, INPUT, package, fresh, args=args, name=name,
                                                     check=False, report=options.report, command=options.command),
                                        java=java)).files
    committed_dir = os.path.join(javaenv.ROOT, COMMITTED_OUT, *package.split("."))
    committed = sorted(f for f in os.listdir(committed_dir) if f.endswith(".java"))
    assert committed == sorted(os.path.basename(f) for f in written), \
        "the committed files %s differ from the tool's %s" % (committed, [os.path.basename(f) for f in written])
    for path in written:
        with open(path, encoding="utf-8") as f, open(os.path.join(committed_dir, os.path.basename(path)),
                                                     encoding="utf-8") as g:
            assert f.read() == g.read(), "%s differs from the tool's output; regenerate with: %s" % (
                os.path.basename(path), options.command)


def _user_model(java, work):
    weights = os.path.join(work, "small-net.npz")
    options = port.Options("porting.samples:SmallNet", (3, 32, 32), "com.acme.models", os.path.join(work, "user"),
                           args="num_classes=10", weights=weights, report=os.path.join(work, "reports", "small"))
    outcome = _quietly(lambda: port.run(options, java=java))
    assert outcome.succeeded, "not ported and checked: %s" % (outcome.problems or outcome.check.error)
    names = sorted(os.path.basename(f) for f in outcome.files)
    assert names == ["ConvBNReLU.java", "Residual.java", "SmallNet.java"], names
    stored = np.load(weights)
    model = loading.load_model("porting.samples:SmallNet", "num_classes=10").module
    assert list(stored.files) == list(model.state_dict()), "the weight file's keys are not the state_dict's"
    with open(outcome.report[1]) as f:
        report = json.load(f)
    assert report["verified"] and report["check"]["max_error"] < 1e-5, report["check"]


def _branching_blocks(java, work):
    options = port.Options("porting.samples:TwoHeads", (3, 32, 32), "com.acme.heads", os.path.join(work, "heads"),
                           report=os.path.join(work, "reports", "heads"))
    outcome = _quietly(lambda: port.run(options, java=java))
    assert outcome.succeeded, "not ported and checked: %s" % (outcome.problems or outcome.check.error)
    modes = {c.java_name: c.mode for c in outcome.plan.java_classes()}
    assert modes == {"Stage": "generic", "Head": "generic", "TwoHeads": "concrete"}, modes
    assert [o["name"] for o in outcome.check.outputs] == ["output0", "output1"], outcome.check.outputs


def _unsupported(java, work):
    out = os.path.join(work, "unsupported")
    options = port.Options("porting.samples:SuperResolution", (3, 16, 16), "com.acme.models", out,
                           report=os.path.join(work, "reports", "unsupported"))
    outcome = _quietly(lambda: port.run(options, java=java))
    assert not outcome.ported and not outcome.succeeded
    assert not os.path.exists(out), "Java was written for a model that cannot be ported"
    found = {(p.kind, p.what, os.path.basename(p.file or ""), p.line) for p in outcome.problems}
    source = _lines_of(samples.__file__)
    expected = {("layer", "nn.PixelShuffle", "samples.py", source["nn.PixelShuffle(scale)"]),
                ("function", "torch.logsumexp", "samples.py", source["torch.logsumexp("]),
                ("operator", "tensor @ ...", "samples.py", source["torch.logsumexp("]),
                ("method", ".cumsum()", "samples.py", source["x.cumsum("])}
    assert found == expected, "problems %s, expected %s" % (sorted(found), sorted(expected))
    with open(outcome.report[0], encoding="utf-8") as f:
        text = f.read()
    assert "**Not ported**: 4 constructs" in text and "`return x.cumsum(dim=1)`" in text, text[:400]
    from port_model import main as command
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        status = command(["porting.samples:SuperResolution", "--input", "3,16,16", "--java-package", "com.acme",
                          "--out", out, "--report", os.path.join(work, "reports", "unsupported-cli")])
    assert status == 1 and "not ported: 4 constructs" in printed.getvalue(), (status, printed.getvalue())


def _bad_input(work):
    from port_model import main as command
    cases = [
        (["no_such_model", "--input", "3,8,8", "--java-package", "a", "--out", work], 1,
         "is not a torchvision model builder"),
        (["porting.samples:SmallNet", "--args", "num_classes=len([])", "--input", "3,8,8", "--java-package", "a",
          "--out", work], 1, "must be Python literals"),
        (["resnet18", "--input", "3,x", "--java-package", "a", "--out", work], 2, "expected sizes"),
        (["resnet18", "--input", "3,8,8", "--java-package", "1a", "--out", work], 2, "not a Java package"),
    ]
    pickled = os.path.join(work, "whole-model.pth")
    torch.save(nn.Sequential(nn.Conv2d(3, 4, 3)), pickled)
    cases.append(([pickled, "--input", "3,8,8", "--java-package", "a", "--out", work], 1,
                  "--allow-code-execution"))
    for argv, status, message in cases:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                actual = command(argv)
            except SystemExit as e:
                actual = e.code
        assert actual == status and message in err.getvalue(), \
            "%s: status %s, expected %s with %r; stderr: %s" % (argv[0], actual, status, message, err.getvalue())


def randomise_constants(module, seed=2026):
    """Every BatchNorm: weight and running variance in [0.5, 1.5], bias and running mean in ±0.2; then every other
    parameter that holds one value (ViT's class token and zero head, ConvNeXt's layer scale, LayerNorms): in [0.5,
    1.5] where that value is not zero, else ±0.2. With their initial values a port that dropped them, or read them
    in the wrong place, could not fail the check (ViT's zero head makes every output 0)."""
    generator = torch.Generator().manual_seed(seed)

    def fill(tensor, low, high):
        tensor.copy_(low + (high - low) * torch.rand(tensor.shape, generator=generator))

    with torch.no_grad():
        for layer in module.modules():
            if isinstance(layer, nn.BatchNorm2d):
                for tensor, low, high in ((layer.weight, 0.5, 1.5), (layer.bias, -0.2, 0.2),
                                          (layer.running_mean, -0.2, 0.2), (layer.running_var, 0.5, 1.5)):
                    fill(tensor, low, high)
        for parameter in module.parameters():
            flat = parameter.flatten()
            if bool((flat == flat[0]).all()):
                fill(parameter, *((0.5, 1.5) if float(flat[0]) != 0 else (-0.2, 0.2)))


def _lines_of(path):
    """The line of `path` on which each of the snippets the test looks for first appears."""
    found = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            for snippet in ("nn.PixelShuffle(scale)", "torch.logsumexp(", "x.cumsum("):
                if snippet in line and snippet not in found:
                    found[snippet] = number
    return found


def _quietly(action):
    with contextlib.redirect_stdout(io.StringIO()):
        return action()

