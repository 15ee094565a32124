package dev.shapeproof.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.ModuleField;
import dev.shapeproof.processor.graph.ParameterInit;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code createLayers()}: it assigns every module field of the model with its proven configuration, blocks and
 * containers with everything below them, each module named by its {@code state_dict} path, and returns the model's
 * modules as {@code Modules}, in declaration order. A module the forward never calls is not constructed; a module
 * called several times is constructed once. Large models assign their fields in helper methods.
 */
final class ModuleTreeWriter {
    static final String METHOD = "createLayers";

    private ModuleTreeWriter() {}

    static void add(TypeSpec.Builder generated, CheckedModel model, BlockClasses blocks) {
        Instance root = model.graph().root();
        List<CodeBlock> statements = new ArrayList<>();
        List<String> modules = model.graph().modules();
        for (String key : modules) {
            Instance child = root.child(key);
            statements.add(CodeBlock.of("this.$N = $L", child.field(), construct(child, blocks)));
        }
        MethodSpec.Builder factory = MethodSpec.methodBuilder(METHOD)
                .addModifiers(Modifier.PRIVATE)
                .returns(RuntimeTypes.MODULES)
                .addJavadoc("Assigns every module field with its checked configuration; returns them in order.\n");
        List<List<CodeBlock>> chunks = Chunks.of(statements);
        if (chunks.size() == 1) {
            statements.forEach(factory::addStatement);
        } else {
            for (int i = 0; i < chunks.size(); i++) {
                int first = i * Chunks.PER_METHOD;
                int last = first + chunks.get(i).size() - 1;
                MethodSpec.Builder helper = MethodSpec.methodBuilder(METHOD + i)
                        .addModifiers(Modifier.PRIVATE)
                        .addJavadoc("Assigns $L to $L.\n", modules.get(first), modules.get(last));
                chunks.get(i).forEach(helper::addStatement);
                generated.addMethod(helper.build());
                factory.addStatement("$N()", METHOD + i);
            }
        }
        CodeBlock list = CodeBlock.join(
                modules.stream().map(key -> CodeBlock.of("this.$N", root.child(key).field())).toList(), ",$W");
        factory.addStatement("return new $T($L)", RuntimeTypes.MODULES, list);
        generated.addMethod(factory.build());
    }

    /** The expression that constructs {@code instance}, or {@code null} when the forward never uses it. */
    private static CodeBlock construct(Instance instance, BlockClasses blocks) {
        if (instance.kind() == Instance.Kind.PARAMETER) {
            return parameter(instance);
        }
        if (!blocks.isConstructed(instance)) {
            return CodeBlock.of("null");
        }
        if (instance.kind() == Instance.Kind.LAYER) {
            CheckedNode<?> call = blocks.firstCall(instance);
            return call.newLayer();
        }
        List<CodeBlock> children = new ArrayList<>();
        if (instance.kind() == Instance.Kind.BLOCK) {
            for (ModuleField field : instance.moduleClass().fields()) {
                Instance child = instance.child(field.name());
                children.add(child == null ? CodeBlock.of("null") : construct(child, blocks));
            }
            for (Instance child : instance.children().values()) {
                if (child.field() == null) {
                    children.add(construct(child, blocks));
                }
            }
        } else {
            for (Instance child : instance.children().values()) {
                children.add(construct(child, blocks));
            }
        }
        CodeBlock.Builder code = CodeBlock.builder().add("new $T($S", instance.kind() == Instance.Kind.BLOCK
                ? blocks.className(instance) : blocks.runtimeType(instance), instance.path());
        for (CodeBlock child : children) {
            code.add(",\n$>$>$L$<$<", child);
        }
        return code.add(")").build();
    }

    /**
     * A parameter is state of the module holding it, constructed with it whether or not its forward reads it:
     * {@code Parameter.normal("encoder.pos_embedding", 0.0, 0.02, 1, 17, 768)}.
     */
    private static CodeBlock parameter(Instance instance) {
        ParameterInit init = instance.parameterInit();
        CodeBlock dims = CodeBlock.join(java.util.Arrays.stream(init.shape()).mapToObj(d -> CodeBlock.of("$L", d))
                .toList(), ", ");
        return switch (init.fill()) {
            case CONSTANT -> CodeBlock.of("$T.constant($S, $L, $L)", RuntimeTypes.PARAMETER, instance.path(),
                    init.a(), dims);
            case NORMAL -> CodeBlock.of("$T.normal($S, $L, $L, $L)", RuntimeTypes.PARAMETER, instance.path(),
                    init.a(), init.b(), dims);
            case UNIFORM -> CodeBlock.of("$T.uniform($S, $L, $L, $L)", RuntimeTypes.PARAMETER, instance.path(),
                    init.a(), init.b(), dims);
        };
    }
}
