package dev.shapeproof.conformance;

import dev.shapeproof.conformance.Javac.Finding;
import dev.shapeproof.io.StateDictFiles;
import dev.shapeproof.nn.ops.Layouts;
import dev.shapeproof.summary.ModelSummary;
import dev.shapeproof.summary.NamedShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a campaign: compiles every case with the processor and compares what ShapeProof did with PyTorch's verdict.
 *
 * <ul>
 *   <li>PyTorch raises ↔ exactly one error, never {@code Internal} (a {@code crash});</li>
 *   <li>PyTorch runs ↔ it compiles, with PyTorch's output shapes, torchsummary's table byte for byte, the lints
 *       PyTorch's run shows (less those the class suppresses), an {@code UnusedModule} warning per layer forward
 *       never calls, and, for the numeric subset, PyTorch's outputs from PyTorch's weights without touching the
 *       inputs;</li>
 *   <li>PyTorch runs what the README rejects on purpose (the batch axis changed, an empty tensor) ↔ exactly one
 *       error of the matching id.</li>
 * </ul>
 * Rejected models are compiled {@code -proc:only}, many per javac run; valid ones in batches whose class files are
 * loaded and run. A batch in which some model fails to compile is compiled again without it, since one error stops
 * javac from writing any class file.
 */
final class Campaign {
    static final int BATCH = 400;
    static final Set<String> LINTS = Set.of("LinearOnFeatureMap", "SoftmaxOverBatch", "Dropout2dNotImage",
            "CatOverBatch");
    private static final Pattern UNUSED_MODULE = Pattern.compile("forward never calls the layer (\\w+)");

    /**
     * The tolerance of the numeric goldens, {@code |ShapeProof − PyTorch| ≤ TOLERANCE · max(1, max |PyTorch|)}: the
     * examples' golden tests' (float32 sums in another order differ by a few ulps of the largest value).
     */
    static final double TOLERANCE = 1e-5;

    /** What went wrong with one case; {@code kind} is what known-discrepancies.json names. */
    record Discrepancy(String kind, String detail) {
        @Override
        public String toString() {
            return kind + ": " + detail;
        }
    }

    /** One case's result: its findings and every discrepancy with the verdict. */
    record Outcome(Case c, List<Finding> findings, List<Discrepancy> discrepancies, double numericError) {}

    private final Path directory;
    private final Path work;
    final Map<String, Outcome> outcomes = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    Campaign(Path directory, Path work) {
        this.directory = directory;
        this.work = work;
    }

    List<Outcome> run(List<Case> cases) {
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        List<Case> rejected = cases.stream().filter(c -> !c.isValid()).toList();
        List<Case> valid = cases.stream().filter(Case::isValid).toList();
        for (int from = 0; from < rejected.size(); from += BATCH) {
            List<Case> batch = rejected.subList(from, Math.min(rejected.size(), from + BATCH));
            Javac.Result result = Javac.compile(batch, work.resolve("rejected-" + from), true);
            // javac's own errors (an annotation it cannot find) make it drop the processor's diagnostics of every
            // other model in the run: compile those models alone, and the others again without them
            List<Case> alone = batch.stream()
                    .filter(c -> result.of(c.id()).stream().anyMatch(f -> f.error() && f.id().equals("javac")))
                    .toList();
            if (alone.isEmpty()) {
                record(batch, result, findings);
                continue;
            }
            List<Case> rest = new ArrayList<>(batch);
            rest.removeAll(alone);
            record(rest, Javac.compile(rest, work.resolve("rejected-" + from + "-again"), true), findings);
            for (Case c : alone) {
                record(List.of(c), Javac.compile(List.of(c), work.resolve("alone-" + c.id()), true), findings);
            }
        }
        for (int from = 0; from < valid.size(); from += BATCH) {
            compileValid(valid.subList(from, Math.min(valid.size(), from + BATCH)), "valid-" + from, findings);
        }
        for (Case c : cases) {
            if (!outcomes.containsKey(c.id())) {
                outcomes.put(c.id(), judge(c, findings.getOrDefault(c.id(), List.of()), null));
            }
        }
        return cases.stream().map(c -> outcomes.get(c.id())).toList();
    }

    private void record(List<Case> batch, Javac.Result result, Map<String, List<Finding>> findings) {
        for (Case c : batch) {
            List<Finding> of = new ArrayList<>(result.of(c.id()));
            if (result.crash() != null) {
                of.add(new Finding(true, "javac-crash", result.crash().toString(), "", 0));
            }
            findings.put(c.id(), of);
        }
        if (!result.unattributed().isEmpty()) {
            notes.add("errors on no model's file: " + result.unattributed());
        }
    }

