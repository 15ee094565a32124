package dev.shapeproof.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.Node;
import java.util.List;

/**
 * What the forward writer asks about the model's sizes: how its inputs are checked, how a call that depends on the
 * size reads it, and how shapes are spelled in javadoc. A fixed-size model's answers are today's code, unchanged;
 * a free-size model's are {@link FreeSizeWriter}'s.
 */
interface SizeBinding {
    /** Adds the input check at the start of {@code forward}, whose parameters are {@code javaNames}. */
    void checkInputs(MethodSpec.Builder forward, CheckedModel model, List<GraphInput> inputs, List<String> javaNames);

    /** The generated call of {@code node}, {@code call} as its op wrote it at the reference size. */
    CodeBlock call(Node node, CodeBlock call, List<CodeBlock> arguments, boolean inPlace, CodeBlock training);

    /** The shape of {@code input} as javadoc spells it. */
    String shapeOf(CheckedModel model, GraphInput input);

    /** The shape of output {@code index} as javadoc spells it. */
    String outputShape(CheckedModel model, int index);

    /** A fixed-size model: each input checked against its shape constant, calls as the ops write them. */
    SizeBinding FIXED = new SizeBinding() {
        @Override
        public void checkInputs(MethodSpec.Builder forward, CheckedModel model, List<GraphInput> inputs,
                List<String> javaNames) {
            for (int i = 0; i < inputs.size(); i++) {
                GraphInput input = inputs.get(i);
                forward.addStatement("$T.check($S, $N, $N)", RuntimeTypes.INPUTS, input.value().name(),
                        javaNames.get(i), ShapeConstants.inputConstantName(model, input));
            }
        }

        @Override
        public CodeBlock call(Node node, CodeBlock call, List<CodeBlock> arguments, boolean inPlace,
                CodeBlock training) {
            return call;
        }

        @Override
        public String shapeOf(CheckedModel model, GraphInput input) {
            return input.shape().toString();
        }

        @Override
        public String outputShape(CheckedModel model, int index) {
            return ShapeConstants.outputShape(model, index).toString();
        }
    };
}
