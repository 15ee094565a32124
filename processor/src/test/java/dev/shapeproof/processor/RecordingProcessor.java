package dev.shapeproof.processor;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import javax.lang.model.element.QualifiedNameable;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.ForwardingFileObject;
import javax.tools.ForwardingJavaFileObject;
import javax.tools.JavaFileObject;

/**
 * Runs a processor with a Filer that records what it creates: each file's text, and the originating elements it was
 * created with. compile-testing shows neither once a compilation has failed, nor the originating elements at all.
 */
final class RecordingProcessor implements Processor {
    /** The text written to each created file, by name: {@code test.NetModel}, or {@code test/Net.summary.md}. */
    final Map<String, StringWriter> texts = new LinkedHashMap<>();
    /** The qualified names of each created file's originating elements, by the same names. */
    final Map<String, List<String>> origins = new LinkedHashMap<>();
    private final Processor delegate;

    RecordingProcessor(Processor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void init(ProcessingEnvironment env) {
        Filer filer = env.getFiler();
        Filer recording = (Filer) Proxy.newProxyInstance(Filer.class.getClassLoader(), new Class<?>[] {Filer.class},
                (proxy, method, args) -> recorded(method, args, invoke(method, filer, args)));
        delegate.init((ProcessingEnvironment) Proxy.newProxyInstance(ProcessingEnvironment.class.getClassLoader(),
                new Class<?>[] {ProcessingEnvironment.class},
                (proxy, method, args) -> method.getName().equals("getFiler") ? recording
                        : invoke(method, env, args)));
    }

    /** Records a created file and returns it wrapped so that its text is copied too; other results unchanged. */
    private Object recorded(Method method, Object[] args, Object result) {
        switch (method.getName()) {
            case "createSourceFile", "createClassFile" -> {
                StringWriter text = record(args[0].toString(), (Element[]) args[1]);
                return new ForwardingJavaFileObject<>((JavaFileObject) result) {
                    @Override
                    public Writer openWriter() throws IOException {
                        return new TeeWriter(super.openWriter(), text);
                    }
                };
            }
            case "createResource" -> {
                String name = args[1].toString().replace('.', '/') + "/" + args[2];
                StringWriter text = record(name, (Element[]) args[3]);
                return new ForwardingFileObject<>((FileObject) result) {
                    @Override
                    public Writer openWriter() throws IOException {
                        return new TeeWriter(super.openWriter(), text);
                    }
                };
            }
            default -> {
                return result;
            }
        }
    }

    private StringWriter record(String name, Element[] originatingElements) {
        List<String> names = new ArrayList<>();
        for (Element element : originatingElements == null ? new Element[0] : originatingElements) {
            names.add(((QualifiedNameable) element).getQualifiedName().toString());
        }
        origins.put(name, names);
        StringWriter text = new StringWriter();
        texts.put(name, text);
        return text;
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
