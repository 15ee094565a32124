"""The Java side of a port: where the processor and the runtime are, and running javac and java with them.

The repository's own modules come from their build output (runtime/target/classes, processor/target/classes), so a
port always uses the processor as it is in this checkout; their dependencies (ND4J, JavaPoet) come from Maven's local
repository, as `mvn dependency:build-classpath` lists them for the examples and the processor. Those lists are
written once into target/port-model/ and reused while the poms are unchanged. The Maven command is `mvn` unless
--maven or $SHAPEPROOF_MAVEN says otherwise (e.g. "mvn -o -Dmaven.repo.local=/path/to/m2").
"""
import hashlib
import json
import os
import shlex
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAVA_HELPERS = os.path.join(ROOT, "tools", "porting", "java")
CACHE = os.path.join(ROOT, "target", "port-model")
RUNTIME_CLASSES = os.path.join(ROOT, "runtime", "target", "classes")
PROCESSOR_CLASSES = os.path.join(ROOT, "processor", "target", "classes")
BUILD_FIRST = "build the repository first: mvn -B install -DskipTests (in %s)" % ROOT


class JavaError(Exception):
    """The Java toolchain could not be set up or run."""


class JavaEnvironment:
    """Class paths for compiling a ported model with the processor and running it on ND4J."""

    def __init__(self, maven=None):
        self.maven = shlex.split(maven or os.environ.get("SHAPEPROOF_MAVEN") or "mvn")
        for directory in (RUNTIME_CLASSES, PROCESSOR_CLASSES):
            if not os.path.isdir(directory):
                raise JavaError("%s is missing: %s" % (os.path.relpath(directory, ROOT), BUILD_FIRST))
        self._paths = None

    # ---------------------------------------------------------------------------------------------- class paths

    @property
    def classpath(self):
        """What a user's build compiles and runs against: the runtime, ND4J and its native backend."""
        return self._load()["examples"]

    @property
    def processor_path(self):
        """The annotation processor and what it needs (JavaPoet, the runtime's annotations and shape algebra)."""
        return self._load()["processor"]

    def _load(self):
        if self._paths is None:
            key = self._pom_fingerprint()
            cached = os.path.join(CACHE, "classpath.json")
            if os.path.exists(cached):
                with open(cached) as f:
                    stored = json.load(f)
                if stored.get("poms") == key:
                    self._paths = stored
            if self._paths is None:
                self._paths = {"poms": key, "examples": self._maven_classpath("examples"),
                               "processor": [PROCESSOR_CLASSES] + self._maven_classpath("processor")}
                os.makedirs(CACHE, exist_ok=True)
                with open(cached, "w") as f:
                    json.dump(self._paths, f, indent=1)
        return self._paths

    @staticmethod
    def _pom_fingerprint():
        digest = hashlib.sha256()
        for module in ("", "runtime", "processor", "examples"):
            with open(os.path.join(ROOT, module, "pom.xml"), "rb") as f:
                digest.update(f.read())
        return digest.hexdigest()

    def _maven_classpath(self, module):
        """`module`'s compile class path from Maven, with this checkout's modules as their target/classes."""
        output = os.path.join(CACHE, module + ".classpath")
        os.makedirs(CACHE, exist_ok=True)
        command = self.maven + ["-q", "-f", os.path.join(ROOT, "pom.xml"), "-pl", module,
                                "dependency:build-classpath", "-Dmdep.outputFile=" + output,
                                "-Dmdep.includeScope=compile"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not os.path.exists(output):
            raise JavaError("could not get the %s class path from Maven (%s): %s; %s"
                            % (module, " ".join(command), _last_lines(result.stdout + result.stderr), BUILD_FIRST))
        with open(output) as f:
            entries = [e for e in f.read().strip().split(os.pathsep) if e]
        own = {"shapeproof-runtime": RUNTIME_CLASSES, "shapeproof-processor": PROCESSOR_CLASSES}
        paths = []
        for entry in entries:
            name = os.path.basename(entry)
            replacement = next((path for prefix, path in own.items() if name.startswith(prefix + "-")), None)
            paths.append(replacement or entry)
        return paths

    # ----------------------------------------------------------------------------------------------- the tools

    def helpers(self):
        """The compiled classes of tools/porting/java (OpCatalog, PortCheck), rebuilt when their sources change."""
        sources = sorted(os.path.join(JAVA_HELPERS, f) for f in os.listdir(JAVA_HELPERS) if f.endswith(".java"))
        digest = hashlib.sha256()
        for source in sources + [os.path.join(PROCESSOR_CLASSES, "dev", "shapeproof", "processor", "op",
                                              "Ops.class")]:
            with open(source, "rb") as f:
                digest.update(f.read())
        target = os.path.join(CACHE, "helpers-" + digest.hexdigest()[:16])
        if not os.path.isdir(target):
            temporary = target + ".tmp%d" % os.getpid()
            os.makedirs(temporary)
            self.javac(sources, temporary, classpath=self.processor_path + self.classpath, processors=False)
            os.replace(temporary, target)
        return target

    def javac(self, sources, destination, classpath=None, processors=True, generated=None, options=()):
        """Compiles `sources`; with `processors`, runs ShapeProof's processor on them. Returns javac's output; raises
        CompileError with it when javac fails."""
        command = ["javac", "-d", destination, "-encoding", "UTF-8", "-cp", os.pathsep.join(classpath or
                                                                                             self.classpath)]
        if processors:
            command += ["-processorpath", os.pathsep.join(self.processor_path)]
            if generated:
                command += ["-s", generated]
        else:
            command += ["-proc:none"]
        command += list(options) + list(sources)
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise CompileError(result.stdout + result.stderr, command)
        return result.stdout + result.stderr

    def java(self, main_class, arguments, classpath, timeout=None):
        """Runs `main_class` on one thread (ND4J thrashes small machines otherwise); raises JavaError on failure."""
        environment = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
        command = ["java", "-cp", os.pathsep.join(classpath), main_class] + list(arguments)
        try:
            result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise JavaError("%s did not finish in %d s" % (main_class, timeout)) from e
        if result.returncode != 0:
            output = "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                               if not line.lstrip().startswith("at "))  # the message, not the Java stack
            raise JavaError("%s failed: %s" % (main_class, _last_lines(output, 25)))
        return result.stdout

    def catalog_json(self):
        """OpCatalog's JSON: what the processor in this checkout accepts."""
        return json.loads(self.java("OpCatalog", [], [self.helpers()] + self.processor_path))


class CompileError(JavaError):
    def __init__(self, output, command):
        super().__init__("javac failed:\n" + output)
        self.output = output
        self.command = command


def _last_lines(text, count=8):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-count:]) if lines else "(no output)"
