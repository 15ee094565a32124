package dev.shapeproof.processor.emit;

import java.io.IOException;
import java.io.Writer;
import java.util.regex.Pattern;
import javax.annotation.processing.Filer;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * A generated source file: its text, and the one element it comes from (Gradle's isolating mode needs exactly one).
 *
 * @param qualifiedName the generated class's name, {@code demo.NetModel}
 */
public record GeneratedSource(String qualifiedName, String text, TypeElement origin) {
    /** A line that declares a shape constant, written one per line in a group, as a person would. */
    private static final Pattern CONSTANT =
            Pattern.compile(" *public static final (TensorShape|SymbolicShape) \\w+ = [^\\n]*;");

    /** The text JavaPoet wrote, with the blank lines it puts between fields removed inside the block of constants. */
    static GeneratedSource of(String qualifiedName, String javaPoetText, TypeElement origin) {
        String[] lines = javaPoetText.split("\n", -1);
        StringBuilder text = new StringBuilder(javaPoetText.length());
        for (int i = 0; i < lines.length; i++) {
            boolean between = lines[i].isEmpty() && i > 0 && i + 1 < lines.length
                    && CONSTANT.matcher(lines[i - 1]).matches() && CONSTANT.matcher(lines[i + 1]).matches();
            if (!between) {
                text.append(lines[i]);
                if (i + 1 < lines.length) {
                    text.append('\n');
                }
            }
        }
        return new GeneratedSource(qualifiedName, text.toString(), origin);
    }

    /** Writes the file through {@code filer}, naming its origin. */
    public void writeTo(Filer filer) throws IOException {
        JavaFileObject file = filer.createSourceFile(qualifiedName, origin);
        try (Writer writer = file.openWriter()) {
            writer.write(text);
        }
    }
}
