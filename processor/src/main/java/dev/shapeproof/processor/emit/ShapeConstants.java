package dev.shapeproof.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * One public constant per proven shape: the inputs, each module call's output, the outputs. Function calls of a forward
 * text (relu, view…) get none: they have no name of their own.
 */
final class ShapeConstants {
    /**
     * The bytes of static initializer the shape constants of one class may take: each costs about 15 bytes and 5 per
     * dimension, and javac refuses a method over 64 KB. Models with more spill into holder classes.
     */
    static final int INITIALIZER_BUDGET = 48_000;

    private ShapeConstants() {}

    /** {@code INPUT_SHAPE}, or {@code INPUT_IMAGE_SHAPE} for a model with several inputs. */
    static String inputConstantName(CheckedModel model, GraphInput input) {
        return model.graph().inputs().size() == 1 ? "INPUT_SHAPE" : "INPUT_" + upperSnake(input.value().name())
                + "_SHAPE";
    }

    /** The shape of output {@code index}. */
    static TensorShape outputShape(CheckedModel model, int index) {
        return model.outputs().get(index);
    }

    static void add(TypeSpec.Builder generated, CheckedModel model) {
        List<Constant> constants = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (GraphInput input : model.graph().inputs()) {
            String name = inputConstantName(model, input);
            taken.add(name);
            constants.add(new Constant(name, input.shape()));
        }
        List<String> outputNames = model.graph().outputNames();
        List<Constant> outputs = new ArrayList<>();
        for (int i = 0; i < outputNames.size(); i++) {
            String name = outputNames.size() == 1 ? "OUTPUT_SHAPE" : "OUTPUT_" + upperSnake(outputNames.get(i))
                    + "_SHAPE";
            taken.add(name);
            outputs.add(new Constant(name, model.outputs().get(i)));
        }
        for (CheckedNode<?> node : model.nodes()) {
            if (!node.node().isModuleCall()) {
                continue;
            }
            String name = outputConstantName(node.name());
            if (!taken.add(name)) {
                // fooBar and foo_bar, or a module called twice: keep the names distinct, deterministically.
                name = name + "_" + constants.size();
                taken.add(name);
            }
            constants.add(new Constant(name, node.output()));
        }
        constants.addAll(outputs);

        if (initializerBytes(constants) <= INITIALIZER_BUDGET) {
            constants.forEach(constant -> generated.addField(constant.field(constant.initializer())));
            return;
        }
        // A static initializer is one method: past a few thousand shapes it would exceed javac's 64 KB limit. Each
        // holder class initialises a slice; the public constants only copy a reference from it.
        int perClass = Math.max(1, (int) ((long) constants.size() * INITIALIZER_BUDGET / initializerBytes(constants)));
        for (int start = 0, index = 0; start < constants.size(); start += perClass, index++) {
            List<Constant> slice = constants.subList(start, Math.min(constants.size(), start + perClass));
            String holderName = "Shapes" + index;
            TypeSpec.Builder holder = TypeSpec.classBuilder(holderName)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Initialises shapes $L to $L; see the public constants.\n", start,
                            start + slice.size() - 1);
            for (Constant constant : slice) {
                holder.addField(FieldSpec.builder(TensorShape.class, constant.name(), Modifier.STATIC, Modifier.FINAL)
                        .initializer(constant.initializer())
                        .build());
                generated.addField(constant.field(CodeBlock.of("$N.$N", holderName, constant.name())));
            }
            generated.addType(holder.build());
        }
    }

    private static long initializerBytes(List<Constant> constants) {
        long bytes = 0;
        for (Constant constant : constants) {
            bytes += 15 + 5L * constant.shape().rank();
        }
        return bytes;
    }

    /**
     * {@code conv2_drop} → {@code CONV2_DROP_OUTPUT_SHAPE}; {@code fc1Out} → {@code FC1_OUT_OUTPUT_SHAPE};
     * {@code convs.0} → {@code CONVS_0_OUTPUT_SHAPE}.
     */
    static String outputConstantName(String modulePath) {
        return upperSnake(modulePath).replace('.', '_') + "_OUTPUT_SHAPE";
    }

    static String upperSnake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** A public shape constant before it is written. */
    private record Constant(String name, TensorShape shape) {
        CodeBlock initializer() {
            CodeBlock dims = CodeBlock.join(
                    Arrays.stream(shape.dims()).mapToObj(dim -> CodeBlock.of("$L", dim)).toList(), ", ");
            return CodeBlock.of("$T.of($L)", TensorShape.class, dims);
        }

        FieldSpec field(CodeBlock initializer) {
            return FieldSpec.builder(TensorShape.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .initializer(initializer)
                    .build();
        }
    }
}
