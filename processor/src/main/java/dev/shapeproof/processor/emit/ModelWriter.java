package dev.shapeproof.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.read.ModelReader;
import dev.shapeproof.processor.sizes.FreeSizeModel;
import dev.shapeproof.summary.ModelSummary;
import java.util.Optional;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Writes {@code <Name>Model}: a subclass of the user's model that constructs every layer with its proven
 * configuration, publishes every inferred shape as a constant, runs {@code forward} on ND4J and reads and writes
 * PyTorch weights.
 */
public final class ModelWriter {
    static final String PROCESSOR = "dev.shapeproof.processor.ShapeProofProcessor";

    private final Elements elements;

    public ModelWriter(Elements elements) {
        this.elements = elements;
    }

    /** The generated class for {@code model}, holding {@code summary} (see {@link SummaryBuilder}). */
    public GeneratedSource write(CheckedModel model, ModelSummary summary) {
        return write(model, summary, null);
    }

    /**
     * The generated class for a model with free sizes: the model's code at its reference size, with its sizes in
     * symbols, its input check and its summary from {@code free}.
     */
    public GeneratedSource write(FreeSizeModel free) {
        return write(free.model(), null, free);
    }

    private GeneratedSource write(CheckedModel model, ModelSummary summary, FreeSizeModel free) {
        TypeElement type = model.graph().type();
        String packageName = elements.getPackageOf(type).getQualifiedName().toString();
        ClassName userClass = ClassName.get(type);
        ClassName self = ClassName.get(packageName, ModelReader.generatedName(type));
        TypeSpec.Builder generated = TypeSpec.classBuilder(self)
                .superclass(userClass)
                .addSuperinterface(RuntimeTypes.COMPILED_MODEL)
                .addOriginatingElement(type)
                .addJavadoc("The {@link $T} model, its shapes proven at compile time by ShapeProof.\n", userClass)
                .addJavadoc("\n<p>Every proven shape is a constant: {@code INPUT_SHAPE} (or one per named input), "
                        + "{@code <MODULE>_OUTPUT_SHAPE} for each module the forward calls, {@code OUTPUT_SHAPE} (or one "
                        + "per named output). Shapes put the free batch dimension first, as {@code -1}.\n");
        if (free != null) {
            generated.addJavadoc("\n<p>Its height and width are free: shapes are in the free sizes $L, and "
                    + "{@code forward} admits exactly {@code ADMISSIBLE_SIZES}.\n",
                    String.join(", ", free.freeSizes().symbols()));
        }
        generatedAnnotation().ifPresent(generated::addAnnotation);
        if (type.getModifiers().contains(Modifier.PUBLIC)) {
            generated.addModifiers(Modifier.PUBLIC);
        }
        generated.addModifiers(Modifier.FINAL);

        String modules = modulesField(model);
        BlockClasses blocks = BlockClasses.of(model);
        FreeSizeWriter sizes = free == null ? null : new FreeSizeWriter(free);
        if (sizes == null) {
            ShapeConstants.add(generated, model);
        } else {
            sizes.addConstants(generated);
        }
        ModuleMethodsWriter.add(generated, self, modules);
        ForwardWriter.addModelForward(generated, self, model, modules, blocks,
                sizes == null ? SizeBinding.FIXED : sizes);
        if (sizes == null) {
            SummaryWriter.add(generated, summary);
        } else {
            sizes.addSizeConstants(generated);
            sizes.addSummary(generated);
        }
        ModuleTreeWriter.add(generated, model, blocks);
        blocks.types().forEach(generated::addType);
        JavaFile file = JavaFile.builder(packageName, generated.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
        return GeneratedSource.of(self.canonicalName(), file.toString(), type);
    }

    /** {@code modules}, unless a layer has that name. */
    private static String modulesField(CheckedModel model) {
        String name = ModuleMethodsWriter.FIELD;
        while (isLayerName(model, name)) {
            name = name + "_";
        }
        return name;
    }

    private static boolean isLayerName(CheckedModel model, String name) {
        return model.graph().modules().contains(name);
    }

    /** {@code @Generated} without a date, so the output is reproducible; skipped where the type does not exist. */
    private Optional<AnnotationSpec> generatedAnnotation() {
        TypeElement generated = elements.getTypeElement("javax.annotation.processing.Generated");
        if (generated == null) {
            return Optional.empty();
        }
        return Optional.of(AnnotationSpec.builder(ClassName.get(generated))
                .addMember("value", "$S", PROCESSOR)
                .build());
    }
}
