"""One port from start to finish: the model, its plan, the Java files, the weight file, the check, the report."""
import dataclasses
import os
import shlex
import time

from . import catalog as catalog_module
from . import java_source
from . import javaenv
from . import loading
from . import plan as plan_module
from . import reference as reference_module
from . import verification
from . import weights as weights_module


@dataclasses.dataclass
class Options:
    model: str
    input_shape: tuple
    package: str
    out: str
    args: str = None
    name: str = None
    weights: str = None
    state_dict: str = None
    report: str = None
    check: bool = True
    check_only: bool = False
    allow_code_execution: bool = False
    maven: str = None
    seed: int = 0
    command: str = None


@dataclasses.dataclass
class Outcome:
    description: str = None
    qualified_name: str = None
    input_shape: tuple = ()
    package: str = None
    command: str = None
    check_command: str = None
    plan: object = None
    problems: list = dataclasses.field(default_factory=list)
    files: list = dataclasses.field(default_factory=list)
    weights: str = None
    check: object = None
    seconds: dict = dataclasses.field(default_factory=dict)
    report: tuple = None
    check_only: bool = False

    @property
    def ported(self):
        return self.plan is not None and not self.problems

    @property
    def succeeded(self):
        return self.ported and (self.check is None or self.check.passed)


def run(options, loaded=None, java=None):
    """Ports `options.model` (or an already loaded model); returns the Outcome, with its report written."""
    started = time.time()
    outcome = Outcome(input_shape=tuple(options.input_shape), package=options.package,
                      command=options.command or command_line(options), check_only=options.check_only)
    outcome.check_command = command_line(options, check_only=True)
    if loaded is None:
        loaded = loading.load_model(options.model, options.args, options.allow_code_execution, options.seed)
        if options.state_dict:
            loading.load_state_dict(loaded.module, options.state_dict)
    outcome.description, outcome.qualified_name = loaded.description, loaded.qualified_name
    outcome.seconds["load"] = round(time.time() - started, 1)

    java = java or javaenv.JavaEnvironment(options.maven)
    catalog = catalog_module.Catalog.load(java)
    mark = time.time()
    reference = reference_module.run(loaded.module, options.input_shape, options.seed)
    try:
        plan = plan_module.Plan(loaded, catalog, options.name, reference).build()
    except plan_module.Mismatch as e:
        raise PortError("the port's own check of the model's modules failed, a bug of the tool: %s" % e) from e
    outcome.plan, outcome.problems = plan, _unique_problems(plan.problems)
    outcome.seconds["plan"] = round(time.time() - mark, 1)

    if outcome.ported:
        directory = os.path.join(options.out, *options.package.split("."))
        if options.check_only:
            outcome.files = [os.path.join(directory, java_class.java_name + ".java")
                             for java_class in plan.java_classes()]
            missing = [f for f in outcome.files if not os.path.exists(f)]
            if missing:
                raise PortError("--check-only: %s not found; port the model first (without --check-only)"
                                % ", ".join(missing))
        else:
            outcome.files = java_source.write(plan, options.package, options.out, options.input_shape,
                                              outcome.command)
        weights = options.weights or os.path.join(javaenv.CACHE, "weights", plan.model_name + ".safetensors")
        needed = options.weights or options.check  # without --weights the file exists only for the check
        if needed and not (options.check_only and options.weights and os.path.exists(options.weights)):
            os.makedirs(os.path.dirname(os.path.abspath(weights)), exist_ok=True)
            weights_module.write(loaded.module, weights)
        outcome.weights = options.weights
        if options.check:
            mark = time.time()
            work = os.path.join(javaenv.CACHE, "check-%s-%d" % (plan.model_name, os.getpid()))
            outcome.check = verification.check(java, plan, outcome.files, options.package, weights, reference,
                                               options.input_shape, work)
            outcome.seconds["check"] = round(time.time() - mark, 1)
    outcome.seconds["total"] = round(time.time() - started, 1)
    report_path = options.report or os.path.join(os.getcwd(), (plan.model_name or "model") + "-port")
    outcome.report = _write_report(outcome, report_path)
    return outcome


def _write_report(outcome, path):
    from . import report
    return report.write(outcome, os.path.splitext(path)[0] if path.endswith((".md", ".json")) else path)


def _unique_problems(problems):
    seen, unique = set(), []
    for problem in problems:
        key = (problem.kind, problem.what, problem.file, problem.line)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def command_line(options, check_only=False):
    """The command that repeats this port (or, with check_only, checks the Java already written)."""
    parts = ["/usr/bin/python3", "tools/port_model.py", options.model]
    if options.args:
        parts += ["--args", options.args]
    parts += ["--input", ",".join(str(n) for n in options.input_shape), "--java-package", options.package,
              "--out", options.out]
    if options.name:
        parts += ["--name", options.name]
    if options.weights:
        parts += ["--weights", options.weights]
    if options.state_dict:
        parts += ["--state-dict", options.state_dict]
    if options.allow_code_execution:
        parts.append("--allow-code-execution")
    if check_only:
        parts.append("--check-only")
    return " ".join(shlex.quote(p) for p in parts)


class PortError(Exception):
    pass
