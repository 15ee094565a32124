package dev.shapeproof.conformance;

import dev.shapeproof.processor.ShapeProofProcessor;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * javac in-process with the processor, on many models at once: one javac run costs seconds to start and warm up, a
 * model tens of milliseconds once it runs. Diagnostics go back to their model through the package of the file they
 * are in (the model's source or its generated class).
 */
final class Javac {
    private static final Pattern CASE = Pattern.compile("/(c\\d+)/");
    private static final Pattern ID = Pattern.compile("\\[ShapeProof/(\\w+)]");

    /** One diagnostic: error or warning, its ShapeProof id ({@code javac} for javac's own), the full text. */
    record Finding(boolean error, String id, String message, String file, long line) {
        @Override
        public String toString() {
            return (error ? "error" : "warning") + " [" + id + "] " + file + ":" + line + ": " + message;
        }
    }

    /**
     * @param findings by case id
     * @param unattributed errors javac reported on no model's file
     * @param crash an exception javac threw, or {@code null}
     */
    record Result(Map<String, List<Finding>> findings, List<Finding> unattributed, Throwable crash) {
        List<Finding> of(String id) {
            return findings.getOrDefault(id, List.of());
        }
    }

    private Javac() {}

    /**
     * Compiles the cases' sources with the processor. With {@code procOnly} javac only runs the processor (the
     * models are expected to be rejected: nothing to generate); otherwise class files go to {@code classes}.
     */
    static Result compile(List<Case> cases, Path work, boolean procOnly) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Case c : cases) {
            sources.add(new Source(c.id(), c.source()));
        }
        Path generated = work.resolve("generated");
        Path classes = work.resolve("classes");
        try {
            Files.createDirectories(generated);
            Files.createDirectories(classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> options = new ArrayList<>(List.of(
                "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), "-s", generated.toString(),
                "-implicit:none", "-Xmaxerrs", "100000", "-Xmaxwarns", "100000",
                "-encoding", "UTF-8"));
        if (procOnly) {
            options.add("-proc:only");
        }
        Throwable crash = null;
        StringWriter out = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(collector, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            JavaCompiler.CompilationTask task = compiler.getTask(out, files, collector, options, null, sources);
            task.setProcessors(List.of(new ShapeProofProcessor()));
            task.call();
        } catch (RuntimeException | IOException | Error e) {
            crash = e;
        }
        Map<String, List<Finding>> findings = new HashMap<>();
        List<Finding> unattributed = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : collector.getDiagnostics()) {
            boolean error = d.getKind() == Diagnostic.Kind.ERROR;
            boolean warning = d.getKind() == Diagnostic.Kind.WARNING
                    || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING;
            if (!error && !warning) {
                continue;
            }
            String message = d.getMessage(Locale.ROOT);
            Matcher id = ID.matcher(message);
            String file = d.getSource() == null ? "" : d.getSource().toUri().toString();
            Finding finding = new Finding(error, id.find() ? id.group(1) : "javac", message,
                    file.substring(file.lastIndexOf('/') + 1), d.getLineNumber());
            Matcher owner = CASE.matcher(file);
            if (owner.find()) {
                findings.computeIfAbsent(owner.group(1), k -> new ArrayList<>()).add(finding);
            } else if (error) {
                unattributed.add(finding);
            }
        }
        return new Result(findings, unattributed, crash);
    }

    /** A model's source, in memory, at {@code <id>/Net.java}. */
    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String id, String text) {
            super(URI.create("string:///" + id + "/Net.java"), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
