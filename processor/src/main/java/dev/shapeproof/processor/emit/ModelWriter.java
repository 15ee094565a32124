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
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    /** Shape constants initialised per class: about 40 bytes each keeps every static initializer under 20 KB. */
    static final int CONSTANTS_PER_CLASS = 500;

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

        addShapeConstants(generated, model);
        addConstructor(generated, model.nodes());
        return JavaFile.builder(packageName, generated.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /** One public constant per shape: the input, each layer's output, the model's output. */
    private static void addShapeConstants(TypeSpec.Builder generated, CheckedModel model) {
        List<ShapeConstant> constants = new ArrayList<>();
        Set<String> taken = new HashSet<>(List.of("INPUT_SHAPE", "OUTPUT_SHAPE"));
        constants.add(new ShapeConstant("INPUT_SHAPE", model.input(), "The input"));
        for (CheckedNode<?> node : model.nodes()) {
            String name = outputConstantName(node.name());
            if (!taken.add(name)) {
                // fooBar and foo_bar would both be FOO_BAR_...: keep the names distinct, deterministically.
                name = name + "_" + constants.size();
                taken.add(name);
            }
            constants.add(new ShapeConstant(name, node.output(),
                    "The output of {@code " + node.name() + "} (" + node.op().name() + ")"));
        }
        constants.add(new ShapeConstant("OUTPUT_SHAPE", model.output(), "The model's output"));

        if (constants.size() <= CONSTANTS_PER_CLASS) {
            constants.forEach(constant -> generated.addField(constant.field(constant.initializer())));
            return;
        }
        // A static initializer is one method: past a few thousand shapes it would exceed javac's 64 KB limit. Each
        // holder class initialises a slice; the public constants only copy a reference from it.
        for (int start = 0, index = 0; start < constants.size(); start += CONSTANTS_PER_CLASS, index++) {
            List<ShapeConstant> slice = constants.subList(start, Math.min(constants.size(), start + CONSTANTS_PER_CLASS));
            String holderName = "Shapes" + index;
            TypeSpec.Builder holder = TypeSpec.classBuilder(holderName)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Initialises shapes $L to $L; see the public constants.\n", start,
                            start + slice.size() - 1);
            for (ShapeConstant constant : slice) {
                holder.addField(FieldSpec.builder(TensorShape.class, constant.name(), Modifier.STATIC, Modifier.FINAL)
                        .initializer(constant.initializer())
                        .build());
                generated.addField(constant.field(CodeBlock.of("$N.$N", holderName, constant.name())));
            }
            generated.addType(holder.build());
        }
    }

    /** {@code conv2_drop} → {@code CONV2_DROP_OUTPUT_SHAPE}; {@code fc1Out} → {@code FC1_OUT_OUTPUT_SHAPE}. */
    static String outputConstantName(String fieldName) {
        String snake = fieldName.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return snake.toUpperCase(Locale.ROOT) + "_OUTPUT_SHAPE";
    }

    /** A public shape constant before it is written. */
    private record ShapeConstant(String name, TensorShape shape, String doc) {
        CodeBlock initializer() {
            CodeBlock dims = CodeBlock.join(
                    Arrays.stream(shape.dims()).mapToObj(dim -> CodeBlock.of("$L", dim)).toList(), ", ");
            return CodeBlock.of("$T.of($L)", TensorShape.class, dims);
        }

        FieldSpec field(CodeBlock initializer) {
            return FieldSpec.builder(TensorShape.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("$L: {@code $L}.\n", doc, shape)
                    .initializer(initializer)
                    .build();
        }
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
