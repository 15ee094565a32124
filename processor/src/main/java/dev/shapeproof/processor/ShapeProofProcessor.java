package dev.shapeproof.processor;

import com.google.auto.service.AutoService;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.emit.ModelWriter;
import dev.shapeproof.processor.emit.SummaryBuilder;
import dev.shapeproof.summary.ModelSummary;
import java.io.Writer;
import javax.tools.FileObject;
import javax.tools.StandardLocation;
import dev.shapeproof.processor.lower.Lowering;
import dev.shapeproof.processor.read.BlockReader;
import dev.shapeproof.processor.read.DeferredTypeException;
import dev.shapeproof.processor.read.ModelDeclaration;
import dev.shapeproof.processor.read.ModelReader;
import dev.shapeproof.processor.read.WrittenAnnotations;
import dev.shapeproof.processor.sizes.FreeSizeCompiler;
import dev.shapeproof.processor.sizes.FreeSizeModel;
import dev.shapeproof.processor.sizes.FreeSizeSummaries;
import dev.shapeproof.sizes.SizedSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Compiles every {@code @Model} class: reads it into a graph, proves its shapes, and writes {@code <Name>Model}.
 *
 * <p>It never throws to javac and never claims annotations. A user's mistake is an error on the attribute to edit; an
 * unexpected exception becomes one {@code [ShapeProof/Internal]} error with its trace, and one broken model never
 * stops the others. A model whose field types are not resolved yet is retried by name in later rounds and reported
 * once at the end if they never resolve. Isolating for Gradle: each output depends only on its model class.
 */
@AutoService(Processor.class)
public final class ShapeProofProcessor extends AbstractProcessor {
    /** {@code -Ashapeproof.summary=true} prints each model's shapes as a note during compilation. */
    public static final String SUMMARY_OPTION = "shapeproof.summary";

    /** Models waiting for a type, by qualified name, with the type they wait for. */
    private final Map<String, String> deferred = new LinkedHashMap<>();

    /**
     * Every diagnostic printed in this compilation, so that a mistake in a block that several models (or several
     * instances) share is reported once.
     */
    private final java.util.Set<String> reported = new java.util.HashSet<>();

    /** Called at the start of each model's compilation; tests use it to simulate a bug in ShapeProof. */
    private final Consumer<TypeElement> beforeEachModel;

    public ShapeProofProcessor() {
        this(type -> { });
    }

    /** For tests: {@code beforeEachModel} runs inside the per-model error boundary, before the model is read. */
    ShapeProofProcessor(Consumer<TypeElement> beforeEachModel) {
        this.beforeEachModel = beforeEachModel;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("dev.shapeproof.Model", "dev.shapeproof.Block", "dev.shapeproof.Init");
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(SUMMARY_OPTION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Map<String, TypeElement> models = new LinkedHashMap<>();
        for (String name : deferred.keySet()) {
            TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
            if (type != null) {
                models.put(name, type);
            }
        }
        deferred.clear();
        TypeElement model = processingEnv.getElementUtils().getTypeElement("dev.shapeproof.Model");
        if (model != null) {
            for (Element element : round.getElementsAnnotatedWith(model)) {
                if (element instanceof TypeElement type) {
                    models.put(type.getQualifiedName().toString(), type);
                }
            }
        }
        for (TypeElement type : models.values()) {
            compile(type);
        }
        if (round.processingOver()) {
            reportUnresolved();
        }
        return false;
    }

    private void compile(TypeElement type) {
        WrittenAnnotations written = WrittenAnnotations.of(processingEnv);
        Reporter reporter = new Reporter(processingEnv.getMessager(), reported);
        try {
            beforeEachModel.accept(type);
            Optional<ModelDeclaration> declaration =
                    new ModelReader(processingEnv.getElementUtils(), reporter, written).read(type);
            if (declaration.isEmpty()) {
                return;
            }
            BlockReader blocks = new BlockReader(processingEnv.getElementUtils(), reporter, written);
            if (declaration.get().freeSizes() != null) {
                compileFreeSizes(type, declaration.get(), reporter, blocks);
                return;
            }
            Optional<CheckedModel> checked = Lowering.lower(declaration.get(), processingEnv.getElementUtils(),
                    processingEnv.getTypeUtils(), reporter, blocks);
            if (checked.isEmpty()) {
                return;
            }
            ModelSummary summary = SummaryBuilder.build(checked.get());
            if (isSummaryRequested()) {
                reporter.note(type, type.getSimpleName() + "\n" + summary + "\n" + summary.detailed());
                writeSummaryFile(type, summary);
            }
            new ModelWriter(processingEnv.getElementUtils()).write(checked.get(), summary)
                    .writeTo(processingEnv.getFiler());
        } catch (DeferredTypeException e) {
            deferred.put(type.getQualifiedName().toString(), e.typeName());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            reporter.report(Location.of(type), Message.INTERNAL, type.getSimpleName(), stackTrace(e));
        }
    }

    /**
     * A model with free sizes ({@code dims = "3, H, W"}): its admissible sizes derived, its class generated to serve
     * all of them.
     */
    private void compileFreeSizes(TypeElement type, ModelDeclaration declaration, Reporter reporter,
            BlockReader blocks) throws IOException, DeferredTypeException {
        Optional<FreeSizeModel> free = new FreeSizeCompiler(processingEnv.getElementUtils(),
                processingEnv.getTypeUtils(), reporter, blocks, type.getSimpleName().toString(), SummaryBuilder::build)
                .compile(declaration);
        if (free.isEmpty()) {
            return;
        }
        if (isSummaryRequested()) {
            SizedSummary summary = FreeSizeSummaries.of(free.get());
            reporter.note(type, type.getSimpleName() + "\n" + summary + "\n" + summary.formulas());
        }
        new ModelWriter(processingEnv.getElementUtils()).write(free.get()).writeTo(processingEnv.getFiler());
    }

    private void reportUnresolved() {
        Reporter reporter = new Reporter(processingEnv.getMessager(), reported);
        deferred.forEach((name, missing) -> {
            TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
            if (type != null) {
                reporter.report(Location.of(type), Message.UNRESOLVED_TYPE, type.getSimpleName(),
                        ModelReader.generatedName(type), missing);
            }
        });
        deferred.clear();
    }

    /**
     * {@code <Name>.summary.md} beside the generated sources: a build artifact to read or publish, not a resource of
     * the user's jar (the compiler's source output is not packaged).
     */
    private void writeSummaryFile(TypeElement type, ModelSummary summary) throws IOException {
        String packageName = processingEnv.getElementUtils().getPackageOf(type).getQualifiedName().toString();
        FileObject file = processingEnv.getFiler().createResource(StandardLocation.SOURCE_OUTPUT, packageName,
                ModelReader.generatedName(type).replaceFirst("Model$", "") + ".summary.md", type);
        try (Writer writer = file.openWriter()) {
            writer.write(summary.toMarkdown());
        }
    }

    private boolean isSummaryRequested() {
        return Boolean.parseBoolean(processingEnv.getOptions().get(SUMMARY_OPTION));
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
