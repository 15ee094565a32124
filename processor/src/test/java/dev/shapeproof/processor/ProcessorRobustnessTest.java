package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.shapeproof.processor.diag.Message;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.ForwardingJavaFileObject;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The processor's own guarantees: one broken model never stops the others, and it never throws to javac. */
class ProcessorRobustnessTest {

    @Test
    void twoBrokenModelsGiveBothErrors() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4,",
                "            kernel = 0) Conv2dLayer conv;",
                "}");
        JavaFileObject other = Sources.model("Other",
                "@Model(input = {16})",
                "abstract class Other {",
                "    @Dropout(",
                "            p = 2.0) DropoutLayer drop;",
                "}");
        Compilation c = Sources.compile(net, other);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("kernel = 0");
        assertThat(c).hadErrorContaining(Message.PROBABILITY_OUT_OF_RANGE.tag())
                .inFile(other).onLineContaining("p = 2.0");
        assertThat(c).hadErrorCount(2);
    }

    /**
     * javac reports the unknown type itself ("cannot find symbol"); ShapeProof retries the model each round and, at
     * the end, notes once that NetModel was not generated. One error, javac's: one mistake, one error.
     */
    @Test
    void unresolvedFieldType() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3)",
                "    Conv3dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("cannot find symbol").inFile(net).onLineContaining("Conv3dLayer conv;");
        assertThat(c).hadNoteContaining(Message.UNRESOLVED_TYPE.tag())
                .inFile(net).onLineContaining("abstract class Net {");
        assertThat(c).hadNoteContaining("Net: NetModel was not generated, because Conv3dLayer never resolved");
        assertThat(c).hadNoteContaining("hint    : fix the errors javac reports for Conv3dLayer");
        assertThat(c).hadErrorCount(1);
    }

    /** A misspelt layer annotation is javac's error alone: no NoLayers, no UnknownName for the forward's call. */
    @Test
    void misspeltAnnotationIsJavacsErrorAlone() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8}, forward = \"return conv1(x)\")",
                "abstract class Net {",
                "    @Conv2D(out = 4, kernel = 3) Conv2dLayer conv1;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("cannot find symbol").inFile(net).onLineContaining("@Conv2D");
        assertThat(c).hadErrorCount(1);
    }

    /**
     * A bug in ShapeProof while compiling Net is one Internal error on Net; Other is still generated.
     *
     * <p>compile-testing 0.23 refuses {@code generatedSourceFile} once a compilation has failed ("compilation failed,
     * so generated files are unavailable"), and javac runs no further round after an error, so the generated file is
     * observed where ShapeProof writes it: the processor is given a Filer that records each source file it creates.
     */
    @Test
    void internalFailureIsOneErrorAndSparesOtherModels() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}");
        JavaFileObject other = Sources.model("Other",
                "@Model(input = {16})",
                "abstract class Other {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}");
        RecordingFiler recording = new RecordingFiler(new ShapeProofProcessor(type -> {
            if (type.getSimpleName().contentEquals("Net")) {
                throw new RuntimeException("boom");
            }
        }));
        Compilation c = Compiler.javac().withProcessors(recording).compile(net, other);
        assertThat(c).hadErrorContaining(Message.INTERNAL.tag()).inFile(net).onLineContaining("abstract class Net");
        assertThat(c).hadErrorContaining("Net: ShapeProof failed while processing this model");
        assertThat(c).hadErrorContaining("java.lang.RuntimeException: boom");
        assertThat(c).hadErrorCount(1);
        assertThat(recording.sources.keySet()).containsExactly("test.OtherModel");
        assertThat(recording.sources.get("test.OtherModel").toString())
                .contains("class OtherModel extends Other");
    }

    /** The hook alone, with no failure, changes nothing: both models are generated. */
    @Test
    void hookThatDoesNotThrowGeneratesEveryModel() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}");
        JavaFileObject other = Sources.model("Other",
                "@Model(input = {16})",
                "abstract class Other {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}");
        Compilation c = Compiler.javac().withProcessors(new ShapeProofProcessor(type -> { })).compile(net, other);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.NetModel");
        assertThat(c).generatedSourceFile("test.OtherModel");
    }

    /** Runs a processor with a Filer that remembers the source files it creates, by name. */
    private static final class RecordingFiler implements Processor {
        /** The text written to each created source file, by the name it was created with. */
        final Map<String, StringWriter> sources = new LinkedHashMap<>();
        private final Processor delegate;

        RecordingFiler(Processor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void init(ProcessingEnvironment env) {
            Filer filer = env.getFiler();
            Filer recording = (Filer) Proxy.newProxyInstance(Filer.class.getClassLoader(),
                    new Class<?>[] {Filer.class}, (proxy, method, args) -> {
                        Object result = invoke(method, filer, args);
                        if (!method.getName().equals("createSourceFile")) {
                            return result;
                        }
                        StringWriter text = new StringWriter();
                        sources.put(args[0].toString(), text);
                        return new ForwardingJavaFileObject<>((JavaFileObject) result) {
                            @Override
                            public Writer openWriter() throws IOException {
                                return new TeeWriter(super.openWriter(), text);
                            }
                        };
                    });
            delegate.init((ProcessingEnvironment) Proxy.newProxyInstance(
                    ProcessingEnvironment.class.getClassLoader(), new Class<?>[] {ProcessingEnvironment.class},
                    (proxy, method, args) -> method.getName().equals("getFiler") ? recording
                            : invoke(method, env, args)));
        }

        private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
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
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            return delegate.process(annotations, round);
        }

        @Override
        public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
                ExecutableElement member, String userText) {
            return delegate.getCompletions(element, annotation, member, userText);
        }
    }

    /** Writes to {@code target} and copies everything to {@code copy}. */
    private static final class TeeWriter extends FilterWriter {
        private final Writer copy;

        TeeWriter(Writer target, Writer copy) {
            super(target);
            this.copy = copy;
        }

        @Override
        public void write(int c) throws IOException {
            super.write(c);
            copy.write(c);
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            super.write(buffer, offset, length);
            copy.write(buffer, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            super.write(text, offset, length);
            copy.write(text, offset, length);
        }
    }
}
