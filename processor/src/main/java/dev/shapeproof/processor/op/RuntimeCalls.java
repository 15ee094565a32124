package dev.shapeproof.processor.op;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.List;

/** Builds calls of the runtime's functional kernels, {@code dev.shapeproof.nn.F}. */
final class RuntimeCalls {
    static final ClassName F = ClassName.get("dev.shapeproof.nn", "F");

    private RuntimeCalls() {}

    /** {@code F.method(first, rest...)}. */
    static CodeBlock f(String method, CodeBlock first, Object... rest) {
        CodeBlock.Builder code = CodeBlock.builder().add("$T.$N($L", F, method, first);
        for (Object argument : rest) {
            code.add(", $L", argument);
        }
        return code.add(")").build();
    }

    /** {@code F.method(a, b, c)} over a list of argument expressions. */
    static CodeBlock f(String method, List<CodeBlock> arguments) {
        return CodeBlock.of("$T.$N($L)", F, method, CodeBlock.join(arguments, ", "));
    }
}
