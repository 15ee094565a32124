package dev.shapeproof.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the shape constants of a generated model class back from its source. */
final class GeneratedShapes {
    private static final Pattern CONSTANT =
            Pattern.compile("TensorShape (\\w+) = TensorShape\\.of\\(([-0-9, ]+)\\);");

    private GeneratedShapes() {}

    /** Constant name → {@code [-1, 10, 24, 24]}, in declaration order, from the generated {@code qualifiedName}. */
    static Map<String, String> of(Compilation compilation, String qualifiedName) {
        assertThat(compilation).succeededWithoutWarnings();
        String source = source(compilation, qualifiedName);
        Map<String, String> shapes = new LinkedHashMap<>();
        Matcher matcher = CONSTANT.matcher(source);
        while (matcher.find()) {
            shapes.put(matcher.group(1), "[" + matcher.group(2) + "]");
        }
        return shapes;
    }

    static String source(Compilation compilation, String qualifiedName) {
        try {
            return compilation.generatedSourceFile(qualifiedName)
                    .orElseThrow(() -> new AssertionError("no generated " + qualifiedName))
                    .getCharContent(true)
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