    /** Compiles models PyTorch runs; leaves out those that fail and compiles the rest again, then runs them. */
    private void compileValid(List<Case> batch, String name, Map<String, List<Finding>> findings) {
        List<Case> remaining = new ArrayList<>(batch);
        for (int attempt = 0; !remaining.isEmpty(); attempt++) {
            Path dir = work.resolve(name + "-" + attempt);
            Javac.Result result = Javac.compile(remaining, dir, false);
            record(remaining, result, findings);
            List<Case> failed = remaining.stream()
                    .filter(c -> findings.get(c.id()).stream().anyMatch(Finding::error))
                    .toList();
            if (failed.isEmpty() && result.crash() == null && result.unattributed().isEmpty()) {
                check(remaining, dir.resolve("classes"), findings);
                return;
            }
            if (failed.isEmpty() || attempt > 5 || remaining.size() == 1) {
                for (Case c : remaining) {
                    outcomes.put(c.id(), judge(c, findings.get(c.id()), null));
                }
                return;
            }
            remaining.removeAll(failed);
            // as for rejected models: after javac's own errors the findings may miss what javac dropped, so those
            // models are compiled alone; ShapeProof's errors alone lose nothing
            boolean javacErrors = failed.stream()
                    .anyMatch(c -> findings.get(c.id()).stream().anyMatch(f -> f.error() && f.id().equals("javac")));
            for (Case c : failed) {
                if (javacErrors) {
                    record(List.of(c), Javac.compile(List.of(c), work.resolve("alone-" + c.id()), false), findings);
                }
                outcomes.put(c.id(), judge(c, findings.get(c.id()), null));
            }
        }
    }

