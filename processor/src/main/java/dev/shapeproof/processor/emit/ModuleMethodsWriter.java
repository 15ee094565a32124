package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/**
 * Writes the constructors and the PyTorch-style module methods ({@code parameters()}, {@code load}, {@code eval()}…).
 * They delegate to the runtime's {@code Modules}, so the generated class holds only what is specific to its model.
 */
final class ModuleMethodsWriter {
    /** The field holding the layers as {@code Modules}. */
    static final String FIELD = "modules";

    private ModuleMethodsWriter() {}

    static void add(TypeSpec.Builder generated, ClassName self, String field) {
        generated.addField(FieldSpec.builder(RuntimeTypes.MODULES, field, Modifier.PRIVATE, Modifier.FINAL).build());

        generated.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("A model initialised as PyTorch initialises its layers, from the default seed; in eval "
                        + "mode.\n")
                .addStatement("this($T.DEFAULT_SEED)", RuntimeTypes.MODULES)
                .build());
        generated.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.LONG, "seed")
                .addJavadoc("A model initialised as PyTorch initialises its layers, reproducibly from {@code seed}; "
                        + "in eval mode.\n")
                .addStatement("this.$N = $N()", field, ModuleTreeWriter.METHOD)
                .addStatement("$N.initialize(seed)", field)
                .build());
        generated.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addParameter(RuntimeTypes.PATH, "weights")
                .addException(RuntimeTypes.IO_EXCEPTION)
                .addJavadoc("A model with the weights of a PyTorch {@code state_dict} saved as {@code .npz} or "
                        + "{@code .safetensors}, checked strictly; in eval mode.\n")
                .addJavadoc("\n@throws IOException if the file cannot be read, or its keys or shapes do not match "
                        + "(all of them are listed)\n")
                .addStatement("this(weights, $T.strict())", RuntimeTypes.LOAD_OPTIONS)
                .build());
        generated.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addParameter(RuntimeTypes.PATH, "weights")
                .addParameter(RuntimeTypes.LOAD_OPTIONS, "options")
                .addException(RuntimeTypes.IO_EXCEPTION)
                .addJavadoc("A model with the weights in {@code weights}, loaded as {@code options} say (strictness, "
                        + "key renames); in eval mode.\n")
                .addStatement("this.$N = $N()", field, ModuleTreeWriter.METHOD)
                .addStatement("$N.initializeAndLoad($T.DEFAULT_SEED, weights, options)", field, RuntimeTypes.MODULES)
                .build());

        generated.addMethod(delegate("parameters", RuntimeTypes.TENSOR_MAP, field,
                "The trainable parameters by {@code state_dict} key ({@code conv1.weight}), in PyTorch's order."));
        generated.addMethod(delegate("buffers", RuntimeTypes.TENSOR_MAP, field,
                "The buffers (BatchNorm's running statistics) by {@code state_dict} key, in PyTorch's order."));
        generated.addMethod(delegate("stateDict", RuntimeTypes.TENSOR_MAP, field,
                "Parameters and buffers, as PyTorch's {@code state_dict()}."));
        generated.addMethod(delegate("isTraining", TypeName.BOOLEAN, field,
                "Whether the model is in training mode (dropout active)."));

        generated.addMethod(MethodSpec.methodBuilder("load")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(RuntimeTypes.PATH, "weights")
                .addParameter(RuntimeTypes.LOAD_OPTIONS, "options")
                .addException(RuntimeTypes.IO_EXCEPTION)
                .addJavadoc("Replaces the weights with those in {@code weights}; nothing changes if it fails.\n")
                .addStatement("$N.load(weights, options)", field)
                .build());
        generated.addMethod(MethodSpec.methodBuilder("save")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(RuntimeTypes.PATH, "file")
                .addException(RuntimeTypes.IO_EXCEPTION)
                .addJavadoc("Writes the {@code state_dict} as {@code .npz} or {@code .safetensors}, by extension.\n")
                .addStatement("$N.save(file)", field)
                .build());
        generated.addMethod(MethodSpec.methodBuilder("train")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(self)
                .addJavadoc("Training mode: dropout zeroes activations. Returns this model, as PyTorch does.\n")
                .addStatement("$N.train(true)", field)
                .addStatement("return this")
                .build());
        generated.addMethod(MethodSpec.methodBuilder("eval")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(self)
                .addJavadoc("Eval mode, the default: dropout is the identity. Returns this model.\n")
                .addStatement("$N.train(false)", field)
                .addStatement("return this")
                .build());
    }

    private static MethodSpec delegate(String name, TypeName type, String field, String doc) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(type)
                .addJavadoc("$L\n", doc)
                .addStatement("return $N.$N()", field, name)
                .build();
    }
}
