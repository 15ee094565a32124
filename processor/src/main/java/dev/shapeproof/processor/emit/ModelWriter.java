package dev.shapeproof.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.read.ModelReader;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Writes {@code <Name>Model}: a subclass of the user's model that constructs every layer with its proven
 * configuration and publishes every inferred shape as a constant.
 */
public final class ModelWriter {
    static final String PROCESSOR = "dev.shapeproof.processor.ShapeProofProcessor";

    /** Layers constructed per helper method: far below the 64 KB method limit even for the longest constructors. */
    static final int LAYERS_PER_METHOD = 100;

    private final Elements elements;

    public ModelWriter(Elements elements) {
        this.elements = elements;
    }

    public JavaFile write(CheckedModel model) {
        TypeElement type = model.graph().type();
        String packageName = elements.getPackageOf(type).getQualifiedName().toString();
        ClassName userClass = ClassName.get(type);
        TypeSpec.Builder generated = TypeSpec.classBuilder(ModelReader.generatedName(type))
                .superclass(userClass)
                .addOriginatingElement(type)
                .addJavadoc("The {@link $T} model, its shapes proven at compile time by ShapeProof.\n", userClass)
                .addJavadoc("\n<p>Shapes put the free batch dimension first, as {@code -1}.\n");
        generatedAnnotation().ifPresent(generated::addAnnotation);
        if (type.getModifiers().contains(Modifier.PUBLIC)) {
            generated.addModifiers(Modifier.PUBLIC);
        }
        generated.addModifiers(Modifier.FINAL);

        generated.addField(shapeConstant("INPUT_SHAPE", model.input(), "The input"));
        for (CheckedNode<?> node : model.nodes()) {
            generated.addField(shapeConstant(outputConstantName(node.name()), node.output(),
                    "The output of {@code " + node.name() + "} (" + node.op().name() + ")"));
        }
        generated.addField(shapeConstant("OUTPUT_SHAPE", model.output(), "The model's output"));

        addConstructor(generated, model.nodes());
        return JavaFile.builder(packageName, generated.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /** {@code conv2_drop} → {@code CONV2_DROP_OUTPUT_SHAPE}; {@code fc1Out} → {@code FC1_OUT_OUTPUT_SHAPE}. */
    static String outputConstantName(String fieldName) {
        String snake = fieldName.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return snake.toUpperCase(Locale.ROOT) + "_OUTPUT_SHAPE";
    }

    private static FieldSpec shapeConstant(String name, TensorShape shape, String doc) {
        CodeBlock dims = CodeBlock.join(
                java.util.Arrays.stream(shape.dims()).mapToObj(dim -> CodeBlock.of("$L", dim)).toList(), ", ");
        return FieldSpec.builder(TensorShape.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L: {@code $L}.\n", doc, shape)
                .initializer("$T.of($L)", TensorShape.class, dims)
                .build();
    }

    /**
     * The public constructor fills every layer field. Large models construct their layers in helper methods of
     * {@value #LAYERS_PER_METHOD} layers each, so no method nears javac's 64 KB limit.
     */
    private static void addConstructor(TypeSpec.Builder generated, List<CheckedNode<?>> nodes) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Constructs every layer with its checked configuration.\n");
        if (nodes.size() <= LAYERS_PER_METHOD) {
            nodes.forEach(node -> constructor.addStatement("this.$N = $L", node.name(), node.newLayer()));
            generated.addMethod(constructor.build());
            return;
        }
        List<MethodSpec> helpers = new ArrayList<>();
        for (int start = 0; start < nodes.size(); start += LAYERS_PER_METHOD) {
            List<CheckedNode<?>> chunk = nodes.subList(start, Math.min(nodes.size(), start + LAYERS_PER_METHOD));
            MethodSpec.Builder helper = MethodSpec.methodBuilder("createLayers" + helpers.size())
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Constructs $L to $L.\n", chunk.get(0).name(), chunk.get(chunk.size() - 1).name());
            chunk.forEach(node -> helper.addStatement("this.$N = $L", node.name(), node.newLayer()));
            helpers.add(helper.build());
            constructor.addStatement("$N()", helpers.get(helpers.size() - 1));
        }
        generated.addMethod(constructor.build());
        helpers.forEach(generated::addMethod);
    }

    /** {@code @Generated} without a date, so the output is reproducible; skipped where the type does not exist. */
    private java.util.Optional<AnnotationSpec> generatedAnnotation() {
        TypeElement generated = elements.getTypeElement("javax.annotation.processing.Generated");
        if (generated == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(AnnotationSpec.builder(ClassName.get(generated))
                .addMember("value", "$S", PROCESSOR)
                .build());
    }
}