    private void check(List<Case> compiled, Path classes, Map<String, List<Finding>> findings) {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                Campaign.class.getClassLoader())) {
            for (Case c : compiled) {
                outcomes.put(c.id(), judge(c, findings.get(c.id()), loader));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Outcome judge(Case c, List<Finding> findings, ClassLoader loader) {
        List<Discrepancy> found = new ArrayList<>();
        List<Finding> errors = findings.stream().filter(Finding::error).toList();
        for (Finding error : errors) {
            if (error.id().equals("Internal") || error.id().equals("javac-crash")) {
                found.add(new Discrepancy("crash", error.toString()));
            }
        }
        double numericError = Double.NaN;
        switch (c.status()) {
            case "resource" -> {
                // PyTorch could not allocate the tensors on the machine that judged it: a bigger one may run it, so
                // compiling is right, and so is one error (a size beyond any tensor); more than one is not
                if (errors.size() > 1) {
                    found.add(new Discrepancy("error-count", errors.size() + " errors: " + ids(errors)));
                }
            }
            case "error" -> {
                if (errors.isEmpty()) {
                    found.add(new Discrepancy("false-accept", "PyTorch: " + c.pytorch()));
                } else if (errors.size() > 1) {
                    found.add(new Discrepancy("error-count", errors.size() + " errors: " + ids(errors)));
                }
            }
            case "deliberate" -> {
                if (errors.isEmpty()) {
                    found.add(new Discrepancy("false-accept", "PyTorch runs it, but " + c.pytorch()
                            + ", which the README rejects on purpose"));
                } else if (errors.size() > 1) {
                    found.add(new Discrepancy("error-count", errors.size() + " errors: " + ids(errors)));
                } else if (!deliberateIds(c).contains(errors.get(0).id())) {
                    found.add(new Discrepancy("deliberate-id", c.pytorch() + ", but " + errors.get(0)));
                }
            }
            default -> {
                if (!errors.isEmpty()) {
                    found.add(new Discrepancy("false-reject", errors.get(0).toString()));
                } else if (loader == null) {
                    found.add(new Discrepancy("false-reject", "not compiled"));
                } else {
                    numericError = checkValid(c, findings, loader, found);
                }
            }
        }
        return new Outcome(c, findings, found, numericError);
    }

    /** The errors that report each of the README's deliberate rejections. */
    private static Set<String> deliberateIds(Case c) {
        String rule = c.pytorch().substring(0, c.pytorch().indexOf(':'));
        return switch (rule) {
            case "empty" -> Set.of("NotPositive");
            case "attribute" -> Set.of("NotPositive", "ProbabilityOutOfRange");
            case "not-image" -> Set.of("RankMismatch");
            case "uncalled" -> Set.of("NotPositive", "NegativePadding", "ProbabilityOutOfRange", "InvalidChoice");
            case "batch-axis" -> Set.of("ViewMismatch", "InvalidFlattenDims");
            case "batch-in-sample" -> Set.of("AddMismatch", "ViewMismatch");
            default -> Set.of("ViewMismatch", "AddMismatch", "CatMismatch");
        };
    }

    private static String ids(List<Finding> findings) {
        return findings.stream().map(Finding::id).toList().toString();
    }

    private double checkValid(Case c, List<Finding> findings, ClassLoader loader, List<Discrepancy> found) {
        Set<String> lints = new TreeSet<>();
        Set<String> unused = new TreeSet<>();
        for (Finding f : findings) {
            if (LINTS.contains(f.id())) {
                lints.add(f.id());
            }
            Matcher m = UNUSED_MODULE.matcher(f.message());
            if (f.id().equals("UnusedModule") && m.find()) {
                unused.add(m.group(1));
            }
        }
        if (!new TreeSet<>(c.expectedLints()).equals(lints)) {
            found.add(new Discrepancy("lints", "PyTorch's run shows " + c.expectedLints() + " (suppressed: "
                    + c.suppress() + "), ShapeProof warned " + lints));
        }
        if (c.kind().equals("graph") && !new TreeSet<>(c.expectedUnused()).equals(unused)) {
            found.add(new Discrepancy("unused-module", "uncalled " + c.uncalled() + " (suppressed: " + c.suppress()
                    + "), warned " + unused));
        }
        Class<?> model;
        ModelSummary summary;
        try {
            model = loader.loadClass(c.id() + ".NetModel");
            summary = (ModelSummary) model.getField("SUMMARY").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            found.add(new Discrepancy("crash", "loading the generated model: " + e));
            return Double.NaN;
        }
        List<List<Long>> outputs = new ArrayList<>();
        for (NamedShape output : summary.outputs()) {
            outputs.add(Arrays.stream(output.shape().dims()).mapToObj(d -> (long) d).toList());
        }
        if (!outputs.equals(c.outputs())) {
            found.add(new Discrepancy("outputs", "PyTorch " + c.outputs() + ", ShapeProof " + outputs));
        }
        if (c.summary() != null && !c.summary().equals(summary.toString())) {
            found.add(new Discrepancy("summary", firstDifference(c.summary(), summary.toString())));
        }
        return c.numeric() ? checkNumbers(c, model, found) : Double.NaN;
    }

    private double checkNumbers(Case c, Class<?> model, List<Discrepancy> found) {
        Path weights = directory.resolve("numeric").resolve(c.id() + ".weights.npz");
        Path io = directory.resolve("numeric").resolve(c.id() + ".io.npz");
        try {
            Constructor<?> constructor = model.getConstructor(Path.class);
            Object net = constructor.newInstance(weights);
            Map<String, INDArray> arrays = StateDictFiles.read(io).tensors();
            List<INDArray> inputs = new ArrayList<>();
            List<INDArray> before = new ArrayList<>();
            for (String name : inputNames(c)) {
                INDArray input = arrays.get("input." + name);
                inputs.add(input);
                before.add(input.dup());
            }
            Method forward = Arrays.stream(model.getMethods())
                    .filter(m -> m.getName().equals("forward") && m.getParameterCount() == inputs.size()
                            && Arrays.stream(m.getParameterTypes()).allMatch(t -> t == INDArray.class))
                    .findFirst().orElseThrow();
            Object result = forward.invoke(net, inputs.toArray());
            List<INDArray> actual = new ArrayList<>();
            if (result instanceof INDArray array) {
                actual.add(array);
            } else {
                for (RecordComponent component : result.getClass().getRecordComponents()) {
                    actual.add((INDArray) component.getAccessor().invoke(result));
                }
            }
            double worst = 0;
            for (int i = 0; i < actual.size(); i++) {
                INDArray expected = arrays.get("output." + i);
                if (!Arrays.equals(actual.get(i).shape(), expected.shape())) {
                    found.add(new Discrepancy("numeric", "output " + i + " has shape "
                            + Arrays.toString(actual.get(i).shape()) + ", PyTorch's "
                            + Arrays.toString(expected.shape())));
                    return Double.NaN;
                }
                double error = relativeError(actual.get(i), expected);
                worst = Math.max(worst, Double.isNaN(error) ? Double.POSITIVE_INFINITY : error);
            }
            if (!(worst <= TOLERANCE)) {
                found.add(new Discrepancy("numeric", String.format(Locale.ROOT,
                        "max |ShapeProof − PyTorch| / max(1, max |PyTorch|) = %.3g > %.0e", worst, TOLERANCE)));
            }
            for (int i = 0; i < inputs.size(); i++) {
                if (!inputs.get(i).equals(before.get(i))) {
                    found.add(new Discrepancy("input-modified", "forward changed input " + i));
                }
            }
            return worst;
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            found.add(new Discrepancy("numeric", "running the model: " + cause));
            return Double.NaN;
        }
    }

    private static List<String> inputNames(Case c) {
        // The @Model's inputs in order: `input = {...}` is x; `inputs = {@Input(name = "a", ...), ...}` in order.
        Matcher m = Pattern.compile("@Input\\(name = \"(\\w+)\"").matcher(c.source());
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names.isEmpty() ? List.of("x") : names;
    }

    /** max |a − e| / max(1, max |e|), where equal infinities and NaNs count as equal. */
    static double relativeError(INDArray actual, INDArray expected) {
        double[] a = actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        double[] e = expected.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        if (!Layouts.isDenseC(actual) || !Layouts.isDenseC(expected)) {
            a = actual.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
            e = expected.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        }
        double scale = 1;
        for (double v : e) {
            if (Double.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            if (a[i] == e[i] || (Double.isNaN(a[i]) && Double.isNaN(e[i]))) {
                continue;
            }
            worst = Math.max(worst, Math.abs(a[i] - e[i]) / scale);
        }
        return worst;
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<none>";
            String al = i < a.length ? a[i] : "<none>";
            if (!el.equals(al)) {
                return "line " + (i + 1) + ": torchsummary \"" + el + "\", ShapeProof \"" + al + "\"";
            }
        }
        return "equal";
    }
}
