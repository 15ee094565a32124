package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.ModuleClass;
import dev.shapeproof.processor.graph.ModuleField;
import dev.shapeproof.processor.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * The classes of the model's block instances, nested in the generated model: each extends the user's block class,
 * registers its modules, names its PyTorch type and runs the forward the processor checked for it. Instances whose
 * code comes out the same share one class ({@code BasicBlockImpl} for every plain BasicBlock, {@code BasicBlockImpl2}
 * for those with a downsample), so a ResNet-50 has a handful, not sixteen.
 *
 * <p>It also knows how generated code reaches a module from the one whose forward runs: {@code this.conv1}, or an
 * entry's own field.
 */
final class BlockClasses {
    private final CheckedModel model;
    private final Map<Instance, ClassName> classes = new IdentityHashMap<>();
    private final Map<Instance, Body> firstBodies = new IdentityHashMap<>();
    private final Map<Instance, CheckedNode<?>> firstCalls = new IdentityHashMap<>();
    private final Map<String, ClassName> byCode = new HashMap<>();
    private final Map<ClassName, List<Instance>> users = new LinkedHashMap<>();
    private final Map<ClassName, Instance> representative = new LinkedHashMap<>();
    private final Map<String, Integer> variants = new HashMap<>();

    private BlockClasses(CheckedModel model) {
        this.model = model;
        collect(model.graph().body());
    }

    /** The classes for every block instance of {@code model} that its forward uses. */
    static BlockClasses of(CheckedModel model) {
        BlockClasses blocks = new BlockClasses(model);
        blocks.name(model.graph().root());
        return blocks;
    }

    /** Records, for every module, the first call that checked it: layers' configurations, blocks' bodies. */
    private void collect(Body body) {
        for (Node node : body.nodes()) {
            CheckedNode<?> checked = model.checked(node);
            if (checked == null || !node.isModuleCall()) {
                continue;
            }
            firstCalls.putIfAbsent(node.instance(), checked);
            if (node.callee() != null) {
                firstBodies.putIfAbsent(node.instance(), node.callee());
                collect(node.callee());
            }
        }
    }

    /** Names the classes bottom-up: a block's code names its children's classes. */
    private void name(Instance instance) {
        for (Instance child : instance.children().values()) {
            name(child);
        }
        if (instance.kind() != Instance.Kind.BLOCK || !isConstructed(instance)) {
            return;
        }
        TypeSpec code = type(ClassName.get("", "$Block"), instance, List.of());
        String key = instance.moduleClass().type().getQualifiedName() + "\n" + code;
        ClassName name = byCode.get(key);
        if (name == null) {
            String base = instance.moduleClass().simpleName() + "Impl";
            int variant = variants.merge(base, 1, Integer::sum);
            name = ClassName.get("", variant == 1 ? base : base + variant);
            byCode.put(key, name);
            representative.put(name, instance);
        }
        classes.put(instance, name);
        users.computeIfAbsent(name, n -> new ArrayList<>()).add(instance);
    }

    /** The nested classes, each documented with the instances that use it. */
    List<TypeSpec> types() {
        List<TypeSpec> types = new ArrayList<>();
        representative.forEach((name, instance) -> types.add(type(name, instance, users.get(name))));
        return types;
    }

    /** The class of block instance {@code block}. */
    ClassName className(Instance block) {
        return classes.get(block);
    }

    /** Whether the forward uses {@code instance}, so that the model constructs it. */
    boolean isConstructed(Instance instance) {
        for (Instance below : instance.all()) {
            if (firstCalls.containsKey(below)) {
                return true;
            }
        }
        return false;
    }

    /** The first checked call of {@code instance}, or {@code null} if the forward never calls it. */
    CheckedNode<?> firstCall(Instance instance) {
        return firstCalls.get(instance);
    }

    /** The expression that reaches {@code target} from the module whose forward runs, {@code owner}. */
    CodeBlock access(Instance owner, Instance target) {
        String relative = owner.path().isEmpty() ? target.path() : target.path().substring(owner.path().length() + 1);
        String[] keys = relative.split("\\.");
        Instance current = owner.child(keys[0]);
        CodeBlock expression = CodeBlock.of("this.$N", fieldName(current));
        for (int i = 1; i < keys.length; i++) {
            expression = CodeBlock.of("$L.child($S)", expression, keys[i]);
        }
        return expression;
    }

