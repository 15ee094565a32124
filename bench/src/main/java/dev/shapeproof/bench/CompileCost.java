package dev.shapeproof.bench;

import dev.shapeproof.processor.ShapeProofProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * What ShapeProof adds to a build: javac on a model's sources with the processor against javac without it
 * ({@code -proc:none}), in one JVM, interleaved, after a warm-up; the processor's own time (its {@code init} and
 * {@code process} calls, timed around the delegate); and the lines it generates.
 *
 * <p>Cases: the seed's MNIST net ({@code examples/SeedNet.java}), two generated 1,000-layer flat models (Linear only,
 * and conv–BatchNorm–ReLU triples), and torchvision's ResNet-50 written with blocks (16 Bottleneck instances, 4
 * {@code ResLayer}s). The first compile of each case in a fresh JVM is printed too: a build's javac is often cold.
 *
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/classpath-compile.txt) dev.shapeproof.bench.CompileCost \
 *     [--examples examples/src/main/java] [--runs 7] [--warmup 3] [cases...]
 * </pre>
 */
public final class CompileCost {
    private CompileCost() {}

    /** A set of sources compiled together, and how many layers (leaf modules) the model has. */
    private record Case(String name, List<JavaFileObject> sources, int layers) {}

    /** Medians and the first (cold) run of one case, in milliseconds. */
    private record Result(Case compiled, double coldWith, double without, double with, double processor,
            long generatedLines) {
        String row() {
            return String.format("| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %d | %.1f |", compiled.name,
                    compiled.layers, coldWith, without, with, with - without, processor, generatedLines,
                    (double) generatedLines / compiled.layers);
        }
    }

    public static void main(String[] args) throws IOException {
        Path examples = Path.of("examples/src/main/java");
        int runs = 7;
        int warmup = 3;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--examples" -> examples = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> names.add(args[i]);
            }
        }
        List<Case> cases = new ArrayList<>(List.of(
                new Case("seed", List.of(file(examples, "dev/shapeproof/examples/SeedNet.java")), 5),
                new Case("flat-linear-1000", List.of(FlatModels.linear(1000)), 1000),
                new Case("flat-conv-1002", List.of(FlatModels.convBnRelu(334)), 1002),
                new Case("resnet50-blocks", List.of(
                        file(examples, "dev/shapeproof/examples/torchvision/ResNet50.java"),
                        file(examples, "dev/shapeproof/examples/torchvision/Bottleneck.java"),
                        file(examples, "dev/shapeproof/examples/torchvision/ResLayer.java")), 161)));
        if (!names.isEmpty()) {
            cases.removeIf(c -> !names.contains(c.name));
        }
        System.out.println("| case | layers | first javac with processor (cold JVM) | javac alone | javac with"
                + " processor | extra | processor itself | generated lines | lines per layer |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Case c : cases) {
            System.out.println(measure(c, runs, warmup).row());
        }
        System.out.println("(milliseconds; medians of " + runs + " interleaved runs after " + warmup
                + " warm-up pairs)");
    }

    private static Result measure(Case c, int runs, int warmup) throws IOException {
        Compile cold = compile(c, true);
        for (int i = 0; i < warmup; i++) {
            compile(c, false);
            compile(c, true);
        }
        double[] without = new double[runs];
        double[] with = new double[runs];
        double[] processor = new double[runs];
        for (int i = 0; i < runs; i++) {
            without[i] = compile(c, false).millis;
            Compile run = compile(c, true);
            with[i] = run.millis;
            processor[i] = run.processorMillis;
        }
        return new Result(c, cold.millis, median(without), median(with), median(processor), cold.generatedLines);
    }

    /** One javac run's wall time, the processor's share of it, and the lines of the Java files it generated. */
    private record Compile(double millis, double processorMillis, long generatedLines) {}

    private static Compile compile(Case c, boolean withProcessor) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("compile-cost");
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-s", out.toString(),
                    "-classpath", System.getProperty("java.class.path"), "-implicit:none"));
            if (!withProcessor) {
                options.add("-proc:none");
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, options, null, c.sources);
            TimedProcessor timed = new TimedProcessor(new ShapeProofProcessor());
            if (withProcessor) {
                task.setProcessors(List.of(timed));
            }
            long start = System.nanoTime();
            boolean ok = task.call();
            double millis = (System.nanoTime() - start) / 1e6;
            if (!ok) {
                throw new IllegalStateException(c.name + " did not compile: " + diagnostics.getDiagnostics());
            }
            return new Compile(millis, timed.nanos / 1e6, generatedLines(out));
        } finally {
            delete(out);
        }
    }

    private static long generatedLines(Path out) throws IOException {
        try (Stream<Path> paths = Files.walk(out)) {
            return paths.filter(p -> p.toString().endsWith(".java")).mapToLong(CompileCost::lines).sum();
        }
    }

    private static long lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static JavaFileObject file(Path root, String relative) {
        StandardJavaFileManager files = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null);
        Path path = root.resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + " not found: run from the repository root or pass --examples");
        }
        return files.getJavaFileObjects(path).iterator().next();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The processor, with the time spent in its {@code init} and {@code process} calls added up. */
    private static final class TimedProcessor implements Processor {
        private final Processor delegate;
        long nanos;

        TimedProcessor(Processor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void init(ProcessingEnvironment env) {
            long start = System.nanoTime();
            delegate.init(env);
            nanos += System.nanoTime() - start;
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            long start = System.nanoTime();
            try {
                return delegate.process(annotations, round);
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public Set<String> getSupportedOptions() {
            return delegate.getSupportedOptions();
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return delegate.getSupportedAnnotationTypes();
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return delegate.getSupportedSourceVersion();
        }

        @Override
        public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
                ExecutableElement member, String userText) {
            return delegate.getCompletions(element, annotation, member, userText);
        }
    }
}
