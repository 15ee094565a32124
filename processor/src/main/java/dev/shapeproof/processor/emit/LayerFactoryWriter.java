package dev.shapeproof.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code createLayers()}: it assigns every layer field with its proven configuration and returns them as
 * {@code Modules}, in declaration ({@code state_dict}) order. A module called several times is constructed once.
 * Large models assign their layers in helper methods.
 */
final class LayerFactoryWriter {
    static final String METHOD = "createLayers";

    private LayerFactoryWriter() {}

    static void add(TypeSpec.Builder generated, CheckedModel model) {
        Map<String, CheckedNode<?>> firstCalls = new LinkedHashMap<>();
        for (CheckedNode<?> node : model.nodes()) {
            if (node.node().isModuleCall()) {
                firstCalls.putIfAbsent(node.node().module(), node);
            }
        }
        List<CheckedNode<?>> layers = new ArrayList<>();
        for (String module : model.graph().modules()) {
            layers.add(firstCalls.get(module));
        }
        MethodSpec.Builder factory = MethodSpec.methodBuilder(METHOD)
                .addModifiers(Modifier.PRIVATE)
                .returns(RuntimeTypes.MODULES)
                .addJavadoc("Assigns every layer field with its checked configuration; returns them in order.\n");
        List<List<CheckedNode<?>>> chunks = Chunks.of(layers);
        if (chunks.size() == 1) {
            layers.forEach(layer -> factory.addStatement("this.$N = $L", layer.node().module(), layer.newLayer()));
        } else {
            for (int i = 0; i < chunks.size(); i++) {
                List<CheckedNode<?>> chunk = chunks.get(i);
                MethodSpec.Builder helper = MethodSpec.methodBuilder(METHOD + i)
                        .addModifiers(Modifier.PRIVATE)
                        .addJavadoc("Assigns $L to $L.\n", chunk.get(0).node().module(),
                                chunk.get(chunk.size() - 1).node().module());
                chunk.forEach(layer -> helper.addStatement("this.$N = $L", layer.node().module(), layer.newLayer()));
                generated.addMethod(helper.build());
                factory.addStatement("$N()", METHOD + i);
            }
        }
        CodeBlock list = CodeBlock.join(
                layers.stream().map(layer -> CodeBlock.of("this.$N", layer.node().module())).toList(), ", ");
        factory.addStatement("return new $T($L)", RuntimeTypes.MODULES, list);
        generated.addMethod(factory.build());
    }
}