    /** The Java field that holds {@code child} in its parent's class: its own field, or an entry's. */
    static String fieldName(Instance child) {
        return child.field() != null ? child.field() : entryFields(child.parent()).get(child);
    }

    /**
     * The fields of {@code parent}'s class that hold its entries (children registered by key, not by a field of the
     * user's class), in order: each key made a Java identifier and kept apart from the class's fields and from each
     * other, since PyTorch allows any name without a dot ({@code 0}, RegNet's {@code block1-0}).
     */
    private static Map<Instance, String> entryFields(Instance parent) {
        Set<String> declared = new HashSet<>();
        if (parent.moduleClass() != null) {
            parent.moduleClass().fields().forEach(field -> declared.add(field.name()));
        }
        parent.children().values().stream().map(Instance::field).filter(Objects::nonNull).forEach(declared::add);
        Map<Instance, String> fields = new LinkedHashMap<>();
        for (Instance child : parent.children().values()) {
            if (child.field() == null) {
                String field = identifierFor(child.key());
                while (!declared.add(field)) {
                    field = field + "_";
                }
                fields.put(child, field);
            }
        }
        return fields;
    }

    /** {@code conv_} for the key {@code conv} (kept apart from the user's names), {@code item0}, {@code item1_0}. */
    private static String identifierFor(String key) {
        if (SourceVersion.isIdentifier(key) && !SourceVersion.isKeyword(key)) {
            return key + "_";
        }
        StringBuilder field = new StringBuilder("item");
        key.codePoints().forEach(c -> field.appendCodePoint(Character.isJavaIdentifierPart(c) ? c : '_'));
        return field.toString();
    }

    /** The runtime type of {@code instance}: its layer class, its block class, or its container. */
    TypeName runtimeType(Instance instance) {
        return switch (instance.kind()) {
            case LAYER -> ClassName.bestGuess(instance.op().layerClassName());
            case BLOCK -> classes.get(instance) != null ? classes.get(instance)
                    : ClassName.get(instance.moduleClass().type());
            default -> ClassName.bestGuess(instance.base().javaClass());
        };
    }

    private TypeSpec type(ClassName name, Instance instance, List<Instance> uses) {
        ModuleClass block = instance.moduleClass();
        TypeSpec.Builder type = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .superclass(ClassName.get(block.type()));
        if (!uses.isEmpty()) {
            List<String> paths = uses.stream().map(use -> "{@code " + use.path() + "}").toList();
            type.addJavadoc("{@link $T} as $L $L it.\n", ClassName.get(block.type()), String.join(", ", paths),
                    paths.size() == 1 ? "runs" : "run");
        }
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addParameter(String.class, "name");
        List<CodeBlock> registered = new ArrayList<>();
        for (ModuleField field : block.fields()) {
            TypeName fieldType = TypeName.get(field.element().asType());
            constructor.addParameter(fieldType, field.name());
            constructor.addStatement("this.$N = $N", field.name(), field.name());
            registered.add(CodeBlock.of("$N", field.name()));
        }
        for (Map.Entry<Instance, String> entry : entryFields(instance).entrySet()) {
            Instance child = entry.getKey();
            String field = entry.getValue();
            TypeName childType = runtimeType(child);
            type.addField(FieldSpec.builder(childType, field, Modifier.PRIVATE, Modifier.FINAL).build());
            constructor.addParameter(childType, field);
            constructor.addStatement("this.$N = $N", field, field);
            registered.add(CodeBlock.of("$N", field));
        }
        constructor.addStatement("initModule(name$L)", registered.isEmpty() ? CodeBlock.of("")
                : CodeBlock.of(", $L", CodeBlock.join(registered, ", ")));
        type.addMethod(constructor.build());
        type.addMethod(MethodSpec.methodBuilder("pytorchType")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return $S", block.pytorchName())
                .build());
        Body body = firstBodies.get(instance);
        if (block.hasForward() && body != null) {
            type.addMethod(new ForwardWriter(model, body, this, CodeBlock.of("isTraining()")).blockForward());
        }
        return type.build();
    }
}
