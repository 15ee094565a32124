package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.sizes.CallLiterals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces number literals in a generated call: a free-size model's {@code F.interpolate(x, 8, 8, ...)} becomes
 * {@code F.interpolate(x, sizes.of(SIZE_1), sizes.of(SIZE_2), ...)}. The call is rewritten from its text, in which
 * JavaPoet spells types by their qualified names; those become types again, so imports stay as JavaPoet makes them.
 */
final class CodeRewriter {
    /** A qualified class name: lower-case package segments, then an upper-case simple name and nested ones. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w$.])((?:[a-z_][a-z0-9_]*\\.)+)([A-Z][A-Za-z0-9_]*(?:\\.[A-Z][A-Za-z0-9_]*)*)");

    private CodeRewriter() {}

    /** {@code code} with literal {@code i} (in {@link CallLiterals}' order) replaced by {@code replacements.get(i)}. */
    static CodeBlock replaceLiterals(CodeBlock code, Map<Integer, CodeBlock> replacements) {
        String text = code.toString();
        Pattern either = Pattern.compile(QUALIFIED.pattern() + "|(" + CallLiterals.NUMBER.pattern() + ")");
        Matcher matcher = either.matcher(text);
        StringBuilder format = new StringBuilder();
        List<Object> arguments = new ArrayList<>();
        int literal = 0;
        int at = 0;
        while (matcher.find()) {
            format.append(text.substring(at, matcher.start()).replace("$", "$$"));
            if (matcher.group(3) != null) {
                CodeBlock replacement = replacements.get(literal++);
                if (replacement != null) {
                    format.append("$L");
                    arguments.add(replacement);
                } else {
                    format.append(matcher.group(3));
                }
            } else {
                String packageName = matcher.group(1).substring(0, matcher.group(1).length() - 1);
                String[] simpleNames = matcher.group(2).split("\\.");
                format.append("$T");
                arguments.add(ClassName.get(packageName, simpleNames[0],
                        java.util.Arrays.copyOfRange(simpleNames, 1, simpleNames.length)));
            }
            at = matcher.end();
        }
        format.append(text.substring(at).replace("$", "$$"));
        return CodeBlock.of(format.toString(), arguments.toArray());
    }
}
